/**
 * `build --watch` rebuilds whose sheet changed, with the sheet fitted in Chromium: a copy of the
 * shipped notes is watched (with a build cache, as the command does) and edited a word at a time;
 * each rebuild's time from the edit to its result, and its sheet stage, are printed with how many
 * times the session started Chromium. Needs a Chromium.
 *
 *   npx tsx bench/watch-sheet.ts [--rounds 5]
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createSheetBrowserPool } from '../src/emit/sheet/browser-pool.ts'
import { watchBuild, type WatchEvent } from '../src/watch.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } })
const rounds = Number(values.rounds)

const dir = await mkdtemp(path.join(os.tmpdir(), 'cheatdeck-watch-sheet-'))
const notes = path.join(dir, 'notes')
await cp(path.join(ROOT, 'notes'), notes, { recursive: true })
const events: { event: WatchEvent; at: number }[] = []
let wake: (() => void) | undefined
const next = async (count: number): Promise<{ event: WatchEvent; at: number }> => {
  while (events.length < count) await new Promise<void>((resolve) => (wake = resolve))
  const got = events[count - 1]!
  if (got.event.type === 'crash') throw got.event.error
  if (!got.event.result.ok) throw new Error('the build failed')
  return got
}
const ms = (value: number | undefined): string => `${Math.round(value ?? 0)} ms`
const sheetMs = (event: WatchEvent): number => (event.type === 'build' ? (event.result.timings['sheet'] ?? 0) : 0)

const browser = createSheetBrowserPool()
const start = performance.now()
const watcher = watchBuild({ notes, out: path.join(dir, 'dist'), cacheDir: path.join(dir, 'cache'), debounceMs: 30, browser }, (event) => {
  events.push({ event, at: performance.now() })
  wake?.()
})
try {
  const first = await next(1)
  console.log(`first build: ${ms(first.at - start)} (sheet ${ms(sheetMs(first.event))})`)
  const file = path.join(notes, 'lambda.md')
  const text = await readFile(file, 'utf8')
  const walls: number[] = []
  for (let round = 1; round <= rounds; round++) {
    // A new word in the first fact each time: a sheet never measured before, so Chromium fits it.
    const edited = text.replace(/\n- /, `\n- Edit${round} `)
    const at = performance.now()
    await writeFile(file, edited)
    const rebuilt = await next(round + 1)
    walls.push(rebuilt.at - at)
    console.log(`rebuild ${round}: ${ms(rebuilt.at - at)} from the edit (30 ms of it debounce), sheet ${ms(sheetMs(rebuilt.event))}`)
  }
  const sorted = [...walls].sort((a, b) => a - b)
  console.log(`median rebuild ${ms(sorted[Math.floor(sorted.length / 2)])}; Chromium started ${browser.launches} time(s); load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
} finally {
  await watcher.close()
  await rm(dir, { recursive: true, force: true })
}
