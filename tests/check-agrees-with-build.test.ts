/**
 * `check` finds everything that would make `build` fail (issue 10): over every case of the
 * bad-input corpus (tests/fixtures/bad), and the valid ones, both commands run through the CLI.
 * `build` never exits 2 on content (a crash), and whenever it fails, `check` fails too.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { generators } from './helpers/bad-cases.ts'
import { FIXTURES } from './helpers/fixture.ts'

const BAD = path.join(FIXTURES, 'bad')
const manifest = JSON.parse(await readFile(path.join(BAD, 'cases.json'), 'utf8')) as {
  broken: Record<string, { generate?: string }>
  valid: Record<string, unknown>
  accepted: Record<string, { generate?: string }>
}
const cases: [string, string | undefined][] = [
  ...Object.entries(manifest.broken).map(([name, spec]): [string, string | undefined] => [name, spec.generate]),
  ...Object.keys(manifest.valid).map((name): [string, string | undefined] => [name, undefined]),
  ...Object.entries(manifest.accepted).map(([name, spec]): [string, string | undefined] => [name, spec.generate]),
]

const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = []
  const code = await main(args, { stdout: () => {}, stderr: (text) => void err.push(text) })
  return { code, err: err.join('') }
}

describe('check agrees with build', { timeout: 120_000 }, () => {
  it('covers every case of the corpus', async () => {
    const folders = await readdir(path.join(BAD, 'cases'))
    expect(cases.length).toBeGreaterThanOrEqual(folders.length)
  })

  it.each(cases)('%s', async (name, generate) => {
    const dir = await mkdtemp(path.join(tmpdir(), `cheatdeck-agree-${name}-`))
    made.push(dir)
    const notes = path.join(dir, 'notes')
    await cp(path.join(BAD, 'base'), notes, { recursive: true })
    const make = generate === undefined ? undefined : generators[generate]
    if (make) await make(notes)
    else await cp(path.join(BAD, 'cases', name), notes, { recursive: true })
    const check = await run(['check', '--notes', notes])
    const build = await run(['build', '--no-fit', '--notes', notes, '--out', path.join(dir, 'dist')])
    expect(build.code, build.err).not.toBe(2)
    expect(check.code, check.err).not.toBe(2)
    if (build.code !== 0) expect(check.code, `build failed but check passed:\n${build.err}`).not.toBe(0)
    expect(build.code, `${check.err}\n---\n${build.err}`).toBe(check.code)
  })
})
