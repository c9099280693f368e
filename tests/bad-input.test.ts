/**
 * The bad-input corpus (tests/fixtures/bad): every broken case gives positioned errors and exit 1
 * (never 2, never a stack trace), the good file beside it still parses, and `dist/` and the
 * lockfile stay byte for byte as the last good build left them. The odd-but-valid cases (a BOM,
 * CRLF, a file name with spaces and non-ASCII) build cleanly into the same facts as their twin.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { findRule, ruleUrl } from '../src/rules/index.ts'
import { compile } from '../src/compile.ts'
import { datasetFact } from '../src/emit/dataset/index.ts'
import type { Fact } from '../src/facts/model.ts'
import { LOCKFILE, MAX_FILE_BYTES } from '../src/notes/read.ts'
import { generators, SECRET_WORD } from './helpers/bad-cases.ts'
import { FIXTURES } from './helpers/fixture.ts'

const BAD = path.join(FIXTURES, 'bad')

interface Manifest {
  broken: Record<string, { about: string; expect: string[]; generate?: string }>
  valid: Record<string, { about: string; twin: string }>
  accepted: Record<string, { about: string; was: string[]; warnings: string[]; generate?: string }>
}
const manifest = JSON.parse(await readFile(path.join(BAD, 'cases.json'), 'utf8')) as Manifest

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err }
}

/** Every file under a folder (relative path → bytes), to compare a folder before and after. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, full), await readFile(full))
  }
  return files
}

/** The errors a CLI run printed, as `file:line:col rule-id`. */
/** The errors in a report laid out as remark-cli does: a file's name, then its rows. */
function printedErrors(stderr: string): string[] {
  const found: string[] = []
  let file = ''
  for (const line of stderr.split('\n')) {
    const row = /^(\d+):(\d+)(?:-\d+:\d+)? +error .* ([a-z0-9-]+) +cheatdeck$/.exec(line)
    if (row) found.push(`${file}:${row[1]}:${row[2]} ${row[3]}`)
    else if (/^[^\s✖⚠]/.test(line) && !/^\d/.test(line)) file = line
  }
  return found
}

/** What a fact is, apart from where its file is and what it is called. */
function essence(fact: Fact) {
  const shown: Record<string, unknown> = datasetFact(fact)
  const { text, markdown, html, form, cloze, term, question, table, section } = shown
  return { text, markdown, html, form, cloze, term, question, table, section, line: fact.source.line, column: fact.source.column }
}

let good: { dir: string; notes: string; out: string; facts: Fact[] }
/** Temp folders to remove at the end (one case makes a 5 MB file). */
const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

beforeAll(async () => {
  // The last good build: base/ alone, all outputs, its dist/ and lockfile copied into every case.
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-bad-good-'))
  made.push(dir)
  const notes = path.join(dir, 'notes')
  const out = path.join(dir, 'dist')
  await cp(path.join(BAD, 'base'), notes, { recursive: true })
  const { io, err } = capture()
  const code = await main(['build', '--notes', notes, '--out', out, '--no-fit'], io)
  expect(code, err.join('')).toBe(0)
  const result = await compile({ notes, now: 1 })
  expect(result.diagnostics).toEqual([])
  good = { dir, notes, out, facts: result.notes.facts }
  expect(good.facts.length).toBeGreaterThanOrEqual(7)
  expect((await readdir(out)).sort()).toEqual(['bad-input-deck.apkg', 'bad-input-deck.sheet.html', 'facts.json', 'facts.schema.json'])
}, 60_000)

/** A case folder: the base notes with the last good build's lockfile and dist/, then the case on top. */
async function setUp(name: string, generate: string | undefined): Promise<{ notes: string; out: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), `cheatdeck-bad-${name}-`))
  made.push(dir)
  const notes = path.join(dir, 'notes')
  const out = path.join(dir, 'dist')
  await cp(good.notes, notes, { recursive: true })
  await cp(good.out, out, { recursive: true })
  if (generate) {
    const make = generators[generate]
    if (!make) throw new Error(`no generator ${generate}`)
    await make(notes)
  } else {
    await cp(path.join(BAD, 'cases', name), notes, { recursive: true })
  }
  return { notes, out }
}

describe('the bad-input corpus', () => {
  it('has at least 25 broken cases, each with its expected errors, and a folder or a generator', async () => {
    const folders = new Set(await readdir(path.join(BAD, 'cases')))
    const broken = Object.entries(manifest.broken)
    expect(broken.length).toBeGreaterThanOrEqual(25)
    for (const [name, spec] of broken) {
      expect(spec.expect.length, name).toBeGreaterThan(0)
      for (const e of spec.expect) expect(e, name).toMatch(/^.+:\d+:\d+ [a-z0-9-]+$/)
      expect(spec.generate ? spec.generate in generators : folders.has(name), name).toBe(true)
    }
    // Every case folder is in the manifest (as a broken case, a valid case or a twin).
    const accepted = Object.entries(manifest.accepted).filter(([, spec]) => !spec.generate).map(([name]) => name)
    const named = new Set([...Object.keys(manifest.broken), ...accepted, ...Object.keys(manifest.valid), ...Object.values(manifest.valid).map((v) => v.twin)])
    expect([...folders].filter((f) => !named.has(f))).toEqual([])
  })

  it('commits no file larger than the 1 MiB limit (the 5 MB case is made at run time)', async () => {
    for (const [file, bytes] of await snapshot(BAD)) expect(bytes.byteLength, file).toBeLessThan(MAX_FILE_BYTES)
  })

  for (const [name, spec] of Object.entries(manifest.broken)) {
    it(`${name}: ${spec.about} → ${spec.expect.join(', ')}, exit 1, dist/ untouched`, async () => {
      const { notes, out } = await setUp(name, spec.generate)
      const distBefore = await snapshot(out)
      const lockBefore = await readFile(path.join(notes, LOCKFILE))

      const { io, out: stdout, err } = capture()
      const code = await main(['build', '--notes', notes, '--out', out, '--no-fit'], io)
      const stderr = err.join('')
      expect(code, stderr).toBe(1)
      expect(stderr).not.toContain('crashed')
      expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
      expect(stdout.join('')).toBe('')
      expect(printedErrors(stderr).sort()).toEqual([...spec.expect].sort())
      expect(stderr).toContain('nothing written')
      expect(stderr).not.toContain(SECRET_WORD)

      expect(await snapshot(out)).toEqual(distBefore)
      expect(await readFile(path.join(notes, LOCKFILE))).toEqual(lockBefore)

      // The good file beside the broken one still parses into the same facts.
      const result = await compile({ notes, now: 1 })
      const goodNow = result.notes.facts.filter((f) => f.source.file === 'good.md')
      expect(goodNow.map((f) => [f.id, essence(f)])).toEqual(good.facts.map((f) => [f.id, essence(f)]))
      // The library reports the same errors the CLI printed.
      const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`)
      expect(errors.sort()).toEqual([...spec.expect].sort())
      // Each is a rule of the registry, at its default severity, linking to its docs.
      for (const d of result.diagnostics) expect([d.ruleId, d.severity, d.source, d.url]).toEqual([d.ruleId, findRule(d.ruleId)?.severity, 'cheatdeck', ruleUrl(d.ruleId)])
    }, 30_000)
  }
})

/** The problems in a report, as `file:line:col rule-id`, of one severity. */
function printed(stderr: string, severity: 'error' | 'warning'): string[] {
  const found: string[] = []
  let file = ''
  for (const line of stderr.split('\n')) {
    const row = new RegExp(`^(\\d+):(\\d+)(?:-\\d+:\\d+)? +${severity} .* ([a-z0-9-]+) +cheatdeck$`).exec(line)
    if (row) found.push(`${file}:${row[1]}:${row[2]} ${row[3]}`)
    else if (/^[^\s✖⚠]/.test(line) && !/^\d/.test(line)) file = line
  }
  return found
}

describe('notes that were errors before any folder of markdown was a deck', () => {
  for (const [name, spec] of Object.entries(manifest.accepted)) {
    const warned = spec.warnings.length ? spec.warnings.join(', ') : 'no warning'
    it(`${name}: ${spec.about} → builds, exit 0, ${warned} (was ${spec.was.join(', ')})`, async () => {
      const { notes, out } = await setUp(name, spec.generate)
      const { io, err } = capture()
      const code = await main(['build', '--notes', notes, '--out', out, '--no-fit', '--only', 'dataset'], io)
      const stderr = err.join('')
      expect(code, stderr).toBe(0)
      expect(printed(stderr, 'error')).toEqual([])
      expect(printed(stderr, 'warning').sort()).toEqual([...spec.warnings].sort())
      // The good file beside it builds into the same facts as alone.
      const result = await compile({ notes, now: 1 })
      const goodNow = result.notes.facts.filter((f) => f.source.file === 'good.md')
      expect(goodNow.map((f) => [f.id, essence(f)])).toEqual(good.facts.map((f) => [f.id, essence(f)]))
      for (const d of result.diagnostics) expect([d.ruleId, d.severity]).toEqual([d.ruleId, findRule(d.ruleId)?.severity])
    }, 30_000)
  }
})

describe('odd but valid notes', () => {
  const factsOf = async (name: string) => {
    const { notes, out } = await setUp(name, undefined)
    const { io, err } = capture()
    const code = await main(['build', '--notes', notes, '--out', out, '--no-fit', '--only', 'dataset'], io)
    const result = await compile({ notes, now: 1 })
    return { code, stderr: err.join(''), result, facts: result.notes.facts.filter((f) => f.source.file !== 'good.md') }
  }

  for (const [name, spec] of Object.entries(manifest.valid)) {
    it(`${name} (${spec.about}) builds cleanly into the same facts as ${spec.twin}`, async () => {
      const odd = await factsOf(name)
      const twin = await factsOf(spec.twin)
      expect(odd.code, odd.stderr).toBe(0)
      expect(odd.result.diagnostics).toEqual([])
      expect(twin.code).toBe(0)
      expect(odd.facts.length).toBe(3)
      expect(odd.facts.map(essence)).toEqual(twin.facts.map(essence))
      expect(odd.facts.map((f) => f.form)).toEqual(['cloze', 'term', 'qa'])
      // Pinned ids are the same; derived ids follow the topic id, which comes from the file name.
      expect(odd.facts[0]?.id).toBe('odd-pin')
      expect(twin.facts[0]?.id).toBe('odd-pin')
      const file = odd.facts[0]?.source.file
      expect(odd.facts.every((f) => f.source.file === file)).toBe(true)
      expect(odd.result.notes.topics.find((t) => t.file === file)?.name).toBe('Odd Topic')
    }, 30_000)
  }

  it('keeps a file named with spaces and non-ASCII under its own name in messages and sources', async () => {
    const { facts, result } = await factsOf('name-with-spaces-and-non-ascii')
    expect(facts[0]?.source.file).toBe('Notes é ü 日本.md')
    expect(result.notes.topics.map((t) => t.id).sort()).toEqual(['good', 'notes-é-ü-日本'])
  })
})
