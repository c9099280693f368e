/**
 * Bring your own notes: folders of markdown in the shapes people keep them, written for these
 * tests (tests/fixtures/own-notes/<shape>/), each built untouched by the CLI — exit 0, no errors —
 * with its topics, facts and cards pinned, and what makes each shape its own checked in the outputs.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { compile, type CompileResult } from '../src/index.ts'
import { json, openApkg, rows } from './anki-read.ts'
import { FIXTURES } from './helpers/fixture.ts'

const NOW = 1_700_000_000
const temps: string[] = []
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))))

interface Built {
  code: number
  stderr: string
  out: string
  files: string[]
  result: CompileResult
}

/** Copies a shape under its own folder name (the deck's default title), builds it with the CLI. */
async function build(shape: string): Promise<Built> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-own-'))
  temps.push(dir)
  const notes = path.join(dir, shape)
  const out = path.join(dir, 'dist')
  await cp(path.join(FIXTURES, 'own-notes', shape), notes, { recursive: true })
  const err: string[] = []
  const code = await main(['build', '--notes', notes, '--out', out, '--no-fit'], { stdout: () => {}, stderr: (t) => void err.push(t) })
  return { code, stderr: err.join(''), out, files: (await readdir(out)).sort(), result: await compile({ notes, now: NOW }) }
}

const counts = (built: Built) => ({ topics: built.result.notes.topics.length, facts: built.result.notes.facts.length, cards: built.result.cards })
const errors = (built: Built) => built.result.diagnostics.filter((d) => d.severity === 'error').map(String)
const fact = (built: Built, start: string) => {
  const found = built.result.notes.facts.find((f) => f.text.startsWith(start))
  if (!found) throw new Error(`no fact starting with ${start}`)
  return found
}

describe('an Obsidian vault: subfolders, wikilinks, tags, no deck file, no frontmatter needed', async () => {
  const built = await build('obsidian-vault')

  it('builds untouched: exit 0, no errors, the deck named after the folder', async () => {
    expect(built.code, built.stderr).toBe(0)
    expect(errors(built)).toEqual([])
    expect(counts(built)).toEqual({ topics: 3, facts: 20, cards: 14 })
    expect(built.files).toEqual(['facts.json', 'facts.schema.json', 'obsidian-vault.apkg', 'obsidian-vault.sheet.html'])
  })

  it('leaves out .obsidian/ and _templates/, and warns about an empty note, which is no topic', () => {
    expect(built.result.notes.topics.map((t) => t.file)).toEqual(['Linux/Shell basics.md', 'Networking/DNS.md', 'Networking/TCP handshake.md'])
    expect(built.result.diagnostics.filter((d) => d.ruleId === 'empty-file').map(String)).toEqual(['Inbox.md:1:1: Unexpected empty file, expected notes'])
  })

  it('makes a subdeck of each folder, and names a topic without a title after its file', async () => {
    const { db } = await openApkg(await readFile(path.join(built.out, 'obsidian-vault.apkg')))
    const decks = Object.values(json<Record<string, { name: string }>>(db, 'decks')).map((d) => d.name).sort()
    expect(decks).toEqual(['Default', 'obsidian-vault', 'obsidian-vault::Linux', 'obsidian-vault::Linux::Shell basics', 'obsidian-vault::Networking', 'obsidian-vault::Networking::DNS', 'obsidian-vault::Networking::TCP handshake'])
  })

  it('gives frontmatter tags (nested as `a::b`) and inline #tags to Anki, and prints them nowhere', async () => {
    expect(fact(built, 'Which record names').tags).toEqual(['obsidian-vault::topic::networking/dns', 'obsidian-vault::section::networking/dns::records', 'networking', 'protocols::dns', 'mail'])
    // A line of tags alone tags the whole note.
    expect(fact(built, 'The client opens').tags).toEqual(['obsidian-vault::topic::networking/tcp-handshake', 'networking', 'tcp'])
    expect(fact(built, 'DNS turns names').text).toBe('DNS turns names into addresses; see TCP handshake for what happens after the lookup.')
    const { db } = await openApkg(await readFile(path.join(built.out, 'obsidian-vault.apkg')))
    const tags = rows(db, 'SELECT tags FROM notes').map((r) => String(r['tags']))
    expect(tags.some((t) => t.includes(' protocols::dns ') && t.includes(' mail '))).toBe(true)
    const sheet = await readFile(path.join(built.out, 'obsidian-vault.sheet.html'), 'utf8')
    expect(sheet).toContain('DNS turns names into addresses')
    expect(sheet).not.toMatch(/#(review|mail|networking|tcp)\b/)
  })

  it('reads a blockquote, a numbered list and the paragraph after a rule as facts', () => {
    expect(fact(built, 'DNS answers are cached').section).toEqual(['Resolution'])
    expect(fact(built, 'The recursive resolver walks').form).toBe('cloze')
    expect(fact(built, 'Related:').form).toBe('none')
  })
})

describe('a code-heavy cheat sheet with Jekyll frontmatter', async () => {
  const built = await build('code-cheatsheet')

  it('builds untouched: exit 0, no errors; index.md and _config.yml are not notes', () => {
    expect(built.code, built.stderr).toBe(0)
    expect(errors(built)).toEqual([])
    expect(counts(built)).toEqual({ topics: 4, facts: 26, cards: 17 })
    expect(built.result.notes.topics.map((t) => [t.file, t.name])).toEqual([
      ['docker.md', 'Docker'],
      ['git.md', 'Git cheat sheet'],
      ['interview.md', 'Shell interview questions'],
      ['tar.md', 'tar: archives'],
    ])
  })

  it('keeps a code block with the paragraph that introduces it, and a code block alone as a fact', () => {
    const undo = fact(built, 'Undo the last commit')
    expect(undo.body.type === 'item' && undo.body.blocks.map((b) => b.type)).toEqual(['paragraph', 'code'])
    expect(undo.text).toBe('Undo the last commit but keep its changes staged:\ngit reset --soft HEAD~1')
    expect(fact(built, 'FROM node:20-slim').form).toBe('none')
    expect(fact(built, '# an indented code block').body).toMatchObject({ type: 'item', blocks: [{ type: 'code' }] })
  })

  it('reads `cards: headings` in a file: each `##` heading a question, what is under it the answer', () => {
    const questions = built.result.notes.facts.filter((f) => f.topic === 'interview' && f.form === 'qa')
    expect(questions.map((f) => f.form === 'qa' && f.question.question)).toEqual([
      'What does set -e do in a shell script?',
      'How do you read a file line by line in bash?',
      'What is the difference between $@ and $*?',
    ])
    const last = questions[2]
    expect(last?.form === 'qa' && last.question.answerTree.map((b) => b.type)).toEqual(['list'])
    // The paragraph above the first question stays a fact of its own.
    expect(fact(built, 'Each ## heading below').form).toBe('none')
  })

  it('accepts safe inline HTML without a word', () => {
    expect(built.result.diagnostics.filter((d) => d.ruleId === 'raw-html')).toEqual([])
  })
})

describe('plain prose notes with a README', async () => {
  const built = await build('prose-notes')

  it('builds untouched: exit 0, no errors and no warnings; README.md is not a note', () => {
    expect(built.code, built.stderr).toBe(0)
    expect(built.result.diagnostics.map(String)).toEqual([])
    expect(counts(built)).toEqual({ topics: 3, facts: 11, cards: 3 })
    expect(built.result.notes.topics.map((t) => t.file)).toEqual(['1. Virtualization.md', '2. Concurrency.md', '3. Persistence v2.1.md'])
  })

  it('makes every paragraph a fact, several `#` headings top-level sections, a file name or `title:` the name', () => {
    expect(built.result.notes.topics.map((t) => [t.id, t.name])).toEqual([
      ['1-virtualization', '1. Virtualization'],
      ['2-concurrency', '2. Concurrency'],
      ['3-persistence-v2-1', 'Persistence'],
    ])
    expect(fact(built, 'Paging splits memory').section).toEqual(['Memory'])
    expect(fact(built, 'Threads share one address space').section).toEqual([])
    expect(fact(built, 'A process is a running program').form).toBe('cloze')
    expect(fact(built, 'What does a condition variable').form).toBe('qa')
    expect(fact(built, 'fsync').form).toBe('term')
  })
})

describe('notes in Thai, Greek and Japanese', async () => {
  const built = await build('non-latin')

  it('builds untouched: exit 0, no errors, files named after the deck title in its own script', () => {
    expect(built.code, built.stderr).toBe(0)
    expect(errors(built)).toEqual([])
    expect(counts(built)).toEqual({ topics: 3, facts: 16, cards: 13 })
    expect(built.files).toEqual(['facts.json', 'facts.schema.json', '多言語ノート.apkg', '多言語ノート.sheet.html'])
  })

  it('derives readable ids and tags from words of every script, never topic/fact-2', () => {
    const ids = built.result.notes.facts.map((f) => f.id)
    expect(ids).toContain('ไทย/aws-s3-พื้นฐาน/การเปิด-versioning-ช่วยป้องกันอะไร')
    expect(ids).toContain('ελληνικά/πόσα-γένη-έχει-η-ελληνική')
    expect(ids).toContain('日本語/主題')
    expect(ids).toContain('日本語/に')
    expect(ids.filter((id) => /\/fact(-\d+)?$/.test(id))).toEqual([])
    expect(fact(built, 'Κάθε λέξη').tags).toEqual(['多言語ノート::topic::ελληνικά', '多言語ノート::section::ελληνικά::τόνος', 'γλώσσα'])
  })
})
