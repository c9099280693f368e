/**
 * The benchmark's command-line rows: the installed command (`dist/lib/bin/cheatdeck.js` and the
 * bundle it loads, compiled first) run as people run it, each time in a fresh process, against
 * `node -e ''` in the same run. Wall time (spawn to exit) and CPU time (user + system, read in
 * the child at exit).
 */
import { spawn } from 'node:child_process'
import { cp, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { editOneFile } from './generate.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BIN = path.join(ROOT, 'dist', 'lib', 'bin', 'cheatdeck.js')
const CPU_PREFIX = 'BENCH_CPU '
// Loaded before the program in every measured process (the `node -e ''` reference too): reports its CPU at exit.
const REPORT_CPU = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\n${CPU_PREFIX}'+JSON.stringify({cpuMs:(u.user+u.system)/1000,rssMb:process.resourceUsage().maxRSS/1024})+'\\n')})`

export interface ProcessRun {
  wallMs: number
  cpuMs: number
  rssMb: number
}

/** One fresh process: `node <args>`, timed; throws with its stderr tail unless it exits 0. */
export function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(process.execPath, ['--import', REPORT_CPU, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => {
      const wallMs = performance.now() - start
      const line = stderr.split('\n').find((l) => l.startsWith(CPU_PREFIX))
      if (code !== 0 || !line) {
        reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`))
        return
      }
      const { cpuMs, rssMb } = JSON.parse(line.slice(CPU_PREFIX.length)) as { cpuMs: number; rssMb: number }
      resolve({ wallMs, cpuMs, rssMb })
    })
  })
}

/** The fastest of `repeat` runs (by wall time), and all their wall times. */
export async function fastest(repeat: number, run: () => Promise<ProcessRun>): Promise<ProcessRun & { runsMs: number[] }> {
  const runs: ProcessRun[] = []
  for (let i = 0; i < repeat; i++) runs.push(await run())
  const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a))
  return { ...best, runsMs: runs.map((r) => r.wallMs) }
}

/** `npm run compile` (what `npm pack` ships: src/ to dist/lib, the command bundled), so the command measured is this checkout's. */
export async function compileBin(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'compile'], { cwd: ROOT, stdio: 'inherit' })
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run compile exited with ${code}`))))
  })
}

export interface StartupMeasure {
  /** `node -e ''` in the same run. */
  node: ProcessRun & { runsMs: number[] }
  /** `build --no-fit` with no cache (every file parsed, the deck zipped). */
  cold: ProcessRun & { runsMs: number[] }
  /** `build --no-fit` again with the cache the first build filled (nothing changed). */
  warm: ProcessRun & { runsMs: number[] }
  /** `build --no-fit` after one fact of one file was edited (warm cache otherwise). */
  edited: ProcessRun & { runsMs: number[] }
  /** With the sheet fitted in Chromium: nothing changed (the fit from the cache), and one fact edited (fitted again). */
  fit?: { unchanged: ProcessRun & { runsMs: number[] }; changed: ProcessRun & { runsMs: number[] } }
}

/** The shipped notes through the command: start-up, warm, one edit; with Chromium, the fit rows. */
export async function measureStartup(work: string, notesDir: string, now: number, repeat: number, chromium: boolean): Promise<StartupMeasure> {
  const notes = path.join(work, 'shipped-notes')
  await cp(notesDir, notes, { recursive: true })
  const cache = path.join(work, 'shipped-cache')
  const out = path.join(work, 'shipped-out')
  const env = { SOURCE_DATE_EPOCH: String(now) }
  const command = (...extra: string[]): Promise<ProcessRun> => timeProcess([BIN, 'build', '--notes', notes, '--out', out, ...extra], env)
  const node = await fastest(repeat, () => timeProcess(['-e', '']))
  const cold = await fastest(repeat, () => command('--no-fit', '--no-cache'))
  await command('--no-fit', '--cache-dir', cache)
  const warm = await fastest(repeat, () => command('--no-fit', '--cache-dir', cache))
  const file = path.join(notes, 'cloudformation.md')
  let round = 0
  const edited = await fastest(repeat, async () => {
    await editFirstFact(file, ++round)
    return command('--no-fit', '--cache-dir', cache)
  })
  const result: StartupMeasure = { node, cold, warm, edited }
  if (chromium) {
    await command('--cache-dir', cache)
    const unchanged = await fastest(repeat, () => command('--cache-dir', cache))
    const changed = await fastest(repeat, async () => {
      await editFirstFact(file, ++round)
      return command('--cache-dir', cache)
    })
    result.fit = { unchanged, changed }
  }
  return result
}

/** A word put in the first fact of `file` (pinned or not): the sheet and the deck change. */
async function editFirstFact(file: string, round: number): Promise<void> {
  const text = await readFile(file, 'utf8')
  await writeFile(file, text.replace(/^- /m, `- Edit ${round}: `))
}

/** 10 000 facts: a first build fills the cache, then one file is edited and a fresh process builds. */
export async function measureEditedLarge(notes: string, topicFiles: readonly string[], work: string, now: number, repeat: number): Promise<ProcessRun & { runsMs: number[] }> {
  const cache = path.join(work, 'large-cache')
  const out = path.join(work, 'large-out')
  await rm(path.join(notes, 'cheatdeck.lock.json'), { force: true })
  const env = { SOURCE_DATE_EPOCH: String(now) }
  const command = (): Promise<ProcessRun> => timeProcess([BIN, 'build', '--notes', notes, '--out', out, '--no-fit', '--cache-dir', cache], env)
  await command()
  let round = 100
  return fastest(repeat, async () => {
    const file = topicFiles[(round * 7) % topicFiles.length] ?? topicFiles[0] ?? ''
    await editOneFile(path.join(notes, file), ++round)
    return command()
  })
}
