/**
 * `facts.json` from the persistent cache: each topic's part is kept under the digests of its
 * facts but for their place in the deck. A fact added at the top of the first topic moves every
 * later fact's `order`: only that topic's part is made again (one new cache entry), the others are
 * taken back with their `order` moved, and the file has exactly the bytes a cold build writes.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { build, type BuildResult } from '../src/build.ts'
import { moveOrders } from '../src/emit/dataset/output.ts'
import { copyShippedNotes } from './helpers/fixture.ts'

const NOW = 1_796_169_600
const LATER = NOW + 86_400

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function workspace(): Promise<{ dir: string; notes: string }> {
  const { dir, notes } = await copyShippedNotes()
  dirs.push(dir)
  return { dir, notes }
}

/** A new fact above every other: each later fact's `order` goes up by one. */
async function insertFact(notes: string): Promise<void> {
  const file = path.join(notes, 'api-gateway.md')
  const lines = (await readFile(file, 'utf8')).split('\n')
  lines.splice(lines.findIndex((line) => line.startsWith('- ')), 0, '- A ==usage plan== throttles each API key. ^dataset-cache-new')
  await writeFile(file, lines.join('\n'))
}

async function datasetOf(result: BuildResult): Promise<string> {
  expect(result.ok).toBe(true)
  const file = result.files.find((f) => path.basename(f.path) === 'facts.json')
  if (!file) throw new Error('no facts.json written')
  return readFile(file.path, 'utf8')
}

const entries = async (cache: string): Promise<string[]> => (await readdir(path.join(cache, 'dataset-topic')).catch(() => [])).sort()

describe('facts.json after a fact is added above the others, from the cache', { timeout: 240_000 }, () => {
  it('makes only the edited topic again and writes the bytes of a cold build', async () => {
    const warm = await workspace()
    const cold = await workspace()
    const cache = path.join(warm.dir, 'cache')
    await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: NOW, fit: false, only: ['dataset'], cacheDir: cache })
    const before = await entries(cache)
    expect(before.length).toBeGreaterThan(30)

    await insertFact(warm.notes)
    await insertFact(cold.notes)
    const warmText = await datasetOf(await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: LATER, fit: false, only: ['dataset'], cacheDir: cache }))
    const coldText = await datasetOf(await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: LATER, fit: false, only: ['dataset'] }))
    expect(warmText).toBe(coldText)
    const after = await entries(cache)
    expect(after.filter((entry) => !before.includes(entry))).toHaveLength(1)

    // The orders did move: the last fact's is one more than before the insert.
    const facts = (JSON.parse(coldText) as { facts: { order: number; id: string }[] }).facts
    expect(facts.at(-1)!.order).toBe(facts.length - 1)
    expect(facts[0]!.id).toBe('dataset-cache-new')
  })
})

describe('moveOrders', () => {
  it('moves the facts’ own `order` fields only, not a nested one or one in a text', () => {
    const fragment = JSON.stringify({ facts: [{ id: 'a', text: '"order": 1,', cloze: { order: 3 }, order: 1, source: 'x' }, { id: 'b', order: 2, source: 'y' }] }, null, 2).slice('{\n  "facts": [\n    '.length, -'\n  ]\n}'.length)
    const moved = JSON.parse(`[${moveOrders(fragment, 5)}]`) as { text: string; cloze?: { order: number }; order: number }[]
    expect(moved.map((fact) => fact.order)).toEqual([6, 7])
    expect(moved[0]!.cloze!.order).toBe(3)
    expect(moved[0]!.text).toBe('"order": 1,')
  })
})
