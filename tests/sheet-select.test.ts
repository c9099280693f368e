/**
 * Choosing what goes on the sheet: `--topics` / `--tags` (and `sheet:` in the deck file),
 * `sheet: false` in a topic's frontmatter, and card-only sub-bullets (`#card-only`), through the
 * whole pipeline. The sheet is rendered without a browser (fit: false): this is about content.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, compile } from '../src/index.ts'
import type { OutputOptions } from '../src/emit/index.ts'
import { sheetOutput } from '../src/emit/sheet/output.ts'
import { DEFAULT_TEMPLATES } from '../src/build.ts'
import { emptyLockfile } from '../src/facts/lockfile.ts'
import { clozeField } from '../src/emit/anki/fields.ts'
import { datasetFact } from '../src/emit/dataset/fact.ts'

let dir: string

function writeNotes(name: string, files: Record<string, string>): string {
  const notes = join(dir, name)
  mkdirSync(notes, { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(notes, file), text)
  return notes
}

const DECK = `title: Select Deck
exam: SEL-1
domains:
  - { id: alpha, name: Alpha, weight: 50 }
  - { id: beta, name: Beta, weight: 50 }
keyTopics: [One]
`

const topic = (id: string, domain: string, extra = '', facts = '- A ==fact== of the topic.') =>
  `---\nname: Topic ${id.toUpperCase()}\ndomains: [${domain}]\n${extra}---\n\n# Topic ${id.toUpperCase()}\n\n${facts}\n`

const NOTES = {
  'deck.yaml': DECK,
  'a.md': topic('a', 'alpha', '', ['- Queues ==drain== before a deploy:', '  - Lag under a minute.', '  - Check the dead-letter queue first. #card-only', '- Another ==alpha== fact.'].join('\n')),
  'b.md': topic('b', 'beta'),
  'c.md': topic('c', 'alpha', 'sheet: false\n'),
}

async function sheetHtml(notesDir: string, options: OutputOptions = {}) {
  const { notes, diagnostics, ok } = await compile({ notes: notesDir, now: 0 })
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  expect(ok).toBe(true)
  const emission = await sheetOutput.emit({
    notes,
    lock: emptyLockfile(notes.deck.namespace, 0),
    removed: [],
    now: 0,
    templates: DEFAULT_TEMPLATES,
    options: { fit: false, ...options },
    timed: async (_stage, run) => run(),
  })
  const html = new TextDecoder().decode(emission.files[0]!.data as Uint8Array)
  const topics = [...html.matchAll(/<section class="topic"[^>]* data-topic="([^"]+)"/g)].map((m) => m[1])
  return { html, topics, diagnostics: emission.diagnostics ?? [], notes }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cheatdeck-select-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('what goes on the sheet', () => {
  it('leaves out a topic whose frontmatter says sheet: false, and only from the sheet', async () => {
    const notesDir = writeNotes('plain', NOTES)
    const { topics, notes, html } = await sheetHtml(notesDir)
    expect(topics).toEqual(['Topic A', 'Topic B'])
    expect(notes.topics.find((t) => t.id === 'c')).toMatchObject({ sheet: false })
    expect(notes.facts.some((f) => f.topic === 'c')).toBe(true) // still a card and in the dataset
    expect(html).toContain('2 topics · 3 facts')
  })

  it('keeps a card-only sub-bullet on the card, marked for the sheet to hide', async () => {
    const notesDir = writeNotes('card-only', NOTES)
    const { html, notes } = await sheetHtml(notesDir)
    const fact = notes.facts.find((f) => f.text.startsWith('Queues'))!
    expect(fact.form).toBe('cloze')
    if (fact.form !== 'cloze') return
    const field = clozeField(fact)
    expect(field).toContain('<li class="card-only">Check the dead-letter queue first.</li>')
    expect(field).not.toContain('#card-only')
    expect(datasetFact(fact)['html']).toContain('<li class="card-only">Check the dead-letter queue first.</li>')
    expect(fact.text).toContain('Check the dead-letter queue first.')
    expect(fact.text).not.toContain('#card-only')
    expect(html).toContain('<li class="card-only">Check the dead-letter queue first.</li>')
  })

  it('selects topics by id or name, and facts by tag (with or without the exam root, children too)', async () => {
    const notesDir = writeNotes('select', NOTES)
    expect((await sheetHtml(notesDir, { topics: ['b', 'topic a'] })).topics).toEqual(['Topic A', 'Topic B'])
    expect((await sheetHtml(notesDir, { topics: ['B'] })).topics).toEqual(['Topic B'])
    expect((await sheetHtml(notesDir, { tags: ['domain::beta'] })).topics).toEqual(['Topic B'])
    expect((await sheetHtml(notesDir, { tags: ['SEL-1::topic::a'] })).topics).toEqual(['Topic A'])
    // sheet: false wins over a selection that names the topic
    expect((await sheetHtml(notesDir, { topics: ['c', 'b'] })).topics).toEqual(['Topic B'])
  })

  it('warns about topics and tags that match nothing', async () => {
    const notesDir = writeNotes('unknown', NOTES)
    const { diagnostics, topics } = await sheetHtml(notesDir, { topics: ['b', 'nope'], tags: ['domain::gamma'] })
    expect(topics).toEqual([])
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message} [${d.ruleId}]`)).toEqual([
      'deck.yaml:1:1: Unexpected topic `nope` in `--topics`, expected a topic id or name (e.g. `a`) [sheet-selection]',
      'deck.yaml:1:1: Unexpected tag `sel-1::domain::gamma` in `--tags`, expected a tag some fact has (e.g. `SEL-1::topic::a`) [sheet-selection]',
      'deck.yaml:1:1: Unexpected empty sheet: the topics and tags asked for leave nothing on it, expected at least one topic [sheet-selection]',
    ])
  })

  it('reads sheet: settings from the deck file; the command line wins', async () => {
    const notesDir = writeNotes('deck-settings', { ...NOTES, 'deck.yaml': `${DECK}sheet:\n  topics: [a]\n  pages: 2\n  minFont: 7\n` })
    const fromDeck = await sheetHtml(notesDir)
    expect(fromDeck.topics).toEqual(['Topic A'])
    expect(fromDeck.html).toContain('data-min-pt="7"')
    expect(fromDeck.html).toContain('data-pages="2"')
    const fromCli = await sheetHtml(notesDir, { topics: ['b'], pages: 1 })
    expect(fromCli.topics).toEqual(['Topic B'])
    expect(fromCli.html).toContain('data-pages="1"')
    expect(fromCli.html).toContain('data-min-pt="7"')
    const unknown = await sheetHtml(writeNotes('deck-unknown', { ...NOTES, 'deck.yaml': `${DECK}sheet:\n  topics: [zzz]\n` }))
    expect(unknown.diagnostics[0]!.message).toContain('Unexpected topic `zzz` in `sheet.topics` in deck.yaml')
  })

  it('rejects a sheet: that is not a mapping of known settings, and a topic sheet: that is not true or false', async () => {
    const badDeck = writeNotes('bad-deck', { ...NOTES, 'deck.yaml': `${DECK}sheet:\n  pages: 0\n` })
    const deck = await build({ notes: badDeck, out: join(dir, 'out-bad-deck'), fit: false })
    expect(deck.ok).toBe(false)
    expect(deck.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message} [${d.ruleId}]`)).toContain(
      'deck.yaml:8: Unexpected number `0` in `sheet` `pages`, expected a whole number from 1 to 100 [invalid-deck]',
    )
    const badTopic = writeNotes('bad-topic', { ...NOTES, 'c.md': topic('c', 'alpha', 'sheet: maybe\n') })
    const result = await compile({ notes: badTopic, now: 0 })
    expect(result.ok).toBe(false)
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message} [${d.ruleId}]`)).toContain(
      'c.md:4: Unexpected string `maybe` as `sheet`, expected `false` (leave the topic off the sheet) or `true` [invalid-frontmatter]',
    )
  })
})
