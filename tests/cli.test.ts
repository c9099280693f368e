import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { copyFixture } from './helpers/fixture.ts'

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err }
}

describe('the CLI', () => {
  it('exits 0 on a clean build and prints a summary with the files it wrote', async () => {
    const { notes, out } = await copyFixture('forms')
    const { io, err } = capture()
    expect(await main(['build', '--notes', notes, '--out', out, '--only', 'dataset'], io)).toBe(0)
    const text = err.join('')
    expect(text).toContain('1 topics, 10 facts (5 cloze, 3 term, 1 qa, 1 none), 10 cards')
    expect(text).toContain('since the last build: 10 added, 0 changed, 0 removed')
    expect(text).toMatch(/wrote .*facts\.json \(\d+\.\d kB\)/)
    expect((await readdir(out)).sort()).toEqual(['facts.json', 'facts.schema.json'])
  })

  it('prints the result as JSON on stdout with --json', async () => {
    const { notes, out } = await copyFixture('forms')
    const { io, out: stdout } = capture()
    expect(await main(['build', '--json', '--notes', notes, '--out', out, '--only', 'dataset'], io)).toBe(0)
    const json = JSON.parse(stdout.join(''))
    expect(json).toMatchObject({ ok: true, topics: 1, facts: 10, cards: 10 })
    expect(json.diagnostics[0]).toMatchObject({ file: 'widgets.md', line: 22, column: 1, ruleId: 'no-card', severity: 'warning' })
  })

  it('exits 2 on bad usage, 0 for --help and --version', async () => {
    const { io, err, out } = capture()
    expect(await main(['--nope'], io)).toBe(2)
    expect(await main(['frobnicate'], io)).toBe(2)
    expect(await main(['--paper', 'a3'], io)).toBe(2)
    expect(await main(['--only', 'pdf'], io)).toBe(2)
    expect(await main(['--notes', '/nonexistent/notes'], io)).toBe(2)
    expect(err.join('')).toContain('Usage: cheatdeck')
    expect(await main(['--help'], io)).toBe(0)
    expect(await main(['--version'], io)).toBe(0)
    expect(out.join('')).toMatch(/Usage: cheatdeck[\s\S]*\n\d+\.\d+\.\d+\n$/)
  })

  it('exits 2 on a sheet page count or type floor it cannot use, naming the flag', async () => {
    const { notes, out } = await copyFixture('forms')
    for (const args of [['--pages', '0'], ['--pages', '1.5'], ['--pages', 'two'], ['--min-font', '3'], ['--min-font', '13'], ['--min-font', '']]) {
      const { io, err } = capture()
      expect(await main(['build', '--notes', notes, '--out', out, ...args], io)).toBe(2)
      expect(err.join('')).toContain(`unexpected ${args[0]} \``)
    }
    const { io } = capture()
    expect(await main(['build', '--notes', notes, '--out', out, '--only', 'sheet', '--no-fit', '--pages', '2', '--min-font', '6.5', '--topics', 'widgets'], io)).toBe(0)
    const html = await readFile(path.join(out, (await readdir(out)).find((f) => f.endsWith('.sheet.html'))!), 'utf8')
    expect(html).toContain('data-min-pt="6.5"')
    expect(html).toContain('data-pages="2"')
  })

  it('a build that fails on content leaves dist/ exactly as it was', async () => {
    const { notes, out } = await copyFixture('forms')
    const { io } = capture()
    expect(await main(['build', '--notes', notes, '--out', out, '--only', 'dataset'], io)).toBe(0)
    const before = await readFile(path.join(out, 'facts.json'))
    const lock = await readFile(path.join(notes, 'cheatdeck.lock.json'))
    await writeFile(path.join(notes, 'widgets.md'), (await readFile(path.join(notes, 'widgets.md'), 'utf8')).replace('==DynamoDB==', '{{c1::DynamoDB'))
    expect(await main(['build', '--notes', notes, '--out', out, '--only', 'dataset'], io)).toBe(1)
    expect(await readFile(path.join(out, 'facts.json'))).toEqual(before)
    expect(await readFile(path.join(notes, 'cheatdeck.lock.json'))).toEqual(lock)
    expect((await readdir(out)).sort()).toEqual(['facts.json', 'facts.schema.json'])
  })

  it('a build whose last write fails keeps the old files and leaves no temp files (exit 2)', async () => {
    const { notes, out } = await copyFixture('forms')
    const { io, err } = capture()
    expect(await main(['build', '--notes', notes, '--out', out, '--only', 'dataset'], io)).toBe(0)
    const before = await readFile(path.join(out, 'facts.json'))
    // The schema's place is taken by a non-empty folder: renaming over it fails.
    await writeFile(path.join(notes, 'widgets.md'), (await readFile(path.join(notes, 'widgets.md'), 'utf8')).replace('==DynamoDB==', '==Amazon DynamoDB=='))
    await readFile(path.join(out, 'facts.schema.json'))
    const { rm } = await import('node:fs/promises')
    await rm(path.join(out, 'facts.schema.json'))
    await mkdir(path.join(out, 'facts.schema.json', 'blocker'), { recursive: true })
    expect(await main(['build', '--notes', notes, '--out', out, '--only', 'dataset'], io)).toBe(2)
    expect(err.join('')).toMatch(/^cheatdeck: cannot write `.*facts\.schema\.json`: .* \(E[A-Z]+\), expected a writable --out folder/m)
    expect(err.join('')).not.toContain('crashed')
    expect((await readdir(out)).sort()).toEqual(['facts.json', 'facts.schema.json'])
    expect(await readFile(path.join(out, 'facts.json'))).toEqual(before)
  })
})
