/** Bring your own notes: which files are read, subfolders as subdecks, ids in any script. */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { compile } from '../src/index.ts'
import { folderDecks, topicDeck } from '../src/emit/anki/deck.ts'
import { deriveId } from '../src/facts/identity.ts'
import { slugify, slugWords } from '../src/facts/slug.ts'
import { withNotes } from './helpers/notes.ts'

const NOW = 1_700_000_000
const DECK = 'title: Mine\nexam: MINE\ndomains: [{ id: all, name: All, weight: 100 }]\n'
const topic = (name: string, body = '- The notes keep a ==fact== about storage here.\n') => `---\nname: ${name}\ndomains: [all]\n---\n\n# ${name}\n\n${body}`

describe('which files are notes', () => {
  it('leaves out front pages, tool folders and `_`/`.` names, and reads spaces and dots in names', async () => {
    const files = {
      'deck.yaml': DECK,
      'README.md': '# About these notes\n',
      'docs/index.md': '# Index\n',
      'readme.md.bak': 'not markdown',
      '.obsidian/workspace.md': '# nothing\n',
      'node_modules/pkg/notes.md': '# nothing\n',
      '_drafts/later.md': '# nothing\n',
      '_draft.md': '# nothing\n',
      'AWS S3 v1.2 notes.md': topic('S3'),
      'docs/Guide.md': topic('Guide'),
    }
    await withNotes(files, async (notes) => {
      const result = await compile({ notes, now: NOW })
      expect(result.diagnostics).toEqual([])
      expect(result.notes.topics.map((t) => [t.file, t.id])).toEqual([
        ['AWS S3 v1.2 notes.md', 'aws-s3-v1-2-notes'],
        ['docs/Guide.md', 'docs/guide'],
      ])
      expect(result.notes.facts.map((f) => f.id)).toEqual(['aws-s3-v1-2-notes/fact', 'docs/guide/fact'])
    })
  })
})

describe('subfolders', () => {
  it('are decks between the deck and the topic, each listed once', () => {
    const deck = { title: 'Mine', slug: 'mine', exam: 'MINE', namespace: 'mine', domains: [], keyTopics: [] }
    const at = (file: string, name: string) => ({ id: file, name, title: name, domains: [], file, order: 0, factCount: 1 })
    const topics = [at('Net/IP/Routing.md', 'Routing'), at('Net/DNS.md', 'DNS'), at('Top.md', 'Top')]
    expect(topics.map((t) => topicDeck(deck, t).name)).toEqual(['Mine::Net::IP::Routing', 'Mine::Net::DNS', 'Mine::Top'])
    expect(folderDecks(deck, topics).map((d) => d.name)).toEqual(['Mine::Net', 'Mine::Net::IP'])
  })
})

describe('ids in any script', () => {
  it('keeps letters and digits of every script, NFKC and lowercased', () => {
    expect(slugify('Ｆｕｌｌ－ｗｉｄｔｈ ﬁle Ω')).toBe('full-width-file-ω')
    expect(slugify('Το Δίκτυο')).toBe('το-δίκτυο')
    expect(slugify('AWS CloudFormation')).toBe('aws-cloudformation')
  })

  it('cuts a long run of a script written without spaces, the same on every Node (no ICU dictionary)', () => {
    expect(slugWords('การตั้งค่าเครือข่ายของบริษัทใหญ่')).toEqual(['การตั้งค่าเครือข่'])
    // A cut keeps the marks of its last letter (a Thai tone mark is not a letter of its own).
    expect(slugWords(`${'ก'.repeat(16)}\u0E48ข ok`)).toEqual([`${'ก'.repeat(16)}\u0E48`, 'ok'])
    expect(deriveId('ネットワーク', 'ネットワークの設定をする')).toBe('ネットワーク/ネットワークの設定をする')
    expect(deriveId('t', 'Don’t restrict service-linked roles')).toBe('t/don-t-restrict-service-linked')
  })
})

describe('--notes by default', () => {
  const cli = path.resolve(import.meta.dirname, '..', 'src', 'cli.ts')
  const tsx = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx')
  const run = promisify(execFile)

  it('is the folder it runs in when there is no notes/ folder in it', async () => {
    await withNotes({ 'deck.yaml': DECK, 'one.md': topic('One') }, async (notes) => {
      const { stderr } = await run(tsx, [cli, 'check'], { cwd: notes })
      expect(stderr).toMatch(/^1 topics, 1 facts/m)
    })
  })

  it('is notes/ when there is one', async () => {
    await withNotes({ 'notes/deck.yaml': DECK, 'notes/one.md': topic('One'), 'notes/two.md': topic('Two') }, async (dir) => {
      await run(tsx, [cli, 'build', '--no-fit', '--only', 'dataset'], { cwd: dir })
      const dataset = JSON.parse(await readFile(path.join(dir, 'dist', 'facts.json'), 'utf8')) as { topics: unknown[] }
      expect(dataset.topics).toHaveLength(2)
    })
  })
})

describe('the deck file, all optional', () => {
  it('ignore: gitignore patterns, with `!` taking back a default', async () => {
    const files = { 'deck.yaml': 'ignore: [drafts/, "*.private.md", "!README.md"]\n', 'README.md': topic('Read me'), 'drafts/a.md': topic('A'), 'b.private.md': topic('B'), 'c.md': topic('C') }
    await withNotes(files, async (notes) => {
      const result = await compile({ notes, now: NOW })
      expect(result.notes.topics.map((t) => t.file)).toEqual(['README.md', 'c.md'])
    })
  })

  it('cards: { headings: 3 }: `###` headings ask, `##` stay sections; deck tags reach every fact', async () => {
    const note = '# Net\n\n## DNS\n\n### Which port does DNS use?\n\n53, UDP and TCP.\n\n### What is a DNS zone in a domain?\n\n- A part of the namespace\n- run by one set of servers\n'
    await withNotes({ 'deck.yaml': 'title: Net\ncards: { headings: 3 }\ntags: [study]\n', 'net.md': note }, async (notes) => {
      const result = await compile({ notes, now: NOW })
      expect(result.diagnostics).toEqual([])
      expect(result.notes.facts.map((f) => [f.form, f.section, f.form === 'qa' ? f.question.question : '', f.form === 'qa' ? f.question.answer : ''])).toEqual([
        ['qa', ['DNS'], 'Which port does DNS use?', '53, UDP and TCP.'],
        ['qa', ['DNS'], 'What is a DNS zone in a domain?', 'A part of the namespace\nrun by one set of servers'],
      ])
      expect(result.notes.facts[0]?.tags).toEqual(['net::topic::net', 'net::section::net::dns', 'study'])
    })
  })

  it('refuses a `cards` it cannot read, at its place', async () => {
    await withNotes({ 'deck.yaml': 'title: T\ncards: questions\n', 'a.md': '- The deck keeps one ==fact== in this note.\n' }, async (notes) => {
      const result = await compile({ notes, now: NOW })
      expect(result.diagnostics.map(String)).toEqual(['deck.yaml:2:8-2:17: Unexpected `cards`, expected `headings` (each `##` heading a question) or `{ headings: 1–6 }` (the level)'])
    })
  })
})

describe('a failed build', () => {
  it('says what it would make once the errors are fixed', async () => {
    const cli = path.resolve(import.meta.dirname, '..', 'src', 'cli.ts')
    const tsx = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx')
    const note = '- One ==fact== is fine here.\n- Another {{c1::broken cloze\n- What is a question card? :: One with an answer.\n'
    await withNotes({ 'a.md': note }, async (notes) => {
      const failed = await promisify(execFile)(tsx, [cli, 'build', '--notes', notes, '--out', path.join(notes, 'dist')]).catch((error: { code: number; stderr: string }) => error)
      expect('code' in failed && failed.code).toBe(1)
      expect(failed.stderr).toMatch(/^would make 3 facts, 2 cards in 1 topics \(1 cloze, 0 term, 1 qa, 1 none\) once this error is fixed$/m)
      expect(failed.stderr).toContain('nothing written')
    })
  })
})
