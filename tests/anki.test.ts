import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile, cp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readAnkiPackage } from 'anki-reader'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Notes } from '../src/facts/model.ts'
import {
  BASIC_MODEL,
  BASIC_MODEL_ID,
  CLOZE_MODEL,
  CLOZE_MODEL_ID,
  SCHEMA_VERSION,
  ankiTemplatesDir,
  emitApkg,
  loadAnkiTemplates,
  stampModels,
  type AnkiTemplates,
  type ApkgOptions,
} from '../src/emit/anki/index.ts'
import { writeCollection } from '../src/emit/anki/collection.ts'
import { collectionValues } from '../src/emit/anki/package.ts'
import { assembleRows, groupFacts, topicRecords } from '../src/emit/anki/rows.ts'
import { clozeFact, qaFact, sampleNotes, T0, termFact, topic } from './anki-fixture.ts'
import { json, openApkg, rows, type Row } from './anki-read.ts'

let templates: AnkiTemplates
beforeAll(async () => {
  templates = await loadAnkiTemplates()
})

const options = (extra: Partial<ApkgOptions> = {}): ApkgOptions => ({
  templates,
  modelsModified: T0 + 100,
  createdAt: T0 - 1000,
  ...extra,
})
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const fields = (note: Row) => String(note.flds).split('\x1f')

async function build(notes: Notes = sampleNotes(), extra: Partial<ApkgOptions> = {}) {
  const bytes = await emitApkg(notes, options(extra))
  const apkg = await openApkg(bytes)
  const notesRows = rows(apkg.db, 'SELECT * FROM notes ORDER BY id')
  const byGuid = new Map(notesRows.map((note) => [String(note.guid), note]))
  return { bytes, ...apkg, notes: notesRows, byGuid, cards: rows(apkg.db, 'SELECT * FROM cards ORDER BY id') }
}

describe('the package', () => {
  it('is a zip of collection.anki2 and an empty media map', async () => {
    const { members, media } = await build()
    expect(members).toEqual(['collection.anki2', 'media'])
    expect(media).toEqual({})
  })

  it('holds a schema 11 collection whose times come from the options, in Anki units', async () => {
    const { db } = await build()
    const [col] = rows(db, 'SELECT * FROM col')
    expect(col).toMatchObject({ id: 1, ver: SCHEMA_VERSION, crt: T0 - 1000, scm: (T0 - 1000) * 1000, usn: 0, ls: 0 })
    // col.mod is milliseconds: the latest of the options and the notes' changes
    expect(col?.mod).toBe((T0 + 100) * 1000)
    expect(SCHEMA_VERSION).toBe(11)
    expect(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name)).toEqual([
      'cards',
      'col',
      'graves',
      'notes',
      'revlog',
    ])
    expect(rows(db, 'PRAGMA table_info(cards)')).toHaveLength(18)
    expect(rows(db, 'PRAGMA table_info(notes)')).toHaveLength(11)
  })

  it('has the two note types with fixed ids, fields and template names, their mod in seconds', async () => {
    const { db } = await build()
    const models = json(db, 'models')
    expect(Object.keys(models).sort()).toEqual([String(BASIC_MODEL_ID), String(CLOZE_MODEL_ID)])
    const basic = models[BASIC_MODEL_ID]
    const cloze = models[CLOZE_MODEL_ID]
    expect(basic).toMatchObject({ id: BASIC_MODEL_ID, name: 'cheatdeck Basic', type: 0, mod: T0 + 100, sortf: 0 })
    expect(cloze).toMatchObject({ id: CLOZE_MODEL_ID, name: 'cheatdeck Cloze', type: 1, mod: T0 + 100, sortf: 0 })
    // Never reorder or rename these: Anki would fork the note type and stop updating notes.
    expect(basic.flds.map((f: { name: string; ord: number }) => [f.ord, f.name])).toEqual([
      [0, 'Front'],
      [1, 'Back'],
      [2, 'Extra'],
      [3, 'Context'],
      [4, 'Source'],
      [5, 'Id'],
    ])
    expect(cloze.flds.map((f: { name: string; ord: number }) => [f.ord, f.name])).toEqual([
      [0, 'Text'],
      [1, 'Extra'],
      [2, 'Context'],
      [3, 'Source'],
      [4, 'Id'],
    ])
    expect(basic.tmpls.map((t: { name: string }) => t.name)).toEqual(['Card 1'])
    expect(cloze.tmpls.map((t: { name: string }) => t.name)).toEqual(['Cloze'])
    expect(basic.tmpls[0].qfmt).toBe(templates.basic.front)
    expect(basic.tmpls[0].afmt).toBe(templates.basic.back)
    expect(cloze.tmpls[0].qfmt).toContain('{{cloze:Text}}')
    expect(cloze.tmpls[0].afmt).toContain('{{cloze:Text}}')
    expect(basic.css).toBe(templates.css)
    expect(cloze.css).toBe(templates.css)
    expect([BASIC_MODEL.fields, CLOZE_MODEL.fields]).toEqual([
      basic.flds.map((f: { name: string }) => f.name),
      cloze.flds.map((f: { name: string }) => f.name),
    ])
  })

  it('has the default deck, the parent deck and one deck per topic, and a full options group', async () => {
    const { db, bytes } = await build()
    const decks = json(db, 'decks')
    const names = Object.values(decks).map((d: { name: string }) => d.name)
    expect(names.sort()).toEqual([
      'AWS DevOps Pro DOP-C02',
      'AWS DevOps Pro DOP-C02::AWS CloudFormation',
      'AWS DevOps Pro DOP-C02::AWS CodePipeline',
      'Default',
    ])
    expect(decks['1']).toMatchObject({ id: 1, name: 'Default', dyn: 0, conf: 1 })
    for (const [id, deck] of Object.entries(decks)) {
      expect(deck).toMatchObject({ id: Number(id), dyn: 0, conf: 1, collapsed: false, desc: expect.any(String) })
      for (const key of ['newToday', 'revToday', 'lrnToday', 'timeToday']) expect(deck[key]).toEqual([0, 0])
    }
    // Stable: derived from the name, not the clock, and unchanged when other topics come and go.
    const other = sampleNotes()
    other.topics.push(topic('sqs', 'Amazon SQS', 2))
    const again = await build(other)
    const againDecks = json(again.db, 'decks')
    for (const id of Object.keys(decks)) expect(againDecks[id]?.name).toBe(decks[id].name)
    expect(bytes.length).toBeGreaterThan(0)

    const dconf = json(db, 'dconf')
    expect(Object.keys(dconf)).toEqual(['1'])
    expect(Object.keys(dconf['1']).sort()).toEqual(
      expect.arrayContaining(['id', 'mod', 'name', 'usn', 'maxTaken', 'autoplay', 'timer', 'replayq', 'new', 'rev', 'lapse']),
    )
    expect(Object.keys(dconf['1'].new)).toEqual(expect.arrayContaining(['delays', 'initialFactor', 'ints', 'order', 'perDay']))
    expect(Object.keys(dconf['1'].rev)).toEqual(expect.arrayContaining(['ease4', 'ivlFct', 'maxIvl', 'perDay']))
    expect(Object.keys(dconf['1'].lapse)).toEqual(expect.arrayContaining(['delays', 'leechAction', 'leechFails', 'minInt', 'mult']))
  })
})

describe('notes', () => {
  it('makes one note per fact with a card form, with the fact GUID, note type, tags and mod in seconds', async () => {
    const notes = sampleNotes()
    const { byGuid } = await build(notes)
    const carded = notes.facts.filter((f) => f.form !== 'none')
    expect([...byGuid.keys()].sort()).toEqual(carded.map((f) => f.guid).sort())
    for (const fact of carded) {
      const note = byGuid.get(fact.guid)
      expect(note?.mid).toBe(fact.form === 'cloze' ? CLOZE_MODEL_ID : BASIC_MODEL_ID)
      expect(note?.mod).toBe(fact.modified)
      expect(note?.mod).toBeLessThan(10_000_000_000) // seconds, not milliseconds
      expect(note?.tags).toBe(` ${fact.tags.join(' ')} `)
      expect(note).toMatchObject({ usn: -1, flags: 0, data: '' })
    }
  })

  it('fills the fields with the fact HTML, an escaped breadcrumb, the source and the id', async () => {
    const notes = sampleNotes()
    const { byGuid } = await build(notes)
    const [cloze, term, qa, row] = notes.facts
    expect(fields(byGuid.get(cloze!.guid)!)).toEqual([
      'A stack policy protects {{c1::<strong>every resource</strong>}} by {{c2::default}}.',
      '',
      'AWS CloudFormation › Stack policies',
      'cloudformation.md:10',
      'cfn-stack-policy-default',
    ])
    expect(fields(byGuid.get(term!.guid)!)).toEqual([
      'Stack policy',
      'A JSON document that says which update actions are allowed on which resources.',
      '',
      'AWS CloudFormation › Stack policies',
      'cloudformation.md:11',
      'cloudformation/stack-policy',
    ])
    expect(fields(byGuid.get(qa!.guid)!).slice(0, 2)).toEqual([
      'What must a stack policy state to let a resource be updated?',
      'An explicit <code>Allow</code>.',
    ])
    // A table row: row label → labelled values, the caption in the breadcrumb.
    expect(fields(byGuid.get(row!.guid)!).slice(0, 4)).toEqual([
      'Source',
      '<ul class="row-values"><li><span class="row-header">Category</span>: <code>Source</code></li></ul>',
      '',
      'AWS CodePipeline › Action types',
    ])
  })

  it('computes sfld and csum from the stripped first field', async () => {
    const notes = sampleNotes()
    const { byGuid } = await build(notes)
    const term = byGuid.get(notes.facts[1]!.guid)!
    expect(term.sfld).toBe('Stack policy')
    const expected = Number.parseInt(createHash('sha1').update('Stack policy').digest('hex').slice(0, 8), 16)
    expect(term.csum).toBe(expected)
    const cloze = byGuid.get(notes.facts[0]!.guid)!
    expect(cloze.sfld).toBe('A stack policy protects {{c1::every resource}} by {{c2::default}}.')
  })

  it('escapes whatever it builds from plain strings, so nothing in the notes reaches a field as raw HTML', async () => {
    const notes = sampleNotes()
    notes.topics[0] = { ...notes.topics[0]!, name: 'Evil <script>alert(1)</script> & co' }
    notes.facts[1] = {
      ...notes.facts[1]!,
      id: 'x"><img src=x onerror=alert(1)>',
      section: ['<b>bold</b> heading'],
      source: { file: 'a<b>.md', line: 3, column: 1 },
    }
    const { byGuid, db } = await build(notes)
    const [, , extra, context, source, id] = fields(byGuid.get(notes.facts[1]!.guid)!)
    expect(extra).toBe('')
    expect(context).toBe('Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; co › &lt;b&gt;bold&lt;/b&gt; heading')
    expect(source).toBe('a&lt;b&gt;.md:3')
    expect(id).toBe('x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
    const all = rows(db, 'SELECT flds FROM notes').map((r) => String(r.flds))
    for (const flds of all) expect(flds).not.toMatch(/<script|<img|<b>/)
  })

  it('never lets a field value split the field list', async () => {
    const notes = sampleNotes()
    notes.facts[1] = termFact('t', 'cloudformation', 'A\x1fB', 'C', 1)
    const { byGuid } = await build(notes)
    expect(fields(byGuid.get(notes.facts[1]!.guid)!)).toHaveLength(BASIC_MODEL.fields.length)
  })

  it('refuses mod in milliseconds and a GUID used twice, with the fact position', async () => {
    const ms = sampleNotes()
    ms.facts[0] = { ...ms.facts[0]!, modified: T0 * 1000 }
    await expect(emitApkg(ms, options())).rejects.toThrow(/cloudformation\.md:10:1: .*expected unix seconds/)
    await expect(emitApkg(sampleNotes(), options({ createdAt: Date.now() }))).rejects.toThrow(/createdAt/)
    const twice = sampleNotes()
    twice.facts[1] = { ...twice.facts[1]!, guid: twice.facts[0]!.guid }
    await expect(emitApkg(twice, options())).rejects.toThrow(/GUID .* already used/)
  })
})

describe('cards', () => {
  it('makes one card per distinct cloze number (ord = number − 1) and one per Basic note', async () => {
    const notes = sampleNotes()
    notes.facts.push(clozeFact('gaps', 'cloudformation', '{{c3::x}} and {{c1::y}} and {{c3::z::hint}}', 6))
    const { byGuid, cards } = await build(notes)
    const ords = (guid: string) =>
      cards
        .filter((c) => c.nid === byGuid.get(guid)?.id)
        .map((c) => c.ord)
        .sort()
    const [cloze, term, qa, row, , single, gaps] = notes.facts
    expect(ords(cloze!.guid)).toEqual([0, 1])
    expect(ords(term!.guid)).toEqual([0])
    expect(ords(qa!.guid)).toEqual([0])
    expect(ords(row!.guid)).toEqual([0])
    expect(ords(single!.guid)).toEqual([0])
    expect(ords(gaps!.guid)).toEqual([0, 2])
    expect(cards).toHaveLength(2 + 1 + 1 + 1 + 1 + 2)
  })

  it('are new cards in their topic deck, due in document order', async () => {
    const notes = sampleNotes()
    const { cards, notes: noteRows, db } = await build(notes)
    const decks = json(db, 'decks')
    const guidOf = new Map(noteRows.map((n) => [n.id, String(n.guid)]))
    for (const card of cards) {
      expect(card).toMatchObject({ type: 0, queue: 0, ivl: 0, factor: 0, reps: 0, lapses: 0, left: 0, odue: 0, odid: 0, flags: 0, data: '', usn: -1 })
      const fact = notes.facts.find((f) => f.guid === guidOf.get(card.nid as number))!
      expect(card.due).toBe(fact.order + 1)
      expect(card.mod).toBe(fact.modified)
      const topicName = notes.topics.find((t) => t.id === fact.topic)!.name
      expect(decks[String(card.did)].name).toBe(`AWS DevOps Pro DOP-C02::${topicName}`)
    }
    const byDue = rows(db, 'SELECT notes.guid FROM cards JOIN notes ON notes.id = cards.nid ORDER BY due, ord')
    const expected = notes.facts.filter((f) => f.form !== 'none').flatMap((f) => (f.id === 'cfn-stack-policy-default' ? [f.guid, f.guid] : [f.guid]))
    expect(byDue.map((r) => r.guid)).toEqual(expected)
    expect(json(db, 'conf').nextPos).toBe(Math.max(...cards.map((c) => c.due as number)) + 1)
  })

  it('have unique, stable ids no later than now', async () => {
    const { cards, notes } = await build()
    const now = Date.now()
    for (const id of [...cards.map((c) => c.id), ...notes.map((n) => n.id)]) {
      expect(Number.isSafeInteger(id)).toBe(true)
      expect(id as number).toBeLessThan(now)
    }
    expect(new Set(cards.map((c) => c.id)).size).toBe(cards.length)
    expect(new Set(notes.map((n) => n.id)).size).toBe(notes.length)
  })
})

describe('size', () => {
  it('writes thousands of cards (anki-apkg-export gave up between 500 and 700)', async () => {
    const notes = sampleNotes()
    notes.facts = Array.from({ length: 3000 }, (_, i) =>
      i % 2 === 0
        ? termFact(`term-${i}`, 'cloudformation', `Term ${i}`, `Definition ${i}`, i)
        : clozeFact(`cloze-${i}`, 'codepipeline', `Fact {{c1::${i}}} and {{c2::more}}`, i),
    )
    const { notes: noteRows, cards } = await build(notes)
    expect(noteRows).toHaveLength(3000)
    expect(cards).toHaveLength(4500)
  })

  it('writes the same database whether its file starts empty, padded to about its size, or padded too little', async () => {
    const notes = sampleNotes()
    notes.facts = Array.from({ length: 2000 }, (_, i) => termFact(`term-${i}`, 'cloudformation', `Term ${i}`, `Definition ${'long '.repeat(i % 40)}${i}`, i))
    const groups = groupFacts(notes)
    const rows = assembleRows(groups, groups.map((group) => topicRecords(notes.deck, group)), [])
    const col = collectionValues(notes, rows, options())
    const grown = await writeCollection(col, rows.notes, rows.cards, { engine: 'sql.js', presize: 0 })
    expect(grown.byteLength).toBeGreaterThan(400_000)
    for (const presize of [undefined, 100_000, 8_000_000]) {
      const written = await writeCollection(col, rows.notes, rows.cards, { engine: 'sql.js', ...(presize === undefined ? {} : { presize }) })
      expect(sha256(written), `presize ${presize}`).toBe(sha256(grown))
    }
  })
})

describe('regeneration', () => {
  it('gives byte-identical packages for identical input, whatever the input order and time zone', async () => {
    const first = await emitApkg(sampleNotes(), options())
    const second = await emitApkg(sampleNotes(), options())
    expect(sha256(second)).toBe(sha256(first))

    const shuffled = sampleNotes()
    shuffled.facts.reverse()
    expect(sha256(await emitApkg(shuffled, options()))).toBe(sha256(first))

    const tz = process.env.TZ
    try {
      process.env.TZ = 'Pacific/Kiritimati'
      const far = await emitApkg(sampleNotes(), options())
      process.env.TZ = 'America/Los_Angeles'
      const west = await emitApkg(sampleNotes(), options())
      expect(sha256(far)).toBe(sha256(first))
      expect(sha256(west)).toBe(sha256(first))
    } finally {
      if (tz === undefined) delete process.env.TZ
      else process.env.TZ = tz
    }
  })

  it('changes only the edited note: its fields and a newer mod; GUIDs and ids stay', async () => {
    const before = await build()
    const edited = sampleNotes()
    const target = edited.facts[2]!
    edited.facts[2] = qaFact(target.id, target.topic, 'What must a stack policy say to allow an update?', 'An explicit `Allow`.', 2, {
      guid: target.guid,
      modified: T0 + 5000,
    })
    const after = await build(edited)
    expect(sha256(after.bytes)).not.toBe(sha256(before.bytes))
    expect([...after.byGuid.keys()].sort()).toEqual([...before.byGuid.keys()].sort())
    for (const [guid, note] of after.byGuid) {
      const old = before.byGuid.get(guid)!
      expect(note.id).toBe(old.id)
      if (guid === target.guid) {
        expect(note.mod).toBe(T0 + 5000)
        expect(note.mod as number).toBeGreaterThan(old.mod as number)
        expect(fields(note)[0]).toBe('What must a stack policy say to allow an update?')
      } else {
        expect(note).toEqual(old)
      }
    }
    expect(after.cards).toEqual(before.cards.map((c) => (c.nid === after.byGuid.get(target.guid)!.id ? { ...c, mod: T0 + 5000 } : c)))
  })

  it('adds a new fact as one more note without touching the others', async () => {
    const before = await build()
    const added = sampleNotes()
    added.facts.push(termFact('new-one', 'codepipeline', 'Artifact store', 'An S3 bucket.', 6, { guid: 'brand-new-guid' }))
    const after = await build(added)
    expect(after.notes).toHaveLength(before.notes.length + 1)
    for (const [guid, note] of before.byGuid) expect(after.byGuid.get(guid)).toEqual(note)
    expect(after.byGuid.get('brand-new-guid')).toMatchObject({ mid: BASIC_MODEL_ID })
  })

  it('ships removed facts tagged <exam>::removed, newer, same note type, cards suspended', async () => {
    const notes = sampleNotes()
    const [gone] = notes.facts.splice(1, 1) // the term fact
    const [goneCloze] = notes.facts.splice(0, 1) // the cloze fact
    const removedAt = T0 + 86_400 * 30
    const { byGuid, cards } = await build(notes, {
      removed: [
        { guid: gone!.guid, id: gone!.id, topic: 'cloudformation', text: 'Stack policy: a <JSON> document', removedAt, added: T0 },
        { guid: goneCloze!.guid, id: goneCloze!.id, topic: 'gone-topic', text: 'protects {{c2::every}} resource', removedAt, added: T0, form: 'cloze' },
        // A fact that never made a card never had a note: nothing to tag.
        { guid: 'never-a-note', id: 'prose', topic: 'cloudformation', text: 'prose', removedAt, added: T0, form: 'none' },
        // A GUID that is back in the notes is not removed.
        { guid: notes.facts[0]!.guid, id: 'x', topic: 'cloudformation', text: 'x', removedAt, added: T0 },
      ],
    })
    const basic = byGuid.get(gone!.guid)!
    expect(basic).toMatchObject({ mid: BASIC_MODEL_ID, mod: removedAt, tags: ' DOP-C02::removed ' })
    const [front, back] = fields(basic)
    expect(front).toBe(
      '<div class="cd-removed">Removed from the notes on 2025-01-31: delete this note.</div><div>Stack policy: a &lt;JSON&gt; document</div>',
    )
    expect(back).toBe('')
    const cloze = byGuid.get(goneCloze!.guid)!
    expect(cloze).toMatchObject({ mid: CLOZE_MODEL_ID, mod: removedAt, tags: ' DOP-C02::removed ' })
    // The old text's braces are entities (the same escaping as the pipeline's cloze fields): only c1 is a cloze.
    expect(fields(cloze)[0]).toContain('protects &#x7B;&#x7B;c2::every}} resource')
    expect(fields(cloze)[0]).not.toMatch(/\{\{c2::/)
    const removedCards = cards.filter((c) => c.nid === basic.id || c.nid === cloze.id)
    expect(removedCards.map((c) => [c.ord, c.queue])).toEqual([
      [0, -1],
      [0, -1],
    ])
    expect(Math.min(...removedCards.map((c) => c.due as number))).toBeGreaterThan(Math.max(...notes.facts.map((f) => f.order + 1)))
    expect(byGuid.get(notes.facts[0]!.guid)?.tags).not.toContain('removed')
    expect(byGuid.has('never-a-note')).toBe(false)
  })
})

describe('templates', () => {
  it('are loaded from templates/anki with a hash of their text, which stampModels turns into a newer mod', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cheatdeck-anki-'))
    try {
      await cp(ankiTemplatesDir, dir, { recursive: true })
      const same = await loadAnkiTemplates(dir)
      expect(same).toEqual(templates)
      expect(templates.hash).toMatch(/^[0-9a-f]{64}$/)
      await writeFile(join(dir, 'style.css'), `${templates.css}\n.card { color: red; }\n`)
      const changed = await loadAnkiTemplates(dir)
      expect(changed.hash).not.toBe(templates.hash)

      const stamp = stampModels(undefined, templates, T0)
      expect(stamp).toEqual({ hash: templates.hash, modified: T0 })
      expect(stampModels(stamp, templates, T0 + 999)).toBe(stamp)
      expect(stampModels(stamp, changed, T0 + 999)).toEqual({ hash: changed.hash, modified: T0 + 999 })
      // Never goes back, even with a clock behind the lockfile.
      expect(stampModels(stamp, changed, T0 - 50).modified).toBe(T0 + 1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('style both light and night mode', () => {
    expect(templates.css).toMatch(/\.nightMode/)
    expect(templates.css).toMatch(/\.night_mode/)
    expect(templates.css).toMatch(/@media \(max-width/)
  })
})

describe('read by others', () => {
  it('anki-reader (an independent reader) sees the same decks, notes, fields and cards', async () => {
    const notes = sampleNotes()
    const bytes = await emitApkg(notes, options())
    const { collection } = await readAnkiPackage(new Blob([new Uint8Array(bytes)]))
    expect(collection.getVersion()).toBe(11)
    const models = collection.getModels()
    expect(Object.keys(models).sort()).toEqual([String(BASIC_MODEL_ID), String(CLOZE_MODEL_ID)])
    expect(models[BASIC_MODEL_ID]?.getFields().map((f: { name: string }) => f.name)).toEqual([...BASIC_MODEL.fields])

    const seen: { deck: string; fields: Record<string, string>; ord: number; due: number }[] = []
    for (const deck of Object.values(collection.getDecks())) {
      for (const card of Object.values(deck.getCards())) {
        const raw = card.getRawCard() as { ord: number; due: number }
        seen.push({ deck: deck.getName(), fields: card.getFields(), ord: raw.ord, due: raw.due })
      }
    }
    expect(seen).toHaveLength(6)
    const term = seen.find((c) => c.fields.Front === 'Stack policy')
    expect(term).toMatchObject({ deck: 'AWS DevOps Pro DOP-C02::AWS CloudFormation', ord: 0, due: 2 })
    expect(term?.fields).toMatchObject({ Context: 'AWS CloudFormation › Stack policies', Source: 'cloudformation.md:11' })
    const clozes = seen.filter((c) => c.fields.Id === 'cfn-stack-policy-default')
    expect(clozes.map((c) => c.ord).sort()).toEqual([0, 1])
    expect(seen.filter((c) => c.deck === 'AWS DevOps Pro DOP-C02::AWS CodePipeline')).toHaveLength(2)

    // Its template renderer puts the Basic fields where our templates say.
    const questions = Object.values(collection.getDecks())
      .flatMap((deck) => Object.values(deck.getCards()))
      .find((card) => card.getFields().Id === 'cfn-stack-policy-allow')
      ?.getQuestions()
    expect(questions?.[0]?.getQuestionString()).toContain('What must a stack policy state to let a resource be updated?')
    expect(questions?.[0]?.getAnswerString()).toContain('An explicit <code>Allow</code>.')
  })

  const sqlite3 = '/usr/bin/sqlite3'
  it.skipIf(!existsSync(sqlite3))('passes SQLite integrity and foreign checks with the sqlite3 CLI', async () => {
    const { collection } = await openApkg(await emitApkg(sampleNotes(), options()))
    const dir = await mkdtemp(join(tmpdir(), 'cheatdeck-anki-'))
    try {
      const file = join(dir, 'collection.anki2')
      await writeFile(file, collection)
      const run = (sql: string) => execFileSync(sqlite3, [file, sql], { encoding: 'utf8' }).trim()
      expect(run('PRAGMA integrity_check')).toBe('ok')
      expect(run('SELECT ver FROM col')).toBe('11')
      expect(run('SELECT count(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)')).toBe('0')
      expect(run('SELECT count(*) FROM notes WHERE id NOT IN (SELECT nid FROM cards)')).toBe('0')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
