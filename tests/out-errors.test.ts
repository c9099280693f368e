/**
 * `--out` that cannot take the outputs (a file, under a file, read-only, a full disk) is a clean
 * error of the command line: exit 2, one line saying which path and why, no stack trace, and
 * whatever was in the folder left as it was.
 */
import { spawnSync } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { copyFixture } from './helpers/fixture.ts'
import { reportLines } from './helpers/report.ts'

const ROOT = path.resolve(import.meta.dirname, '..')

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const err: string[] = []
  const code = await main(args, { stdout: () => {}, stderr: (t) => void err.push(t) })
  return { code, stderr: err.join('') }
}

function expectClean(stderr: string): void {
  expect(stderr).not.toContain('crashed')
  expect(stderr).not.toMatch(/^\s+at /m)
}

describe('an --out that cannot be written', () => {
  it('is a file: a usage error before anything is built', async () => {
    const { notes, dir } = await copyFixture('forms')
    const file = path.join(dir, 'not-a-folder')
    await writeFile(file, 'keep me')
    const { code, stderr } = await run(['build', '--notes', notes, '--out', file, '--no-fit'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/^cheatdeck: unexpected --out `.*not-a-folder`: a file, expected a folder for the outputs$/m)
    expectClean(stderr)
    expect(await readFile(file, 'utf8')).toBe('keep me')
  })

  it('is under a file, or on a read-only file system: which path and why, exit 2', async () => {
    const { notes, dir } = await copyFixture('forms')
    await writeFile(path.join(dir, 'file'), '')
    const under = await run(['build', '--notes', notes, '--out', path.join(dir, 'file', 'dist'), '--no-fit', '--only', 'dataset'])
    expect(under.code).toBe(2)
    expect(under.stderr).toMatch(/^cheatdeck: cannot write `.*file\/dist`: a file where a folder should be \(ENOTDIR\), expected a writable --out folder/m)
    expectClean(under.stderr)
    // sysfs refuses new folders to everyone, root included (a chmod would not stop root).
    const readOnly = await run(['build', '--notes', notes, '--out', '/sys/cheatdeck-out-test', '--no-fit', '--only', 'dataset'])
    expect(readOnly.code).toBe(2)
    expect(readOnly.stderr).toMatch(/^cheatdeck: cannot write `\/sys\/cheatdeck-out-test`: .* \((EPERM|EACCES|EROFS)\)/m)
    expectClean(readOnly.stderr)
  })

  it('is on a full disk: the old outputs stay, no temp file is left', async () => {
    const { notes, out, dir } = await copyFixture('forms')
    expect((await run(['build', '--notes', notes, '--out', out, '--no-fit', '--only', 'dataset'])).code).toBe(0)
    const before = await readFile(path.join(out, 'facts.json'))
    await writeFile(path.join(notes, 'widgets.md'), (await readFile(path.join(notes, 'widgets.md'), 'utf8')).replace('==DynamoDB==', '==Amazon DynamoDB=='))
    // The disk fills up while the second temp file is written (as ENOSPC from write(2) would).
    const preload = path.join(dir, 'full-disk.mjs')
    await writeFile(
      preload,
      `import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
const original = fsp.writeFile
let writes = 0
fsp.writeFile = async (file, data, ...rest) => {
  if (typeof file === 'string' && file.includes('.tmp-') && ++writes === 2) {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: file })
  }
  return original(file, data, ...rest)
}
syncBuiltinESMExports()
`,
    )
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--import', preload, 'src/cli.ts', 'build', '--notes', notes, '--out', out, '--no-fit', '--only', 'dataset'], { cwd: ROOT, encoding: 'utf8' })
    expect(child.status, child.stderr).toBe(2)
    expect(child.stderr).toMatch(/^cheatdeck: cannot write `.*\.facts\.schema\.json\.tmp-\d+-\d+`: no space left on the device \(ENOSPC\), expected a writable --out folder; the files there were left as they were$/m)
    expectClean(child.stderr)
    expect(await readFile(path.join(out, 'facts.json'))).toEqual(before)
    expect((await readdir(out)).sort()).toEqual(['facts.json', 'facts.schema.json'])
  }, 60_000)
})

describe('file names with control characters', () => {
  it('are escaped in printed messages, so a name cannot break a line or rewrite the terminal', async () => {
    const { notes, out } = await copyFixture('forms')
    const name = 'bad\nname\u001b[31m\u202e.md'
    await writeFile(path.join(notes, name), '---\nname: Odd\ndomains: [build]\n---\n\n# Odd\n\n- ==open\n')
    await mkdir(out, { recursive: true })
    const { code, stderr } = await run(['check', '--notes', notes, '--out', out])
    expect(code).toBe(1)
    expect(reportLines(stderr)).toContain('bad\\nname\\x1b[31m\\u202e.md:8:3: error')
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
    expect(stderr.split('\n').filter((line) => line.startsWith('name'))).toEqual([])
  })
})
