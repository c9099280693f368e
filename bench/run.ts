/**
 * `npm run bench`: generates synthetic notes (1 000, 10 000 and 50 000 facts, 50 per file),
 * builds each in a fresh child process (bench/one.ts) and reports wall time, time per stage,
 * peak RSS and output sizes; runs anki-apkg-export 4.0.3 on the same cards as the baseline; times
 * a watch-style rebuild (one file edited in the 10 000-fact set, with what `--watch` keeps in
 * memory and the build cache it uses by default); times the `.apkg` stage step by step against a
 * genanki-like reference on the same rows (bench/apkg.ts). Prints a table and every target of
 * issue 15 with goal, measured value and pass/MISS — a step that fails (a crash, a timeout) is
 * said in its row and the run goes on — and writes bench/results.json.
 *
 * The build runs with `fit: false`: it measures cheatdeck, not the start-up of Chromium to fit
 * the sheet (that is a fixed ~1 s whatever the notes, and it may not be installed).
 *
 *   npm run bench -- [--sizes 1000,10000] [--repeat n] [--no-baseline] [--no-write]
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findChromium } from '../src/emit/sheet/browser.ts'
import { apkgTargets, measureApkgStage, type ApkgStage } from './apkg.ts'
import { compileBin, measureEditedLarge, measureStartup, type ProcessRun, type StartupMeasure } from './cli.ts'
import { generateNotes, type GeneratedNotes } from './generate.ts'
import type { BaselineMeasure, BuildMeasure, RebuildMeasure } from './one.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const RESULT_PREFIX = 'BENCH_RESULT '
const ONE = path.join(ROOT, 'bench', 'one.ts')
const RESULTS = path.join(ROOT, 'bench', 'results.json')
/** A fixed clock, so every run writes the same lockfile times. */
const NOW = 1_767_225_600 // 2026-01-01
const BASELINE_TIMEOUT_MS = 90_000
const BUILD_TIMEOUT_MS = 300_000
const STAGES = ['read', 'parse', 'facts', 'apkg', 'sheet', 'dataset', 'write'] as const

interface Args {
  sizes: number[]
  /** Fresh-process builds per size (the fastest counts); default 3 up to 10 000 facts, 1 above. */
  repeat: number | undefined
  baseline: boolean
  /** The command-line rows (compiled bin, shipped notes, one-file edit at 10 000 facts). */
  cli: boolean
  write: boolean
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: [1_000, 10_000, 50_000], repeat: undefined, baseline: true, cli: true, write: true }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--sizes') args.sizes = (argv[++i] ?? '').split(',').map(Number).filter((n) => n > 0)
    else if (arg === '--repeat') args.repeat = Math.max(1, Number(argv[++i]) || 1)
    else if (arg === '--no-baseline') args.baseline = false
    else if (arg === '--no-write') args.write = false
    else if (arg === '--no-cli') args.cli = false
    else throw new Error(`unknown argument ${arg} (expected --sizes a,b,c --repeat n --no-baseline --no-cli --no-write)`)
  }
  return args
}

interface ChildOutcome<T> {
  result?: T
  /** Set when the child did not print a result: exit code/signal, timeout, stderr tail. */
  failure?: string
  /** Spawn to exit, ms (includes Node start-up and loading the modules). */
  processMs: number
}

function runChild<T>(args: string[], timeoutMs: number): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    const start = performance.now()
    const child = spawn(process.execPath, ['--import', 'tsx', ONE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const processMs = performance.now() - start
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
      if (line) {
        resolve({ result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T, processMs })
        return
      }
      const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited with ${signal ?? code}`
      const tail = stderr.trim().split('\n').slice(-3).join(' ').replace(/\s+/g, ' ').slice(0, 300)
      resolve({ failure: `${why}${tail ? `: ${tail}` : ''}`, processMs })
    })
  })
}

interface SizeResult {
  facts: number
  files: number
  notesBytes: number
  /** The fastest of `repeat` fresh-process builds. */
  build: BuildMeasure & { processMs: number; runsMs: number[] }
  baseline: (BaselineMeasure & { processMs: number }) | { status: 'crashed' | 'skipped'; error?: string; processMs?: number }
}

interface Target {
  name: string
  target: string
  actual: string
  pass: boolean
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`)
const fmtBytes = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`)
const fmtInt = (n: number): string => n.toLocaleString('en-US')

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? []
  const line = (row: string[]): string => `| ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(' | ')} |`
  const [head, ...body] = rows
  if (!head) return ''
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n')
}

function baselineCell(size: SizeResult): string {
  const b = size.baseline
  if (b.status === 'skipped') return 'skipped'
  if ('added' in b) {
    return b.status === 'ok' ? fmtMs(b.ms) : `crashed after ${fmtInt(b.added)} of ${fmtInt(b.cards)} cards (${fmtMs(b.ms)})`
  }
  return `crashed (${b.error ?? 'no result'})`
}

function fileBytes(files: Record<string, number>, name: string): number {
  return files[name] ?? 0
}

/** Measured by the command-line runs (absent with --no-cli). */
interface CliMeasures {
  startup?: StartupMeasure
  editedLarge?: ProcessRun & { runsMs: number[] }
}

/** The rows of issue 15's table: each goal, what this run measured, pass or MISS. */
function evaluateTargets(sizes: SizeResult[], rebuild: RebuildMeasure | undefined, cli: CliMeasures, apkg: readonly ApkgStage[]): Target[] {
  const targets: Target[] = []
  const at = (facts: number): SizeResult | undefined => sizes.find((s) => s.facts === facts)
  const times = (run: ProcessRun, node: ProcessRun): number => run.wallMs / node.wallMs
  const { startup } = cli
  if (startup) {
    const { node, cold, warm } = startup
    const ratio = (run: ProcessRun): string => `${times(run, node).toFixed(1)}× (${fmtMs(run.wallMs)}, CPU ${fmtMs(run.cpuMs)}; node -e '' ${fmtMs(node.wallMs)}, CPU ${fmtMs(node.cpuMs)})`
    targets.push({ name: 'shipped notes, build --no-fit, fresh process, cache warm', target: "≤ 8× node -e ''", actual: ratio(warm), pass: times(warm, node) <= 8 })
    targets.push({ name: 'shipped notes, build --no-fit, fresh process, --no-cache', target: "≤ 8× node -e ''", actual: ratio(cold), pass: times(cold, node) <= 8 })
    targets.push({ name: 'shipped notes, one fact edited, fresh process', target: "≤ 8× node -e ''", actual: ratio(startup.edited), pass: times(startup.edited, node) <= 8 })
    if (startup.fit) {
      targets.push({ name: 'shipped notes, sheet fitted, sheet unchanged', target: '≤ 0.6 s', actual: fmtMs(startup.fit.unchanged.wallMs), pass: startup.fit.unchanged.wallMs <= 600 })
      targets.push({ name: 'shipped notes, sheet fitted, sheet changed', target: '≤ 1.5 s', actual: fmtMs(startup.fit.changed.wallMs), pass: startup.fit.changed.wallMs <= 1500 })
    } else targets.push({ name: 'shipped notes, sheet fitted', target: '≤ 0.6 s / ≤ 1.5 s', actual: 'skipped (no Chromium)', pass: false })
  }
  const s10 = at(10_000)
  const s50 = at(50_000)
  if (s10) targets.push({ name: '10 000 facts, 200 files, cold (build CPU)', target: '≤ 3 s CPU', actual: fmtMs(s10.build.cpuMs), pass: s10.build.cpuMs <= 3000 })
  if (cli.editedLarge) targets.push({ name: '10 000 facts, one file edited, fresh process', target: '≤ 0.5 s', actual: fmtMs(cli.editedLarge.wallMs), pass: cli.editedLarge.wallMs <= 500 })
  if (rebuild) targets.push({ name: '10 000 facts, one file edited, --watch', target: '≤ 150 ms', actual: fmtMs(rebuild.medianMs), pass: rebuild.medianMs <= 150 })
  if (s50) {
    targets.push({ name: '50 000 facts, cold (build)', target: '≤ 12 s', actual: fmtMs(s50.build.wallMs), pass: s50.build.wallMs <= 12_000 })
    targets.push({ name: '50 000 facts, cold, peak RSS', target: '≤ 400 MB', actual: `${Math.round(s50.build.peakRssMb)} MB`, pass: s50.build.peakRssMb <= 400 })
  }
  // The .apkg stage against a genanki-like reference on the same rows, both measured in this run (bench/apkg.ts).
  targets.push(...apkgTargets(apkg))
  return targets
}

function report(sizes: SizeResult[], rebuild: RebuildMeasure | undefined, targets: Target[]): string {
  const out: string[] = []
  const header = ['facts', 'files', 'notes/cards', 'build', 'build CPU', ...STAGES, 'peak RSS', '.apkg', 'sheet', 'facts.json', 'anki-apkg-export 4.0.3']
  const rows = sizes.map((s) => [
    fmtInt(s.facts),
    fmtInt(s.files),
    `${fmtInt(s.build.notes)}/${fmtInt(s.build.cards)}`,
    fmtMs(s.build.wallMs),
    fmtMs(s.build.cpuMs),
    ...STAGES.map((stage) => fmtMs(s.build.timings[stage] ?? 0)),
    `${Math.round(s.build.peakRssMb)} MB`,
    fmtBytes(fileBytes(s.build.files, '<deck>.apkg')),
    fmtBytes(fileBytes(s.build.files, '<deck>.sheet.html')),
    fmtBytes(fileBytes(s.build.files, 'facts.json')),
    baselineCell(s),
  ])
  out.push(table([header, ...rows]))
  if (rebuild) {
    const stages = STAGES.map((stage) => `${stage} ${fmtMs(rebuild.timings[stage] ?? 0)}`).join(', ')
    out.push(
      '',
      `Watch-style rebuild, 10 000 facts, warm cache: one file edited → ${fmtMs(rebuild.medianMs)} (median of ${rebuild.editsMs.length}: ${rebuild.editsMs.map(fmtMs).join(', ')}; files reparsed: ${rebuild.reparsed.join(', ')})`,
      `  stages: ${stages}; cold first build in that process ${fmtMs(rebuild.coldMs)}, unchanged rebuild ${fmtMs(rebuild.noEditMs)}`,
    )
  }
  out.push('', table([['target', 'goal', 'measured', ''], ...targets.map((t) => [t.name, t.target, t.actual, t.pass ? 'pass' : 'MISS'])]))
  return out.join('\n')
}

function machine(): { cpu: string; cores: number; memoryGb: number; node: string; platform: string; date: string } {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  }
}

const loadAverage = (): number[] => os.loadavg().map((n) => Math.round(n * 100) / 100)

/** A step that failed: said in its row (MISS) instead of ending the run. */
type Failures = Map<string, string>

/** Runs one step of the benchmark; a failure is recorded under `row` and the run goes on. */
async function step<T>(failures: Failures, row: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run()
  } catch (error) {
    const message = String((error as Error)?.message ?? error).replace(/\s+/g, ' ').slice(0, 200)
    failures.set(row, message)
    console.log(`  ${row}: failed (${message})`)
    return undefined
  }
}

/** The cold builds of one size, in fresh processes; the fastest counts. */
async function measureSize(args: Args, work: string, notes: GeneratedNotes, facts: number): Promise<SizeResult> {
  const runs: (BuildMeasure & { processMs: number })[] = []
  const repeat = args.repeat ?? (facts <= 10_000 ? 3 : 1)
  for (let r = 0; r < repeat; r++) {
    // A fresh notes copy state: remove the lockfile a previous run wrote, so each run is a first build.
    await rm(path.join(notes.dir, 'cheatdeck.lock.json'), { force: true })
    const outcome = await runChild<BuildMeasure>(['build', notes.dir, path.join(work, `out-${facts}`), String(NOW)], BUILD_TIMEOUT_MS)
    if (!outcome.result) throw new Error(`build of ${facts} facts: ${outcome.failure ?? 'no result'}`)
    runs.push({ ...outcome.result, processMs: outcome.processMs })
    console.log(`  build ${r + 1}/${repeat}: ${fmtMs(outcome.result.wallMs)} (CPU ${fmtMs(outcome.result.cpuMs)}, process ${fmtMs(outcome.processMs)}, peak RSS ${Math.round(outcome.result.peakRssMb)} MB)`)
  }
  const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a))
  let baseline: SizeResult['baseline'] = { status: 'skipped' }
  if (args.baseline) {
    const outcome = await runChild<BaselineMeasure>(['baseline', notes.dir, path.join(work, `base-${facts}`), String(NOW)], BASELINE_TIMEOUT_MS)
    baseline = outcome.result ? { ...outcome.result, processMs: outcome.processMs } : { status: 'crashed', error: outcome.failure ?? 'no result', processMs: outcome.processMs }
    console.log(`  anki-apkg-export: ${baselineCell({ baseline } as SizeResult)}`)
  }
  return { facts, files: notes.files, notesBytes: notes.bytes, build: { ...best, runsMs: runs.map((r) => r.wallMs) }, baseline }
}

/** Watch-style rebuilds of the 10 000-fact set: five different files, one edit each, in one process. */
async function measureRebuild(work: string, ten: GeneratedNotes): Promise<RebuildMeasure> {
  const picks = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => ten.topicFiles[Math.floor(f * ten.topicFiles.length)] ?? '')
  await rm(path.join(ten.dir, 'cheatdeck.lock.json'), { force: true })
  const outcome = await runChild<RebuildMeasure>(['rebuild', ten.dir, path.join(work, 'out-rebuild'), String(NOW), ...picks], BUILD_TIMEOUT_MS)
  if (!outcome.result) throw new Error(`rebuild: ${outcome.failure ?? 'no result'}`)
  console.log(`  one-file rebuild of 10 000 facts: ${fmtMs(outcome.result.medianMs)}`)
  return outcome.result
}

/** Rows of the issue's table this run could not measure (a failure, or left out by the arguments). */
function unmeasured(args: Args, targets: Target[], failures: Failures): Target[] {
  const rows: [string, string, boolean][] = [
    ['shipped notes, build --no-fit, fresh process, cache warm', "≤ 8× node -e ''", args.cli],
    ['10 000 facts, 200 files, cold (build CPU)', '≤ 3 s CPU', args.sizes.includes(10_000)],
    ['10 000 facts, one file edited, fresh process', '≤ 0.5 s', args.cli && args.sizes.includes(10_000)],
    ['10 000 facts, one file edited, --watch', '≤ 150 ms', args.sizes.includes(10_000)],
    ['50 000 facts, cold (build)', '≤ 12 s', args.sizes.includes(50_000)],
  ]
  const missing: Target[] = []
  for (const [name, target, wanted] of rows) {
    if (targets.some((t) => t.name === name)) continue
    const failure = [...failures].find(([row]) => row === name)?.[1]
    missing.push({ name, target, actual: failure ? `failed: ${failure}` : wanted ? 'not measured' : 'not measured (left out by the arguments)', pass: false })
  }
  return missing
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const started = performance.now()
  const info = { ...machine(), loadAverageAtStart: loadAverage() }
  console.log(`cheatdeck benchmark on ${info.cpu} (${info.cores} cores, ${info.memoryGb} GB), Node ${process.version}; load average ${info.loadAverageAtStart.join(' ')}`)
  console.log(`(builds with fit: false — no Chromium start-up; each build in a fresh process; the fastest of ${args.repeat ?? '3 runs up to 10 000 facts, 1 run at 50 000'})\n`)
  const work = await mkdtemp(path.join(os.tmpdir(), 'cheatdeck-bench-'))
  const sizes: SizeResult[] = []
  const failures: Failures = new Map()
  let rebuild: RebuildMeasure | undefined
  const cli: CliMeasures = {}
  try {
    if (args.cli) {
      const startup = await step(failures, 'shipped notes, build --no-fit, fresh process, cache warm', async () => {
        console.log('compiling src/ to dist/lib and bundling the command (what is measured)…')
        await compileBin()
        return measureStartup(work, path.join(ROOT, 'notes'), NOW, args.repeat ?? 3, findChromium() !== undefined)
      })
      if (startup) {
        cli.startup = startup
        const s = startup
        console.log(`shipped notes: node -e '' ${fmtMs(s.node.wallMs)}; build --no-fit: --no-cache ${fmtMs(s.cold.wallMs)}, warm ${fmtMs(s.warm.wallMs)}, one fact edited ${fmtMs(s.edited.wallMs)}${s.fit ? `; fitted: unchanged ${fmtMs(s.fit.unchanged.wallMs)}, changed ${fmtMs(s.fit.changed.wallMs)}` : ''}`)
      }
    }
    const sets = new Map<number, GeneratedNotes>()
    for (const facts of args.sizes) {
      const begun = performance.now()
      const notes = await generateNotes(path.join(work, `notes-${facts}`), facts)
      sets.set(facts, notes)
      console.log(`generated ${fmtInt(facts)} facts in ${fmtInt(notes.files)} files (${fmtBytes(notes.bytes)}) in ${fmtMs(performance.now() - begun)}`)
      const row = facts === 50_000 ? '50 000 facts, cold (build)' : facts === 10_000 ? '10 000 facts, 200 files, cold (build CPU)' : `${facts} facts, cold`
      const size = await step(failures, row, () => measureSize(args, work, notes, facts))
      if (size) sizes.push(size)
    }
    const ten = sets.get(10_000)
    if (ten) {
      rebuild = await step(failures, '10 000 facts, one file edited, --watch', () => measureRebuild(work, ten))
      if (args.cli) {
        const edited = await step(failures, '10 000 facts, one file edited, fresh process', () => measureEditedLarge(ten.dir, ten.topicFiles, work, NOW, args.repeat ?? 3))
        if (edited) {
          cli.editedLarge = edited
          console.log(`  one file edited, fresh process, 10 000 facts: ${fmtMs(edited.wallMs)}`)
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  console.log('\n.apkg stage on its own, each step in a fresh process, against a genanki-like reference on the same rows (bench/apkg.ts):')
  const apkg = await step(failures, '.apkg stage', () => measureApkgStage(args.sizes.filter((facts) => facts >= 10_000), 3, (line) => console.log(`  ${line}`)))

  const targets = evaluateTargets(sizes, rebuild, cli, apkg ?? [])
  targets.push(...unmeasured(args, targets, failures))
  console.log(`\n${report(sizes, rebuild, targets)}`)
  const minutes = ((performance.now() - started) / 60_000).toFixed(1)
  console.log(`\nmachine: ${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB, Node ${process.version}, ${info.platform}; load average (1, 5, 15 min) at start ${info.loadAverageAtStart.join(' ')}, at end ${loadAverage().join(' ')}; the run took ${minutes} min`)
  const results = {
    machine: { ...info, loadAverageAtEnd: loadAverage(), minutes: Number(minutes) },
    settings: { fit: false, factsPerFile: 50, repeat: args.repeat ?? '3 up to 10 000 facts, 1 above', seed: 42, now: NOW },
    sizes,
    rebuild,
    cli,
    apkg,
    targets,
    failures: Object.fromEntries(failures),
  }
  if (args.write) {
    await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
    console.log(`\nwrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`)
  }
}

await main()
