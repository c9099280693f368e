/**
 * The progress line: on a terminal, what the build is doing (stage, files parsed of total), on one
 * line of stderr rewritten in place and wiped before the report; nothing of it with `--json` or
 * when stderr is not a terminal. The delay before it shows is set to 0 here, so the test does not
 * depend on how fast the machine is.
 */
import { rm } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { main, type Io } from '../src/cli.ts'
import { copyFixture } from './helpers/fixture.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function run(extra: string[], io: Partial<Io>): Promise<{ code: number; stdout: string; stderr: string }> {
  const { dir, notes, out } = await copyFixture('check')
  dirs.push(dir)
  // The `check` fixture has errors; `identity` builds. Both show progress the same way.
  const fixture = extra.includes('--check-fixture') ? notes : (await copyFixture('identity')).notes
  let stdout = ''
  let stderr = ''
  const args = ['build', '--notes', fixture, '--out', out, '--no-fit', '--no-cache', ...extra.filter((a) => a !== '--check-fixture')]
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), ...io })
  return { code, stdout, stderr }
}

const LINE = '\r\x1b[2K'

describe('the progress line', { timeout: 60_000 }, () => {
  it('shows stage and files parsed of total on a terminal, then wipes itself before the report', async () => {
    const { code, stderr } = await run([], { tty: true, progressDelayMs: 0 })
    expect(code).toBe(0)
    expect(stderr).toContain(`${LINE}cheatdeck: parsing notes, 1 of 1 files`)
    expect(stderr).toContain(`${LINE}cheatdeck: writing the Anki deck…`)
    // Wiped, then the report, whole, on a clean line.
    const report = stderr.slice(stderr.lastIndexOf(LINE) + LINE.length)
    expect(report).not.toContain('\r')
    expect(report).not.toContain('cheatdeck:')
    expect(report).toContain('1 topics, 4 facts')
  })

  it('is never printed with --json, nor when stderr is not a terminal', async () => {
    const json = await run(['--json'], { tty: true, progressDelayMs: 0 })
    expect(json.code).toBe(0)
    expect(json.stdout + json.stderr).not.toContain('\r')
    expect(JSON.parse(json.stdout)).toHaveProperty('files')
    const piped = await run([], { tty: false, progressDelayMs: 0 })
    expect(piped.stderr).not.toContain('\r')
    expect(piped.stderr).toContain('1 topics, 4 facts')
  })

  it('is wiped before the problems of a failed build are listed', async () => {
    const { code, stderr } = await run(['--check-fixture'], { tty: true, progressDelayMs: 0 })
    expect(code).toBe(1)
    const report = stderr.slice(stderr.lastIndexOf(LINE) + LINE.length)
    expect(report).not.toContain('cheatdeck: ')
    expect(report).toContain('alpha.md')
    expect(report).toContain('nothing written')
  })
})
