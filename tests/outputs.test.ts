/**
 * Outputs as a registry: `build` writes whatever each registered output returns, atomically with
 * the rest, and records the lockfile updates they return. Proved with throw-away outputs beside
 * the shipped ones.
 */
import fsp, { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { build, check, type Emission, type Output } from '../src/index.ts'
import { diagnostic } from '../src/diagnostics.ts'
import { outputs } from '../src/emit/index.ts'
import { LOCKFILE } from '../src/notes/read.ts'
import { copyFixture } from './helpers/fixture.ts'

const T0 = 1_767_225_600
const encode = (text: string): Uint8Array => new TextEncoder().encode(text)
const TEMP = /\.tmp(-old)?-\d+-\d+$/

/** An output that writes `name` with `text`, and whatever else `extra` adds to its emission. */
function probe(id: string, name: string, text: string, extra: Partial<Emission> = {}): Output {
  return { id, description: `throw-away output ${id}`, emit: async () => ({ files: [{ name, data: encode(text) }], ...extra }) }
}

const dirs: string[] = []
async function fixture(): Promise<{ notes: string; out: string }> {
  const copy = await copyFixture('identity')
  dirs.push(copy.dir)
  return copy
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort()
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, (await readFile(path.join(dir, name))).toString('base64')] as const)))
}

// A ceiling for a loaded machine, not a speed claim (speed belongs in `npm run bench`).
const SLOW = { timeout: 60_000 }

describe('a registered output', SLOW, () => {
  it('has its file written with the others, in registry order, before the lockfile', async () => {
    const { notes, out } = await fixture()
    const result = await build({ notes, out, now: T0, fit: false, outputs: [...outputs, probe('extra', 'extra.txt', 'hello\n')] })
    expect(result.ok).toBe(true)
    expect(result.files.map((f) => path.relative(path.dirname(notes), f.path))).toEqual([
      'dist/facts.json',
      'dist/facts.schema.json',
      'dist/test-deck.sheet.html',
      'dist/test-deck.apkg',
      'dist/extra.txt',
      `notes/${LOCKFILE}`,
    ])
    expect(await readFile(path.join(out, 'extra.txt'), 'utf8')).toBe('hello\n')
  })

  it('is rolled back with every other file when a later rename fails', async () => {
    const { notes, out } = await fixture()
    const registry = [probe('first', 'first.txt', 'v1\n'), ...outputs, probe('last', 'last.txt', 'v1\n')]
    expect((await build({ notes, out, now: T0, fit: false, outputs: registry })).ok).toBe(true)
    const before = await snapshot(out)
    const lockBefore = await readFile(path.join(notes, LOCKFILE), 'utf8')
    await writeFile(path.join(notes, 'queues.md'), (await readFile(path.join(notes, 'queues.md'), 'utf8')).replace('four days', 'four (4) days'))

    // Every file is staged and all but `last.txt` renamed into place when that rename fails.
    const renamed: string[] = []
    const rename = fsp.rename
    fsp.rename = async (from, to) => {
      if (String(from).includes('.tmp-') && !String(from).includes('.tmp-old-')) {
        if (path.basename(String(to)) === 'last.txt') throw Object.assign(new Error('EIO: injected failure'), { code: 'EIO' })
        renamed.push(path.basename(String(to)))
      }
      return rename(from, to)
    }
    syncBuiltinESMExports()
    try {
      await expect(build({ notes, out, now: T0 + 60, fit: false, outputs: [probe('first', 'first.txt', 'v2\n'), ...outputs, probe('last', 'last.txt', 'v2\n')] })).rejects.toThrow('injected failure')
    } finally {
      fsp.rename = rename
      syncBuiltinESMExports()
    }
    expect(renamed).toEqual(['first.txt', 'facts.json', 'facts.schema.json', 'test-deck.sheet.html', 'test-deck.apkg'])
    expect(await snapshot(out)).toEqual(before)
    expect(await readFile(path.join(notes, LOCKFILE), 'utf8')).toBe(lockBefore)
    expect((await readdir(notes)).filter((name) => TEMP.test(name))).toEqual([])
  })

  it('may give its file as chunks, made while it is written: counted, and rolled back with the rest when making them fails', async () => {
    const { notes, out } = await fixture()
    const chunked = (id: string, fail: boolean): Output => ({
      id,
      description: `throw-away output ${id}`,
      emit: async () => ({
        files: [{
          name: 'chunks.txt',
          data: {
            async *[Symbol.asyncIterator]() {
              yield encode('one, ')
              if (fail) throw new Error('injected failure while making a chunk')
              yield encode('two, ünï\n')
            },
          },
        }],
      }),
    })
    const first = await build({ notes, out, now: T0, fit: false, outputs: [...outputs, chunked('chunks', false)] })
    expect(await readFile(path.join(out, 'chunks.txt'), 'utf8')).toBe('one, two, ünï\n')
    expect(first.files.find((f) => f.path.endsWith('chunks.txt'))?.bytes).toBe(Buffer.byteLength('one, two, ünï\n'))
    expect(first.files.find((f) => f.path.endsWith('facts.json'))?.bytes).toBe((await readFile(path.join(out, 'facts.json'))).byteLength)
    const before = await snapshot(out)
    const lockBefore = await readFile(path.join(notes, LOCKFILE), 'utf8')
    await writeFile(path.join(notes, 'queues.md'), (await readFile(path.join(notes, 'queues.md'), 'utf8')).replace('four days', 'four (4) days'))
    await expect(build({ notes, out, now: T0 + 60, fit: false, outputs: [...outputs, chunked('chunks', true)] })).rejects.toThrow('injected failure')
    expect(await snapshot(out)).toEqual(before)
    expect(await readFile(path.join(notes, LOCKFILE), 'utf8')).toBe(lockBefore)
    expect((await readdir(notes)).filter((name) => TEMP.test(name))).toEqual([])
  })

  it('stops the build before anything is written when it reports an error', async () => {
    const { notes, out } = await fixture()
    // Any registered error rule will do: a rule's severity is the registry's (or the deck's setting).
    const error = diagnostic('error', 'unreadable-file', { file: 'queues.md', line: 1, column: 1 }, 'Unexpected probe, expected none')
    const result = await build({ notes, out, now: T0, fit: false, outputs: [...outputs, probe('extra', 'extra.txt', 'x', { diagnostics: [error], notices: ['probe notice'] })] })
    expect(result.ok).toBe(false)
    expect(result.files).toEqual([])
    expect(result.diagnostics).toContainEqual(error)
    expect(result.notices).toEqual(['probe notice'])
    await expect(readdir(out)).rejects.toThrow(/ENOENT/)
    await expect(readFile(path.join(notes, LOCKFILE))).rejects.toThrow(/ENOENT/)
  })

  it('may not write outside the output folder, nor a file another output writes', async () => {
    const { notes, out } = await fixture()
    await expect(build({ notes, out, now: T0, outputs: [probe('escape', '../escape.txt', 'x')] })).rejects.toThrow('outside')
    await expect(build({ notes, out, now: T0, fit: false, outputs: [...outputs, probe('twin', 'facts.json', '{}')] })).rejects.toThrow('two outputs write')
    await expect(readdir(out)).rejects.toThrow(/ENOENT/)
  })
})

describe('a lockfile update returned by an output', SLOW, () => {
  const stamped = (modified: number): Output => probe('stamp', 'stamp.txt', 'x', { lockUpdate: { assets: { 'probe-asset': { hash: 'h', modified } }, reason: 'the probe changed' } })

  it('is recorded in the lockfile beside the facts, without changing the compiled lock', async () => {
    const { notes, out } = await fixture()
    const result = await build({ notes, out, now: T0, only: ['dataset', 'stamp'], outputs: [...outputs, stamped(T0)] })
    const lock = JSON.parse(await readFile(path.join(notes, LOCKFILE), 'utf8'))
    expect(lock.assets).toEqual({ 'probe-asset': { hash: 'h', modified: T0 } })
    expect(result.lock.assets).toEqual(lock.assets)
    // `only` picks from the outputs given: the Anki output (which stamps its own asset) did not run.
    expect(result.files.map((f) => path.basename(f.path))).toEqual(['facts.json', 'facts.schema.json', 'stamp.txt', LOCKFILE])
  })

  it('makes --locked fail with the one lockfile-outdated message, naming the reason', async () => {
    const { notes, out } = await fixture()
    await build({ notes, out, now: T0, fit: false })
    const lock = await readFile(path.join(notes, LOCKFILE), 'utf8')
    const before = await snapshot(out)
    const result = await build({ notes, out, now: T0, fit: false, locked: true, outputs: [...outputs, stamped(T0)] })
    expect(result.ok).toBe(false)
    expect(result.files).toEqual([])
    expect(result.diagnostics.filter((d) => d.ruleId === 'lockfile-outdated').map((d) => d.message)).toEqual([
      'Unexpected a lockfile that is out of date (the probe changed), expected `cheatdeck.lock.json` to match the notes and templates (run a build without --locked and commit it)',
    ])
    expect(await readFile(path.join(notes, LOCKFILE), 'utf8')).toBe(lock)
    expect(await snapshot(out)).toEqual(before)
  })
})

describe('check()', SLOW, () => {
  it('compiles and writes nothing; with `locked` it fails exactly as build --locked does', async () => {
    const { notes, out } = await fixture()
    const plain = await check({ notes, now: T0 })
    expect(plain.ok).toBe(true)
    const locked = await check({ notes, now: T0, locked: true })
    const built = await build({ notes, out, now: T0, fit: false, locked: true })
    expect(locked.ok).toBe(false)
    expect(built.ok).toBe(false)
    const outdated = locked.diagnostics.filter((d) => d.ruleId === 'lockfile-outdated')
    expect(outdated.map((d) => d.message)).toEqual([
      'Unexpected no lockfile, expected `cheatdeck.lock.json` to match the notes and templates (run a build without --locked and commit it)',
    ])
    expect(built.diagnostics.filter((d) => d.ruleId === 'lockfile-outdated')).toEqual(outdated)
    expect(await readdir(notes)).not.toContain(LOCKFILE)
    await expect(readdir(out)).rejects.toThrow(/ENOENT/)
  })
})

describe('the shipped registry', () => {
  it('lists each output once, with a kebab-case id', () => {
    const ids = outputs.map((o) => o.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/)
  })
})
