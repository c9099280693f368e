/** `cheatdeck init [dir]`: a notes folder that builds cleanly at once, and never a file overwritten. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { compile } from '../src/index.ts'
import { init } from '../src/init.ts'

const temps: string[] = []
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))))
const temp = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-init-'))
  temps.push(dir)
  return dir
}

describe('cheatdeck init', () => {
  it('writes a deck file titled after the folder, an example of each card form and a .gitignore, which build cleanly', async () => {
    const dir = path.join(await temp(), 'Spanish: verbs')
    const err: string[] = []
    expect(await main(['init', dir], { stdout: () => {}, stderr: (t) => void err.push(t) })).toBe(0)
    expect(err.join('')).toContain('Next: write your notes as .md files in')
    expect(err.join('')).toContain(`npx cheatdeck build --notes ${dir}`)
    expect(await readFile(path.join(dir, 'deck.yaml'), 'utf8')).toContain('title: "Spanish: verbs"')
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^dist\/$/m)
    const result = await compile({ notes: dir, now: 1 })
    expect(result.diagnostics.map(String)).toEqual([])
    expect(result.notes.deck.title).toBe('Spanish: verbs')
    expect(new Set(result.notes.facts.map((f) => f.form))).toEqual(new Set(['cloze', 'term', 'qa', 'none']))
    expect(result.notes.facts.some((f) => f.body.type === 'row')).toBe(true)
    expect(result.notes.facts.some((f) => f.body.type === 'item' && f.body.blocks.some((b) => b.type === 'code'))).toBe(true)
  })

  it('never overwrites, and adds no example to a folder that has notes', async () => {
    const dir = await temp()
    await writeFile(path.join(dir, 'deck.yml'), 'title: Mine\n')
    await writeFile(path.join(dir, '.gitignore'), 'node_modules/\n')
    await writeFile(path.join(dir, 'vpc.md'), '- A VPC spans ==every availability zone== of a region.\n')
    expect(await init({ dir })).toEqual({
      written: [],
      skipped: [
        { file: 'deck.yml', reason: 'it exists already' },
        { file: 'example.md', reason: 'the folder has notes already (1 .md file)' },
        { file: '.gitignore', reason: 'it exists already' },
      ],
    })
    expect(await readFile(path.join(dir, 'deck.yml'), 'utf8')).toBe('title: Mine\n')
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n')
  })

  it('sets up the current folder by default; a second run changes nothing', async () => {
    const dir = path.join(await temp(), 'notes here')
    await mkdir(dir)
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      expect((await init({ dir: '.' })).written).toEqual(['deck.yaml', 'example.md', '.gitignore'])
      const before = await readFile('example.md', 'utf8')
      expect((await init({ dir: '.' })).written).toEqual([])
      expect(await readFile('example.md', 'utf8')).toBe(before)
    } finally {
      process.chdir(cwd)
    }
  })
})
