/**
 * Reversed cards (issue 12): `Question:::Answer`, `??` multi-line cards and `reverse: terms` make
 * a `cheatdeck Reversed` note, two cards, one each way. The note type ships only in a package that
 * uses it, so a deck without reversed cards is the same package as before it existed.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.ts'
import { cardsOf } from '../src/cards/text.ts'
import { compile } from '../src/compile.ts'
import { BASIC_MODEL_ID, CLOZE_MODEL_ID, REVERSED_MODEL, REVERSED_MODEL_ID, emitApkg, loadAnkiTemplates, usedTemplates } from '../src/emit/anki/index.ts'
import { FORMS } from '../src/notes/forms/index.ts'
import { fact, sampleNotes, T0 } from './anki-fixture.ts'
import { json, openApkg, rows } from './anki-read.ts'
import { SimulatedCollection } from './anki-import-model.ts'
import { itemContent, itemInput } from './helpers/facts.ts'
import { withNotes } from './helpers/notes.ts'

const DECK = 'title: Rev\nexam: REV-01\ndomains:\n  - { id: d, name: Domain, weight: 100 }\nkeyTopics: []\n'
const topicFile = (facts: string, extra = '') => `---\nname: Widgets\ndomains: [d]\n${extra}---\n\n# Widgets\n\n${facts}\n`

describe('the reversed form', () => {
  it('reads `:::` and a `??` line, and leaves `::` and `?` to qa', () => {
    const single = FORMS.reversed.item?.(itemInput('The widget port:::8443'))
    expect(single?.card).toMatchObject({ form: 'reversed', reversed: { question: 'The widget port', answer: '8443' } })
    const multi = FORMS.reversed.item?.(itemInput('The widget port\n??\n8443 by default'))
    expect(multi?.card).toMatchObject({ form: 'reversed', reversed: { question: 'The widget port', answer: '8443 by default' } })
    expect(FORMS.reversed.item?.(itemInput('Which port?::8443'))).toBeUndefined()
    expect(FORMS.reversed.item?.(itemInput('Which port\n?\n8443'))).toBeUndefined()
    expect(FORMS.qa.item?.(itemInput('Which port\n?\n8443'))?.card).toMatchObject({ form: 'qa', question: { question: 'Which port', answer: '8443' } })
    // The first separator decides: `::` before a `:::` makes a one-way card.
    expect(FORMS.qa.item?.(itemInput('Which port?::c:::d'))?.card).toMatchObject({ form: 'qa', question: { question: 'Which port?', answer: 'c:::d' } })
    expect(FORMS.reversed.item?.(itemInput('Four colons :::: are no separator'))).toBeUndefined()
    expect(FORMS.reversed.item?.(itemInput('`a:::b` in code'))).toBeUndefined()
  })

  it('makes two cards, the second asking for the front', () => {
    const f = fact({ id: 'w', topic: 'widgets' }, itemContent('The widget port:::8443'), 0)
    expect(cardsOf(f, 'Widgets').map((c) => [c.card, c.front, c.back])).toEqual([
      [1, 'The widget port', '8443'],
      [2, '8443', 'The widget port'],
    ])
  })
})

describe('the Reversed note type', () => {
  it('is in the package only when a note uses it, with a forward and a reverse template', async () => {
    const templates = await loadAnkiTemplates()
    const options = { templates, modelsModified: T0 + 100, createdAt: T0 - 1000 }
    const plain = await openApkg(await emitApkg(sampleNotes(), options))
    expect(Object.keys(json(plain.db, 'models')).map(Number).sort()).toEqual([BASIC_MODEL_ID, CLOZE_MODEL_ID])

    const notes = sampleNotes()
    notes.facts.push(fact({ id: 'w', topic: 'cloudformation', guid: 'reversed01' }, itemContent('The widget **port**:::`8443`'), notes.facts.length))
    const apkg = await openApkg(await emitApkg(notes, options))
    const model = json(apkg.db, 'models')[REVERSED_MODEL_ID]
    expect(model).toMatchObject({ name: 'cheatdeck Reversed', type: 0, req: [[0, 'any', [0]], [1, 'any', [1]]] })
    expect(model.flds.map((f: { name: string }) => f.name)).toEqual(REVERSED_MODEL.fields)
    expect(model.tmpls.map((t: { name: string }) => t.name)).toEqual(['Card 1', 'Card 2'])
    expect(model.tmpls[0].qfmt).toContain('{{Front}}')
    expect(model.tmpls[1].qfmt).toContain('{{Back}}')
    expect(model.tmpls[1].qfmt).not.toContain('{{Front}}')
    const [note] = rows(apkg.db, `SELECT id, flds FROM notes WHERE mid = ${REVERSED_MODEL_ID}`)
    expect(String(note?.flds).split('\x1f').slice(0, 2)).toEqual(['The widget <strong>port</strong>', '<code>8443</code>'])
    expect(rows(apkg.db, `SELECT ord FROM cards WHERE nid = ${note?.id} ORDER BY ord`).map((r) => r.ord)).toEqual([0, 1])

    // Anki (as modelled) adds the note type and both cards.
    const collection = new SimulatedCollection()
    const log = collection.import(apkg)
    expect(log.notetypesAdded).toBe(3)
    expect(log.cardsAdded).toBe(rows(apkg.db, 'SELECT id FROM cards').length)
  })

  it("counts its templates in the stamp's hash only when used", async () => {
    const templates = await loadAnkiTemplates()
    expect(usedTemplates(templates, [])).toBe(templates)
    const used = usedTemplates(templates, ['reversed'])
    expect(used.hash).not.toBe(templates.hash)
    const edited = { ...templates, optional: { ...templates.optional, reversed: [['reversed.front.html', 'changed'] as [string, string]] } }
    expect(usedTemplates(edited, ['reversed']).hash).not.toBe(used.hash)
    expect(usedTemplates(edited, []).hash).toBe(templates.hash)
  })
})

describe('reverse: terms', () => {
  const facts = '- **Widget**: a part that does one thing.\n- **Gadget**: a tool.\n- Which port?::8443'

  it('in the deck file or a topic file makes term facts reversed; others stay as they are', async () => {
    for (const [deck, extra] of [[`${DECK}reverse: terms\n`, ''], [DECK, 'reverse: terms\n']] as const) {
      const forms = await withNotes({ 'deck.yaml': deck, 'w.md': topicFile(facts, extra) }, async (notes) => {
        const result = await compile({ notes, now: T0 })
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
        return result.notes.facts.map((f) => f.form)
      })
      expect(forms).toEqual(['reversed', 'reversed', 'qa'])
    }
  })

  it('accepts only `terms`, at its place', async () => {
    await withNotes({ 'deck.yaml': DECK, 'w.md': topicFile(facts, 'reverse: all\n') }, async (notes) => {
      const result = await compile({ notes, now: T0 })
      expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message}`)).toEqual([
        '4:10 invalid-frontmatter Unexpected string `all` as `reverse`, expected `terms`',
      ])
    })
  })

  it('gives a term a new GUID when it turns reversed (another note type), and builds a Reversed note', async () => {
    await withNotes({ 'deck.yaml': DECK, 'w.md': topicFile(facts) }, async (notes) => {
      const out = path.join(notes, 'out')
      const first = await build({ notes, out, now: T0, fit: false, only: ['anki'] })
      await import('node:fs/promises').then((fs) => fs.writeFile(path.join(notes, 'deck.yaml'), `${DECK}reverse: terms\n`))
      const second = await build({ notes, out, now: T0 + 10, fit: false, only: ['anki'] })
      const guid = (r: typeof first) => r.notes.facts.find((f) => f.text.startsWith('Widget'))?.guid
      expect(guid(second)).not.toBe(guid(first))
      expect(second.changes.removed.length).toBe(2)
      const apkg = await openApkg(new Uint8Array(await readFile(path.join(out, 'rev.apkg'))))
      expect(rows(apkg.db, `SELECT count(*) AS n FROM notes WHERE mid = ${REVERSED_MODEL_ID}`)[0]?.n).toBe(2)
    })
  })
})
