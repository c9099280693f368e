/**
 * The persistent build cache: a build that takes its parsed files from the cache writes the same
 * bytes as a cold one, for every output and the lockfile; a damaged cache is never believed (the
 * build silently parses again); only the files whose text changed are parsed again.
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { CacheStore } from '../src/cache/store.ts'
import { pruneCache } from '../src/cache/prune.ts'
import { main } from '../src/cli.ts'
import { findChromium } from '../src/emit/sheet/browser.ts'
import { build, type BuildResult } from '../src/index.ts'
import { LOCKFILE } from '../src/notes/read.ts'

const REQUIRED = process.env['CHEATDECK_REQUIRE_BROWSER'] === '1'
const chromium = findChromium()
if (!chromium && REQUIRED) throw new Error('CHEATDECK_REQUIRE_BROWSER=1 but no Chromium found')

const SHIPPED = path.resolve(import.meta.dirname, '..', 'notes')
const NOW = 1_796_169_600
const CLI = path.resolve(import.meta.dirname, '..', 'src', 'bin', 'cheatdeck.ts')
/** tsx's loader by URL: the build runs from a folder that cannot resolve it by name. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

const dirs: string[] = []
const savedEpoch = process.env['SOURCE_DATE_EPOCH']
const savedChromium = process.env['CHROMIUM_PATH']
afterEach(async () => {
  if (savedChromium === undefined) delete process.env['CHROMIUM_PATH']
  else process.env['CHROMIUM_PATH'] = savedChromium
  if (savedEpoch === undefined) delete process.env['SOURCE_DATE_EPOCH']
  else process.env['SOURCE_DATE_EPOCH'] = savedEpoch
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A temp folder with a copy of the shipped notes (lockfile included) and room for outputs and a cache. */
async function workspace(): Promise<{ dir: string; notes: string; cache: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-cache-'))
  dirs.push(dir)
  const notes = path.join(dir, 'notes')
  await cp(SHIPPED, notes, { recursive: true })
  return { dir, notes, cache: path.join(dir, 'cache') }
}

/** Every file a build wrote (outputs and lockfile), by name, as bytes. */
async function written(result: BuildResult): Promise<Record<string, Buffer>> {
  expect(result.ok).toBe(true)
  const files = await Promise.all(result.files.map(async (file) => [path.basename(file.path), await readFile(file.path)] as const))
  return Object.fromEntries(files)
}

async function entries(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(path.join(entry.parentPath, entry.name))
  }
  return found.sort()
}

const topicFiles = async (notes: string): Promise<string[]> => (await readdir(notes)).filter((name) => name.endsWith('.md')).sort()

describe('the persistent cache', () => {
  it('gives a warm build the same bytes as a cold one, for every output and the lockfile', async () => {
    const cold = await workspace()
    const warm = await workspace()
    const first = await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: NOW, fit: false, cacheDir: cold.cache })
    expect(first.parsed).toEqual(await topicFiles(cold.notes))
    // The second workspace reads the first one's cache: no file is parsed again.
    const second = await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: NOW, fit: false, cacheDir: cold.cache })
    expect(second.parsed).toEqual([])
    const [coldFiles, warmFiles] = [await written(first), await written(second)]
    expect(Object.keys(warmFiles).sort()).toEqual(['aws-devops-pro-dop-c02.apkg', 'aws-devops-pro-dop-c02.sheet.html', 'facts.json', 'facts.schema.json'])
    for (const name of Object.keys(coldFiles)) expect(warmFiles[name]?.equals(coldFiles[name]!), name).toBe(true)
    expect(await readFile(path.join(warm.notes, LOCKFILE), 'utf8')).toBe(await readFile(path.join(cold.notes, LOCKFILE), 'utf8'))
    expect(second.diagnostics).toEqual(first.diagnostics)
    expect(second.changes).toEqual(first.changes)
  })

  it('gives a one-file edit the same bytes as a cold build, and makes only that topic\'s part of facts.json again', async () => {
    const edit = async (notes: string): Promise<void> => {
      const file = path.join(notes, 'cloudformation.md')
      const text = await readFile(file, 'utf8')
      expect(text).toContain('static lookup tables')
      await writeFile(file, text.replace('static lookup tables', 'static lookup maps'))
    }
    const fragments = async (cache: string): Promise<string[]> => (await entries(cache)).filter((file) => file.includes(`${path.sep}dataset-topic${path.sep}`))
    // Cold: no cache at either build. Warm: both builds share one.
    const cold = await workspace()
    const warm = await workspace()
    await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: NOW, fit: false })
    await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: NOW, fit: false, cacheDir: warm.cache })
    const topics = await fragments(warm.cache)
    expect(topics.length).toBe((await topicFiles(warm.notes)).length)
    await edit(cold.notes)
    await edit(warm.notes)
    const coldEdit = await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: NOW + 60, fit: false })
    const warmEdit = await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: NOW + 60, fit: false, cacheDir: warm.cache })
    expect(warmEdit.parsed).toEqual(['cloudformation.md'])
    expect(warmEdit.changes.changed).toEqual(['cfn-mappings'])
    const [coldFiles, warmFiles] = [await written(coldEdit), await written(warmEdit)]
    expect(Object.keys(warmFiles).sort()).toEqual(Object.keys(coldFiles).sort())
    expect(Object.keys(warmFiles)).toContain(LOCKFILE)
    for (const name of Object.keys(coldFiles)) expect(warmFiles[name]?.equals(coldFiles[name]!), name).toBe(true)
    // One topic's part of the dataset made again; every other one taken from the cache.
    const after = await fragments(warm.cache)
    expect(after.length).toBe(topics.length + 1)
    expect(after.filter((file) => !topics.includes(file))).toHaveLength(1)
  })

  it('gives back the same problems, as vfile messages, from the cache', async () => {
    const run = async (notes: string, cache: string, json: boolean): Promise<{ code: number; out: string; err: string }> => {
      let out = ''
      let err = ''
      const args = ['check', '--notes', notes, '--cache-dir', cache, ...(json ? ['--json'] : [])]
      const code = await main(args, { stdout: (text) => void (out += text), stderr: (text) => void (err += text) })
      return { code, out, err }
    }
    process.env['SOURCE_DATE_EPOCH'] = String(NOW)
    const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-cache-'))
    dirs.push(dir)
    const notes = path.join(dir, 'notes')
    await cp(path.join(import.meta.dirname, 'fixtures', 'check'), notes, { recursive: true })
    const cache = path.join(dir, 'cache')
    const coldJson = await run(notes, cache, true)
    const warmJson = await run(notes, cache, true)
    const [cold, warm] = [coldJson, warmJson].map((r) => JSON.parse(r.out) as { parsed: string[]; timings: unknown; diagnostics: unknown[] })
    expect(cold!.parsed.length).toBeGreaterThan(4)
    expect(warm!.parsed).toEqual([])
    expect(cold!.diagnostics.length).toBeGreaterThan(10)
    expect({ ...warm, parsed: [], timings: {} }).toEqual({ ...cold, parsed: [], timings: {} })
    expect(warmJson.code).toBe(coldJson.code)
    // The human report too: positions, ranges, severities, the related place of a duplicate.
    const text = await run(notes, cache, false)
    const fresh = await run(notes, path.join(dir, 'other-cache'), false)
    expect(text.err).toContain('first used here')
    expect(text).toEqual(fresh)
  })

  it('parses again only the file whose text changed', async () => {
    const { dir, notes, cache } = await workspace()
    const out = path.join(dir, 'dist')
    await build({ notes, out, now: NOW, fit: false, cacheDir: cache })
    const file = path.join(notes, 'cloudformation.md')
    await writeFile(file, `${await readFile(file, 'utf8')}\n- A stack can be **terminated** with termination protection off. ^cache-test-edit\n`)
    const edited = await build({ notes, out, now: NOW, fit: false, cacheDir: cache })
    expect(edited.parsed).toEqual(['cloudformation.md'])
    expect(edited.notes.facts.some((fact) => fact.id === 'cache-test-edit')).toBe(true)
  })

  it('falls back to a cold build, silently and with the same bytes, when the cache is damaged', async () => {
    const cold = await workspace()
    const reference = await written(await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: NOW, fit: false, cacheDir: cold.cache }))
    const files = await entries(cold.cache)
    expect(files.length).toBeGreaterThan(30)
    // Every way an entry can be damaged: cut short, a byte flipped in the value, garbage, empty, a folder in its place.
    for (const [i, file] of files.entries()) {
      const bytes = await readFile(file)
      const damage = i % 5
      if (damage === 0) await writeFile(file, bytes.subarray(0, bytes.length >> 1))
      else if (damage === 1) await writeFile(file, Buffer.from(bytes.map((b, at) => (at === bytes.length - 3 ? b ^ 0xff : b))))
      else if (damage === 2) await writeFile(file, 'not a cache entry')
      else if (damage === 3) await writeFile(file, '')
      else {
        await rm(file)
        await mkdir(file)
      }
    }
    const again = await workspace()
    const result = await build({ notes: again.notes, out: path.join(again.dir, 'dist'), now: NOW, fit: false, cacheDir: cold.cache })
    expect(result.parsed).toEqual(await topicFiles(again.notes))
    const rebuilt = await written(result)
    for (const name of Object.keys(reference)) expect(rebuilt[name]?.equals(reference[name]!), name).toBe(true)
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(result.notices).toEqual([])
  })

  it('is used by the CLI in --cache-dir, and --no-cache neither reads nor writes one', async () => {
    const { dir, notes, cache } = await workspace()
    const io = { stdout: (): void => {}, stderr: (): void => {} }
    const out = path.join(dir, 'dist')
    expect(await main(['build', '--notes', notes, '--out', out, '--no-fit', '--no-cache', '--cache-dir', cache], io)).toBe(0)
    expect(await stat(cache).catch(() => undefined)).toBeUndefined()
    expect(await main(['build', '--notes', notes, '--out', out, '--no-fit', '--cache-dir', cache], io)).toBe(0)
    expect((await entries(cache)).length).toBeGreaterThan(30)
    let json = ''
    expect(await main(['build', '--notes', notes, '--out', out, '--no-fit', '--cache-dir', cache, '--json'], { ...io, stdout: (text) => (json += text) })).toBe(0)
    expect((JSON.parse(json) as { parsed: string[] }).parsed).toEqual([])
  })
})

describe('where the cache lives', () => {
  it('is the user\'s cache folder when the notes are in no package (npx, a global install)', async () => {
    const { dir, notes } = await workspace()
    const userCache = path.join(dir, 'user-cache')
    const run = (): string => {
      const child = spawnSync(process.execPath, ['--import', TSX, CLI, 'build', '--notes', notes, '--out', 'dist', '--no-fit', '--json'], {
        cwd: dir,
        env: { ...process.env, XDG_CACHE_HOME: userCache },
        encoding: 'utf8',
      })
      expect(child.status, child.stderr).toBe(0)
      return child.stdout
    }
    // The temp folder is in no package: nothing up from it has a package.json.
    for (let up = dir; path.dirname(up) !== up; up = path.dirname(up)) expect(await stat(path.join(up, 'package.json')).catch(() => undefined)).toBeUndefined()
    expect((JSON.parse(run()) as { parsed: string[] }).parsed.length).toBeGreaterThan(10)
    expect((await entries(path.join(userCache, 'cheatdeck'))).length).toBeGreaterThan(30)
    expect((JSON.parse(run()) as { parsed: string[] }).parsed).toEqual([])
  })

  it('deletes entries not written for a month, at most once a day', async () => {
    const { cache } = await workspace()
    const now = Date.now()
    const entry = async (name: string, ageDays: number): Promise<string> => {
      const file = path.join(cache, 'topic', name)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, 'x')
      const time = new Date(now - ageDays * 86_400_000)
      await utimes(file, time, time)
      return file
    }
    const old = await entry('old', 31)
    const recent = await entry('recent', 29)
    await CacheStore.open(cache)
    expect(await stat(old).catch(() => undefined)).toBeUndefined()
    expect(await stat(recent)).toBeDefined()
    // Pruned today: a second store opened does not walk the folder again.
    const older = await entry('older', 40)
    await CacheStore.open(cache)
    expect(await stat(older)).toBeDefined()
    // A day later it does.
    await pruneCache(cache, now + 86_400_000 + 1000)
    expect(await stat(older).catch(() => undefined)).toBeUndefined()
    expect(await stat(recent).catch(() => undefined)).toBeUndefined()
  })
})

describe.skipIf(!chromium)('the sheet fit, kept by the sheet\'s content', { timeout: 240_000 }, () => {
  it('starts Chromium only when the sheet changed, and bakes in the same fit', async () => {
    // A Chromium that counts its launches (one line each), then runs the real one.
    const cold = await workspace()
    const launches = path.join(cold.dir, 'launches')
    const wrapper = path.join(cold.dir, 'chromium')
    await writeFile(wrapper, `#!/bin/sh\necho launch >> '${launches}'\nexec '${chromium}' "$@"\n`, { mode: 0o755 })
    process.env['CHROMIUM_PATH'] = wrapper
    const count = async (): Promise<number> => (await readFile(launches, 'utf8').catch(() => '')).split('\n').filter(Boolean).length

    const first = await build({ notes: cold.notes, out: path.join(cold.dir, 'dist'), now: NOW, cacheDir: cold.cache })
    expect(await count()).toBe(1)
    expect(first.notices.join('\n')).toMatch(/sheet: one page at [\d.]+ pt in \d columns/)
    const warm = await workspace()
    const second = await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: NOW, cacheDir: cold.cache })
    expect(await count()).toBe(1)
    expect(second.notices).toEqual(first.notices)
    const [coldFiles, warmFiles] = [await written(first), await written(second)]
    for (const name of Object.keys(coldFiles)) expect(warmFiles[name]?.equals(coldFiles[name]!), name).toBe(true)

    // Another sheet (a fact added): measured again.
    const file = path.join(warm.notes, 'cloudwatch.md')
    await writeFile(file, `${await readFile(file, 'utf8')}\n- Metric math can ==combine several metrics== in one alarm. ^cache-fit-edit\n`)
    await build({ notes: warm.notes, out: path.join(warm.dir, 'dist'), now: NOW, cacheDir: cold.cache })
    expect(await count()).toBe(2)
  })
})
