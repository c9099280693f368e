/**
 * Crash safety of `dist/` (and the lockfile):
 * (a) the real CLI, SIGKILLed at points in every phase of its writes (mid-write of a temp file,
 *     between backups, between renames), leaves every output either as the last good build wrote
 *     it or complete as the new build would — never partial; the temp files a killed build leaves
 *     are swept by the next build, which then writes the new outputs;
 * (b) a build whose last write fails restores every file it had replaced and leaves no temp file.
 *     (tests/cli.test.ts covers the dataset-only case; here: all outputs and the lockfile.)
 */
import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { LOCKFILE } from '../src/notes/read.ts'
import { reportLines } from './helpers/report.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const EPOCH = '1767225600'
const TEMP = /^\..+\.tmp(-old)?-\d+-\d+$/

let work: string
let savedEpoch: string | undefined

/** A notes folder of many topics, each with every card form and a table. */
async function generateNotes(dir: string, topics: number, factsPerTopic: number, variant: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'deck.yaml'), 'title: Crash Deck\nexam: CR-1\ndomains:\n  - { id: build, name: Building, weight: 100 }\n')
  for (let t = 0; t < topics; t++) {
    const lines = [`---\nname: Topic ${t}\ndomains: [build]\n---\n\n# Topic ${t}\n\n## Facts\n`]
    for (let f = 0; f < factsPerTopic; f++) {
      const kind = f % 3
      if (kind === 0) lines.push(`- Topic ${t} fact ${f} keeps ==answer ${t}-${f} ${variant}== in a cloze. ^t${t}-f${f}`)
      else if (kind === 1) lines.push(`- **Term ${t}-${f}**: the definition ${variant} of term ${f}.`)
      else lines.push(`- What is ${t}-${f}? :: The answer ${variant} ${f}.`)
    }
    lines.push('\n## Table\n\n| Name | Value |\n| --- | --- |')
    for (let r = 0; r < 5; r++) lines.push(`| Row ${t}-${r} | ==value ${variant} ${r}== |`)
    await writeFile(path.join(dir, `topic-${String(t).padStart(3, '0')}.md`), `${lines.join('\n')}\n`)
  }
}

async function outputs(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && !TEMP.test(e.name))
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) files.set(entry.name, await readFile(path.join(dir, entry.name)))
  return files
}

const temps = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((name) => TEMP.test(name))

async function buildInProcess(notes: string, out: string): Promise<{ code: number; stderr: string }> {
  const err: string[] = []
  const code = await main(['build', '--notes', notes, '--out', out, '--no-fit'], { stdout: () => {}, stderr: (t) => void err.push(t) })
  return { code, stderr: reportLines(err.join('')) }
}

let v1: { notes: string; out: string; dist: Map<string, Buffer>; lock: Buffer }
let v2: { dist: Map<string, Buffer>; lock: Buffer }

beforeAll(async () => {
  savedEpoch = process.env['SOURCE_DATE_EPOCH']
  process.env['SOURCE_DATE_EPOCH'] = EPOCH
  work = await mkdtemp(path.join(tmpdir(), 'cheatdeck-crash-'))
  // The last good build (v1), then what a build of the edited notes (v2) writes over it.
  const notes = path.join(work, 'v1', 'notes')
  const out = path.join(work, 'v1', 'dist')
  await generateNotes(notes, 12, 25, 'one')
  expect((await buildInProcess(notes, out)).code).toBe(0)
  v1 = { notes, out, dist: await outputs(out), lock: await readFile(path.join(notes, LOCKFILE)) }
  const reference = await caseFolder('reference')
  expect((await buildInProcess(reference.notes, reference.out)).code).toBe(0)
  v2 = { dist: await outputs(reference.out), lock: await readFile(path.join(reference.notes, LOCKFILE)) }
  expect([...v2.dist.keys()]).toEqual([...v1.dist.keys()])
  for (const [name, bytes] of v2.dist) if (!name.endsWith('.schema.json')) expect(bytes.equals(v1.dist.get(name)!), name).toBe(false)
  expect(v2.lock.equals(v1.lock)).toBe(false)
}, 120_000)

afterAll(async () => {
  if (savedEpoch === undefined) delete process.env['SOURCE_DATE_EPOCH']
  else process.env['SOURCE_DATE_EPOCH'] = savedEpoch
  if (work) await rm(work, { recursive: true, force: true })
})

/** The v1 notes, lockfile and dist/, with every topic edited (v2 notes). */
async function caseFolder(name: string): Promise<{ notes: string; out: string }> {
  const notes = path.join(work, name, 'notes')
  const out = path.join(work, name, 'dist')
  await cp(v1.out, out, { recursive: true })
  await generateNotes(notes, 12, 25, 'two')
  await cp(path.join(v1.notes, LOCKFILE), path.join(notes, LOCKFILE))
  return { notes, out }
}

/**
 * A preload that SIGKILLs the build at its k-th write operation (`CRASH_AT_OP`): the writes,
 * backup links and renames of `writeAtomically`, told apart by their `.tmp-` paths. A write it
 * stops at is left half written, as a kill in the middle of `write(2)` would leave it.
 */
async function killerModule(): Promise<string> {
  const file = path.join(work, 'kill-at-op.mjs')
  await writeFile(
    file,
    `import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
const at = Number(process.env.CRASH_AT_OP)
let ops = 0
for (const name of ['writeFile', 'link', 'rename']) {
  const original = fsp[name]
  fsp[name] = async (...args) => {
    if (args.some((a) => typeof a === 'string' && a.includes('.tmp-')) && ++ops === at) {
      if (name === 'writeFile') {
        // A streamed output comes as chunks: half of its bytes, as for a file given whole.
        let bytes = args[1]
        if (!(bytes instanceof Uint8Array)) {
          const chunks = []
          for await (const chunk of bytes) chunks.push(chunk)
          bytes = Buffer.concat(chunks)
        }
        await original(args[0], bytes.subarray(0, Math.floor(bytes.length / 2)))
      }
      process.kill(process.pid, 'SIGKILL')
      await new Promise(() => {})
    }
    return original(...args)
  }
}
syncBuiltinESMExports()
`,
  )
  return file
}

async function buildAndKill(notes: string, out: string, preload: string, op: number): Promise<{ killed: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', preload, 'src/cli.ts', 'build', '--notes', notes, '--out', out, '--no-fit'], {
    cwd: ROOT,
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, CRASH_AT_OP: String(op) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += String(chunk)))
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })))
  if (signal !== 'SIGKILL') expect(code, stderr).toBe(0)
  return { killed: signal === 'SIGKILL' }
}

describe('a build killed while it writes', () => {
  // 5 files (4 outputs, then the lockfile), each: write a temp (ops 1–5), link a backup (6–10),
  // rename into place (11–15). Kill points in every phase, and one past the end.
  const OUTPUT_ORDER = ['facts.json', 'facts.schema.json', 'crash-deck.sheet.html', 'crash-deck.apkg', LOCKFILE]
  const killAt = [1, 5, 8, 11, 13, 15, 16]

  it('leaves every file old or complete-new, never partial; the next build sweeps the temp files and writes v2', async () => {
    const preload = await killerModule()
    for (const op of killAt) {
      const { notes, out } = await caseFolder(`kill-${op}`)
      const { killed } = await buildAndKill(notes, out, preload, op)
      expect(killed, `killed at op ${op}`).toBe(op <= 15)
      const after = await outputs(out)
      after.set(LOCKFILE, await readFile(path.join(notes, LOCKFILE)))
      expect([...after.keys()].sort()).toEqual([...OUTPUT_ORDER].sort())
      const renamed = Math.max(0, Math.min(5, op - 11))
      OUTPUT_ORDER.forEach((name, index) => {
        const bytes = after.get(name)!
        const old = name === LOCKFILE ? v1.lock : v1.dist.get(name)!
        const fresh = name === LOCKFILE ? v2.lock : v2.dist.get(name)!
        // Never partial: the old file until its rename, the complete new one after.
        expect(bytes.equals(index < renamed ? fresh : old), `${name} after a kill at op ${op}`).toBe(true)
      })
      const left = [...(await temps(out)), ...(await temps(notes))]
      if (killed) expect(left.length, `temp files after a kill at op ${op}`).toBeGreaterThan(0)
      else expect(left).toEqual([])

      // The next build removes what the killed one left and writes v2 complete.
      const next = await buildInProcess(notes, out)
      expect(next.code, next.stderr).toBe(0)
      expect(await temps(out)).toEqual([])
      expect(await temps(notes)).toEqual([])
      expect(await outputs(out)).toEqual(v2.dist)
      expect(await readFile(path.join(notes, LOCKFILE))).toEqual(v2.lock)
    }
  }, 300_000)

  it('keeps the temp files of a build that is still running', async () => {
    const { out } = await caseFolder('alive')
    const mine = `.facts.json.tmp-${process.pid}-999999`
    const dead = `.facts.json.tmp-old-2147483646-1`
    await writeFile(path.join(out, mine), 'in flight')
    await writeFile(path.join(out, dead), 'left by a killed build')
    const { writeAtomically } = await import('../src/build.ts')
    await writeAtomically([{ path: path.join(out, 'facts.json'), data: new TextEncoder().encode('{}\n') }])
    expect(await temps(out)).toEqual([mine])
  })
})

describe('a build whose last write fails', () => {
  it('stops before writing anything when a folder is where the lockfile should be', async () => {
    const { notes, out } = await caseFolder('lock-blocked')
    // Once this was "no lockfile" and the final rename onto it failed; now reading it fails first
    // (issue 10: only a missing lockfile means none), so nothing is staged at all.
    // A failure after some renames is in tests/outputs.test.ts.
    await rm(path.join(notes, LOCKFILE))
    await mkdir(path.join(notes, LOCKFILE, 'blocker'), { recursive: true })
    const { code, stderr } = await buildInProcess(notes, out)
    expect(code).toBe(1)
    expect(stderr).toContain(`${LOCKFILE}:1:1: error Unexpected a folder where the lockfile should be`)
    expect(await readdir(path.join(notes, LOCKFILE))).toEqual(['blocker'])
    expect(await outputs(out)).toEqual(v1.dist)
    expect(await temps(out)).toEqual([])
    expect(await temps(notes)).toEqual([])
  }, 60_000)

  it('restores the outputs and leaves the lockfile alone when the last output cannot be replaced', async () => {
    const { notes, out } = await caseFolder('apkg-blocked')
    const apkg = [...v1.dist.keys()].find((name) => name.endsWith('.apkg'))!
    await rm(path.join(out, apkg))
    await mkdir(path.join(out, apkg, 'blocker'), { recursive: true })
    const expected = new Map(v1.dist)
    expected.delete(apkg)
    const { code, stderr } = await buildInProcess(notes, out)
    expect(code).toBe(2)
    expect(stderr).toMatch(/^cheatdeck: cannot write `.*\.apkg`: .* \(E[A-Z]+\)/m)
    expect(stderr).not.toMatch(/^\s+at /m)
    expect(await readdir(path.join(out, apkg))).toEqual(['blocker'])
    expect(await outputs(out)).toEqual(expected)
    expect(await readFile(path.join(notes, LOCKFILE))).toEqual(v1.lock)
    expect(await temps(out)).toEqual([])
    expect(await temps(notes)).toEqual([])
  }, 60_000)
})

describe('a build stopped by a signal while it renames', () => {
  /** A preload that sends `STOP_SIGNAL` to the build just before its `STOP_AT_RENAME`-th rename into place. */
  async function signalModule(): Promise<string> {
    const file = path.join(work, 'signal-at-rename.mjs')
    await writeFile(
      file,
      `import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
const at = Number(process.env.STOP_AT_RENAME)
let renames = 0
const original = fsp.rename
fsp.rename = async (from, to, ...rest) => {
  // Renames of new outputs into place (not the restore of a backup).
  if (typeof from === 'string' && /\\.tmp-\\d/.test(from) && ++renames === at) {
    process.kill(process.pid, process.env.STOP_SIGNAL)
    // Let the signal reach the process before this rename goes on, as a Ctrl-C mid-write would.
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return original(from, to, ...rest)
}
syncBuiltinESMExports()
`,
    )
    return file
  }

  for (const [signal, at] of [['SIGINT', 1], ['SIGTERM', 3], ['SIGINT', 5]] as const) {
    it(`${signal} before rename ${at} of 5: the previous outputs and lockfile are put back, no temp file is left, the process ends by the signal`, async () => {
      const { notes, out } = await caseFolder(`signal-${signal}-${at}`)
      const preload = await signalModule()
      const child = spawn(process.execPath, ['--import', 'tsx', '--import', preload, 'src/cli.ts', 'build', '--notes', notes, '--out', out, '--no-fit'], {
        cwd: ROOT,
        env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, STOP_AT_RENAME: String(at), STOP_SIGNAL: signal },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += String(chunk)))
      const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })))
      expect(ended, stderr).toEqual({ code: null, signal })
      expect(await outputs(out)).toEqual(v1.dist)
      expect(await readFile(path.join(notes, LOCKFILE))).toEqual(v1.lock)
      expect(await temps(out)).toEqual([])
      expect(await temps(notes)).toEqual([])
    }, 60_000)
  }
})
