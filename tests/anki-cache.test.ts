/**
 * The `.apkg` from the persistent cache after a one-file edit: only that topic's notes are made
 * again (its new cache entry is the only one), the rest come from the cache — from the disk in a
 * fresh process, from memory in the same one (watch) — and the package has exactly the bytes a
 * cold build writes: ids and new-queue positions assembled again, the edited note's `mod` new,
 * the others' unchanged. Read back with real SQLite (sql.js).
 */
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BuildOptions, BuildResult } from '../src/build.ts'
import { copyShippedNotes } from './helpers/fixture.ts'
import { openApkg, rows } from './anki-read.ts'

const NOW = 1_796_169_600
const LATER = NOW + 86_400
const APKG = 'aws-devops-pro-dop-c02.apkg'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

type Build = (options: BuildOptions) => Promise<BuildResult>

/** `build` from freshly loaded modules: nothing kept in memory by an earlier build, as in a new process. */
async function freshBuild(): Promise<Build> {
  vi.resetModules()
  return (await import('../src/build.ts')).build
}

async function workspace(): Promise<{ dir: string; notes: string }> {
  const { dir, notes } = await copyShippedNotes()
  dirs.push(dir)
  return { dir, notes }
}

/** A new fact at the top of the first topic (every later fact moves down the new queue), and one fact reworded. */
async function edit(notes: string): Promise<void> {
  const file = path.join(notes, 'api-gateway.md')
  const text = await readFile(file, 'utf8')
  const lines = text.split('\n')
  const firstFact = lines.findIndex((line) => line.startsWith('- '))
  lines.splice(firstFact, 0, '- A ==usage plan== throttles each API key. ^anki-cache-new')
  const reworded = lines.findIndex((line, i) => i > firstFact + 1 && line.startsWith('- ') && line.includes('=='))
  lines[reworded] = lines[reworded]!.replace('==', '==really ')
  await writeFile(file, lines.join('\n'))
}

async function apkgOf(result: BuildResult): Promise<Buffer> {
  expect(result.ok).toBe(true)
  const file = result.files.find((f) => path.basename(f.path) === APKG)
  if (!file) throw new Error(`no ${APKG} written`)
  return readFile(file.path)
}

const topicEntries = async (cache: string): Promise<string[]> => (await readdir(path.join(cache, 'apkg-topic')).catch(() => [])).sort()

describe('the .apkg after a one-file edit, from the cache', { timeout: 240_000 }, () => {
  it.each(['a fresh process (records from the disk)', 'the same process (records from memory, as in watch)'])(
    'makes only that topic again and writes the bytes of a cold build, in %s',
    async (where) => {
      const warm = await workspace()
      const cold = await workspace()
      const cache = path.join(warm.dir, 'cache')
      let build = await freshBuild()
      await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: NOW, fit: false, cacheDir: cache })
      await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: NOW, fit: false })
      const before = await topicEntries(cache)
      expect(before.length).toBeGreaterThan(30)

      await edit(warm.notes)
      await edit(cold.notes)
      if (where.startsWith('a fresh')) build = await freshBuild()
      const warmBytes = await apkgOf(await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: LATER, fit: false, cacheDir: cache }))
      build = await freshBuild()
      const coldBytes = await apkgOf(await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: LATER, fit: false }))

      // One new entry: the edited topic's records; every other topic's came from the cache.
      const after = await topicEntries(cache)
      expect(after.filter((entry) => !before.includes(entry))).toHaveLength(1)
      expect(warmBytes.equals(coldBytes)).toBe(true)

      // The edit is in the package: the new and the reworded note are newer, nothing else is.
      const { db } = await openApkg(warmBytes)
      const changed = rows(db, `SELECT flds FROM notes WHERE mod = ${LATER}`).map((note) => String(note['flds']).split('\x1f')[0])
      expect(changed).toHaveLength(2)
      expect(changed.some((front) => front?.includes('usage plan'))).toBe(true)
      expect(changed.some((front) => front?.includes('really '))).toBe(true)
      // The new fact comes first in the new queue; the rest keep document order behind it.
      const [first] = rows(db, 'SELECT n.flds FROM cards c JOIN notes n ON n.id = c.nid ORDER BY c.due, c.id LIMIT 1')
      expect(String(first?.['flds'])).toContain('usage plan')
    },
  )

  it('reads an unchanged deck back whole, and makes it again when only the templates change', async () => {
    const { dir, notes } = await workspace()
    const cache = path.join(dir, 'cache')
    const out = path.join(dir, 'dist')
    let build = await freshBuild()
    const first = await apkgOf(await build({ notes, out, now: NOW, fit: false, cacheDir: cache }))
    const entries = await topicEntries(cache)
    build = await freshBuild()
    const again = await build({ notes, out, now: LATER, fit: false, cacheDir: cache })
    expect((await apkgOf(again)).equals(first)).toBe(true)
    expect(await topicEntries(cache)).toEqual(entries)

    // Other templates: a new package (the note types' mod rises), from the same kept notes.
    const templates = path.join(dir, 'templates')
    await cp(path.resolve(import.meta.dirname, '..', 'templates'), templates, { recursive: true })
    await writeFile(path.join(templates, 'anki', 'style.css'), `${await readFile(path.join(templates, 'anki', 'style.css'), 'utf8')}\n.card { color: teal; }\n`)
    build = await freshBuild()
    const restyled = await apkgOf(await build({ notes, out, now: LATER, fit: false, cacheDir: cache, templates }))
    expect(restyled.equals(first)).toBe(false)
    expect(await topicEntries(cache)).toEqual(entries)
    const { db } = await openApkg(restyled)
    const [col] = rows(db, 'SELECT models FROM col')
    const models = Object.values(JSON.parse(String(col?.['models']))) as { mod: number; css: string }[]
    expect(models.every((model) => model.mod === LATER && model.css.includes('teal'))).toBe(true)
  })
})
