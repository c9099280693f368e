/**
 * Crash safety of `dist/` (and the lockfile):
 * (a) the real CLI, SIGKILLed at points spread over its writes, leaves every output either as the
 *     last good build wrote it or complete as the new build would — never partial; the temp files
 *     a killed build leaves are swept by the next build, which then writes the new outputs;
 * (b) a build whose last write fails restores every file it had replaced and leaves no temp file.
 *     (tests/cli.test.ts covers the dataset-only case; here: all outputs and the lockfile.)
 */
import { spawn } from 'node:child_process'
import { watch } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { LOCKFILE } from '../src/notes/read.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const EPOCH = '1767225600'
const TEMP = /^\..+\.tmp(-old)?-\d+-\d+$/
/** Each write, link and rename of the killed builds waits this long, so a kill lands mid-write. */
const SLOW_MS = 25

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
  return { code, stderr: err.join('') }
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

/** A preload that slows the build's writes, links and renames (only timing changes). */
async function slowWritesModule(): Promise<string> {
  const file = path.join(work, 'slow-writes.mjs')
  await writeFile(
    file,
    `import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
for (const name of ['writeFile', 'link', 'rename']) {
  const original = fsp[name]
  fsp[name] = async (...args) => {
    await new Promise((resolve) => setTimeout(resolve, ${SLOW_MS}))
    return original(...args)
  }
}
syncBuiltinESMExports()
`,
  )
  return file
}

/** Runs the CLI and SIGKILLs it `delay` ms after its first temp file appears in dist/. */
async function buildAndKill(notes: string, out: string, preload: string, delay: number): Promise<{ killed: boolean; sawTemp: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', preload, 'src/cli.ts', 'build', '--notes', notes, '--out', out, '--no-fit'], {
    cwd: ROOT,
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += String(chunk)))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  let sawTemp = false
  const watcher = watch(out, (_event, name) => {
    if (sawTemp || !name || !TEMP.test(String(name))) return
    sawTemp = true
    setTimeout(() => child.kill('SIGKILL'), delay)
  })
  try {
    const { code, signal } = await exited
    if (signal !== 'SIGKILL') expect(code, stderr).toBe(0)
    return { killed: signal === 'SIGKILL', sawTemp }
  } finally {
    watcher.close()
  }
}

describe('a build killed while it writes', () => {
  // Spread over the write phase: 5 files × (write + link + rename), SLOW_MS each.
  const delays = [0, 60, 140, 220, 320]

  it('leaves every file old or complete-new, never partial; the next build sweeps the temp files and writes v2', async () => {
    const preload = await slowWritesModule()
    const seen = { old: 0, new: 0, killed: 0, leftovers: 0 }
    for (const delay of delays) {
      const { notes, out } = await caseFolder(`kill-${delay}`)
      const { killed, sawTemp } = await buildAndKill(notes, out, preload, delay)
      expect(sawTemp).toBe(true)
      if (killed) seen.killed++
      const after = await outputs(out)
      expect([...after.keys()]).toEqual([...v1.dist.keys()])
      for (const [name, bytes] of after) {
        const isOld = bytes.equals(v1.dist.get(name)!)
        const isNew = bytes.equals(v2.dist.get(name)!)
        expect(isOld || isNew, `${name} after a kill at +${delay} ms is neither the old nor the new file`).toBe(true)
        if (isOld && !isNew) seen.old++
        if (isNew && !isOld) seen.new++
      }
      const lock = await readFile(path.join(notes, LOCKFILE))
      expect(lock.equals(v1.lock) || lock.equals(v2.lock), `lockfile after a kill at +${delay} ms`).toBe(true)
      seen.leftovers += (await temps(out)).length + (await temps(notes)).length

      // The next build: removes what the killed one left, writes v2 complete.
      const next = await buildInProcess(notes, out)
      expect(next.code, next.stderr).toBe(0)
      expect(await temps(out)).toEqual([])
      expect(await temps(notes)).toEqual([])
      expect(await outputs(out)).toEqual(v2.dist)
      expect(await readFile(path.join(notes, LOCKFILE))).toEqual(v2.lock)
    }
    // The kills landed inside the write phase: some left old files, some new, some temp files.
    expect(seen.killed).toBeGreaterThan(0)
    expect(seen.old).toBeGreaterThan(0)
    expect(seen.new).toBeGreaterThan(0)
    expect(seen.leftovers).toBeGreaterThan(0)
  }, 240_000)

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
  it('restores every output it replaced when the lockfile, written last, cannot be replaced', async () => {
    const { notes, out } = await caseFolder('lock-blocked')
    // The lockfile's place is a non-empty folder: compile reads no lockfile, every output is
    // staged and renamed, then the final rename onto the lockfile fails.
    await rm(path.join(notes, LOCKFILE))
    await mkdir(path.join(notes, LOCKFILE, 'blocker'), { recursive: true })
    const { code, stderr } = await buildInProcess(notes, out)
    expect(code).toBe(2)
    expect(stderr).toContain('cheatdeck: crashed')
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
    expect(stderr).toContain('cheatdeck: crashed')
    expect(await readdir(path.join(out, apkg))).toEqual(['blocker'])
    expect(await outputs(out)).toEqual(expected)
    expect(await readFile(path.join(notes, LOCKFILE))).toEqual(v1.lock)
    expect(await temps(out)).toEqual([])
    expect(await temps(notes)).toEqual([])
  }, 60_000)
})
