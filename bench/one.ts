/**
 * One benchmark measurement, in a process of its own (so peak RSS and JIT state belong to this
 * measurement only). Run by bench/run.ts:
 *
 *   node --import tsx bench/one.ts build    <notes> <out> <now>
 *   node --import tsx bench/one.ts rebuild  <notes> <out> <now> <file>...
 *   node --import tsx bench/one.ts baseline <notes> <out> <now>
 *
 * Prints one line `BENCH_RESULT {json}` on stdout.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import type { AnkiExporter } from 'anki-apkg-export'
import type { BuildResult } from '../src/build.ts'
import type { CompileMemory, ParseCache } from '../src/compile.ts'
import { editOneFile } from './generate.ts'
import { basicSides, clozeField } from '../src/emit/anki/fields.ts'
import { datasetFact } from '../src/emit/dataset/index.ts'
import { assertNever, type Fact } from '../src/facts/model.ts'

export const RESULT_PREFIX = 'BENCH_RESULT '

export interface BuildMeasure {
  /** Milliseconds for the `build()` call. */
  wallMs: number
  /** CPU milliseconds (user + system, all threads) the `build()` call used: less sensitive than wall time to other load on the machine. */
  cpuMs: number
  /** Milliseconds to load cheatdeck's modules (before the build). */
  loadMs: number
  timings: Record<string, number>
  facts: number
  topics: number
  /** Anki notes (facts with card markup) and cards. */
  notes: number
  cards: number
  /** Output name (deck slug replaced by `<deck>`) → bytes. */
  files: Record<string, number>
  /** `process.resourceUsage().maxRSS`, in MB. */
  peakRssMb: number
  diagnostics: { errors: number; warnings: number }
}

export interface RebuildMeasure {
  /** The first build (cold cache, cold JIT), then an unchanged rebuild, then one-file edits. */
  coldMs: number
  noEditMs: number
  editsMs: number[]
  medianMs: number
  /** Stage timings of the median edit rebuild. */
  timings: Record<string, number>
  /** Files parsed again per edit rebuild (should be 1). */
  reparsed: number[]
  peakRssMb: number
}

export interface BaselineMeasure {
  status: 'ok' | 'crashed'
  /** Cards handed to the baseline, and how many it took before it crashed. */
  cards: number
  added: number
  ms: number
  bytes?: number
  error?: string
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024
}

function summary(result: BuildResult, wallMs: number, cpuMs: number, loadMs: number): BuildMeasure {
  const slug = result.notes.deck.slug
  const files: Record<string, number> = {}
  for (const file of result.files) files[path.basename(file.path).replace(slug, '<deck>')] = file.bytes
  return {
    wallMs,
    cpuMs,
    loadMs,
    timings: result.timings,
    facts: result.notes.facts.length,
    topics: result.notes.topics.length,
    notes: result.notes.facts.filter((f) => f.form !== 'none').length,
    cards: result.cards,
    files,
    peakRssMb: peakRssMb(),
    diagnostics: {
      errors: result.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: result.diagnostics.filter((d) => d.severity === 'warning').length,
    },
  }
}

function failed(result: BuildResult): Error {
  const first = result.diagnostics.filter((d) => d.severity === 'error').slice(0, 3)
  return new Error(`build failed: ${first.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.message}`).join('; ')}`)
}

async function measureBuild(notes: string, out: string, now: number): Promise<BuildMeasure> {
  const loadStart = performance.now()
  const { build } = await import('../src/build.ts')
  const loadMs = performance.now() - loadStart
  const cpu = process.cpuUsage()
  const start = performance.now()
  const result = await build({ notes, out, now, fit: false })
  const wallMs = performance.now() - start
  const used = process.cpuUsage(cpu)
  if (!result.ok) throw failed(result)
  return summary(result, wallMs, (used.user + used.system) / 1000, loadMs)
}

async function measureRebuild(notes: string, out: string, now: number, files: string[]): Promise<RebuildMeasure> {
  const { build } = await import('../src/build.ts')
  const cache: ParseCache = new Map()
  const memory: CompileMemory = {}
  // As `build --watch` runs: with the build cache (its default folder), where the outputs keep their per-topic parts.
  const cacheDir = `${out}-cache`
  const run = async (): Promise<{ ms: number; result: BuildResult; reparsed: number }> => {
    const before = new Map([...cache].map(([key, entry]) => [key, entry.parsed]))
    const start = performance.now()
    const result = await build({ notes, out, now, fit: false, cache, memory, cacheDir })
    const ms = performance.now() - start
    if (!result.ok) throw failed(result)
    const reparsed = [...cache].filter(([key, entry]) => before.get(key) !== entry.parsed).length
    return { ms, result, reparsed }
  }
  const cold = await run()
  const noEdit = await run()
  const edits: { ms: number; result: BuildResult; reparsed: number }[] = []
  for (const [round, file] of files.entries()) {
    await editOneFile(path.join(notes, file), round + 1)
    edits.push(await run())
  }
  const sorted = [...edits].sort((a, b) => a.ms - b.ms)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]
  if (!median) throw new Error('rebuild: no files to edit')
  return {
    coldMs: cold.ms,
    noEditMs: noEdit.ms,
    editsMs: edits.map((e) => e.ms),
    medianMs: median.ms,
    timings: median.result.timings,
    reparsed: edits.map((e) => e.reparsed),
    peakRssMb: peakRssMb(),
  }
}

/** The same cards through anki-apkg-export 4.0.3: one Basic card per note, front/back HTML. */
export function baselineCard(fact: Fact): { front: string; back: string } | undefined {
  switch (fact.form) {
    case 'cloze':
      // No Cloze note type there: the cloze field as the front, the whole fact as the back.
      return { front: clozeField(fact), back: String(datasetFact(fact)['html']) }
    case 'term':
    case 'qa':
    case 'reversed':
      return basicSides(fact)
    case 'none':
      return undefined
    default:
      return assertNever(fact)
  }
}

async function measureBaseline(notes: string, now: number): Promise<BaselineMeasure> {
  const { compile } = await import('../src/compile.ts')
  const compiled = await compile({ notes, now })
  const cards = compiled.notes.facts.map(baselineCard).filter((c) => c !== undefined)
  const require = createRequire(import.meta.url)
  const loaded = require('anki-apkg-export') as typeof import('anki-apkg-export').default
  let added = 0
  const start = performance.now()
  try {
    const deck: AnkiExporter = loaded.default(compiled.notes.deck.title)
    for (const card of cards) {
      deck.addCard(card.front, card.back)
      added++
    }
    const zip = await deck.save()
    return { status: 'ok', cards: cards.length, added, ms: performance.now() - start, bytes: zip.byteLength }
  } catch (error) {
    const message = String((error as Error)?.message ?? error).replace(/\s+/g, ' ')
    return { status: 'crashed', cards: cards.length, added, ms: performance.now() - start, error: message.slice(0, 200) }
  }
}

const [mode, notes, out, nowText, ...rest] = process.argv.slice(2)
if (!mode || !notes || !out || !nowText) {
  console.error('usage: node --import tsx bench/one.ts build|rebuild|baseline <notes> <out> <now> [files…]')
  process.exit(2)
}
const now = Number(nowText)
const measured =
  mode === 'build' ? await measureBuild(notes, out, now)
  : mode === 'rebuild' ? await measureRebuild(notes, out, now, rest)
  : mode === 'baseline' ? await measureBaseline(notes, now)
  : undefined
if (!measured) {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(measured)}\n`)
