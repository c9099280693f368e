import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.ts'
import { main } from '../src/cli.ts'
import type { Fact } from '../src/index.ts'
import { copyFixture } from './helpers/fixture.ts'

const T0 = 1_700_000_000
const T1 = T0 + 86_400

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8')
  if (!text.includes(from)) throw new Error(`fixture lacks ${from}`)
  await writeFile(file, text.replace(from, to))
}

const guidOf = (facts: Fact[], start: string): string | undefined => facts.find((f) => f.text.startsWith(start))?.guid

describe('identity across builds (the lockfile)', () => {
  it('rebuilding unchanged notes rewrites byte-identical facts.json and leaves the lockfile alone', async () => {
    const { notes, out } = await copyFixture('identity')
    const first = await build({ notes, out, now: T0, only: ['dataset', 'anki'] })
    expect(first.ok).toBe(true)
    expect(first.changes.added).toHaveLength(4)
    const dataset = await readFile(path.join(out, 'facts.json'))
    const lock = await readFile(path.join(notes, 'cheatdeck.lock.json'))
    const second = await build({ notes, out, now: T1, only: ['dataset', 'anki'] })
    expect(second.changes).toEqual({ added: [], changed: [], removed: [], renamed: {} })
    expect(second.files.map((f) => path.basename(f.path))).not.toContain('cheatdeck.lock.json')
    expect(await readFile(path.join(out, 'facts.json'))).toEqual(dataset)
    expect(await readFile(path.join(notes, 'cheatdeck.lock.json'))).toEqual(lock)
  })

  it('a reworded fact keeps its GUID and counts as 1 changed, 0 added, 0 removed', async () => {
    const { notes, out } = await copyFixture('identity')
    const first = await build({ notes, out, now: T0, only: ['dataset', 'anki'] })
    const before = guidOf(first.notes.facts, 'Messages that fail')
    await edit(path.join(notes, 'queues.md'), 'Messages that fail too often move to a ==dead-letter queue==.', 'Messages that keep failing are moved to a ==dead-letter queue== (DLQ).')
    const second = await build({ notes, out, now: T1, only: ['dataset', 'anki'] })
    expect(second.ok).toBe(true)
    const fact = second.notes.facts.find((f) => f.text.startsWith('Messages that keep failing'))
    expect(fact?.guid).toBe(before)
    expect(fact?.modified).toBe(T1)
    expect(second.changes.added).toEqual([])
    expect(second.changes.removed).toEqual([])
    expect(second.changes.changed).toEqual([fact?.id])
    // Every other fact keeps its modification time.
    for (const other of second.notes.facts.filter((f) => f !== fact)) expect(other.modified).toBe(T0)
  })

  it('a new fact gets a new GUID; a deleted fact is reported as removed and remembered', async () => {
    const { notes, out } = await copyFixture('identity')
    const first = await build({ notes, out, now: T0, only: ['dataset', 'anki'] })
    const gone = first.notes.facts.find((f) => f.text.startsWith('The longest retention'))
    await edit(path.join(notes, 'queues.md'), '- The longest retention a queue allows is ==14 days==.\n', '')
    await edit(path.join(notes, 'queues.md'), '## Dead-letter queues\n', '## Dead-letter queues\n\n- A DLQ must be the ==same type== (standard or FIFO) as its source queue.\n')
    const second = await build({ notes, out, now: T1, only: ['dataset', 'anki'] })
    expect(second.changes.added).toHaveLength(1)
    expect(second.changes.changed).toEqual([])
    expect(second.changes.removed).toEqual([gone?.id])
    const added = second.notes.facts.find((f) => f.id === second.changes.added[0])
    expect(first.notes.facts.map((f) => f.guid)).not.toContain(added?.guid)
    expect(second.removed).toEqual([{ id: gone?.id, guid: gone?.guid, topic: 'queues', text: gone?.text, form: 'cloze', added: T0, removedAt: T1 }])
    const lock = JSON.parse(await readFile(path.join(notes, 'cheatdeck.lock.json'), 'utf8'))
    expect(lock.facts[gone?.id ?? '']).toMatchObject({ guid: gone?.guid, removed: T1 })
    // The next build does not report it again.
    const third = await build({ notes, out, now: T1 + 10, only: ['dataset', 'anki'] })
    expect(third.changes.removed).toEqual([])
  })

  it('a fact moved to another section keeps its GUID; reworded heavily as well, it is a new fact', async () => {
    const { notes, out } = await copyFixture('identity')
    const first = await build({ notes, out, now: T0, only: ['dataset', 'anki'] })
    const before = guidOf(first.notes.facts, 'A queue keeps messages')
    await edit(path.join(notes, 'queues.md'), '- A queue keeps messages for ==four days== unless told otherwise.\n', '')
    await edit(path.join(notes, 'queues.md'), '## Dead-letter queues\n', '## Dead-letter queues\n\n- A queue keeps messages for four days unless ==told otherwise==.\n')
    const second = await build({ notes, out, now: T1, only: ['dataset', 'anki'] })
    expect(guidOf(second.notes.facts, 'A queue keeps messages')).toBe(before)
    expect(second.changes).toMatchObject({ added: [], removed: [] })
    expect(second.changes.changed).toHaveLength(1)
    // Moved back and reworded beyond recognition: what matching cannot follow (a pin would).
    await edit(path.join(notes, 'queues.md'), '- A queue keeps messages for four days unless ==told otherwise==.\n', '')
    await edit(path.join(notes, 'queues.md'), '## Retention\n', '## Retention\n\n- Unless configured, SQS drops a message after ==345,600 seconds==.\n')
    const third = await build({ notes, out, now: T1 + 10, only: ['dataset', 'anki'] })
    expect(guidOf(third.notes.facts, 'Unless configured')).not.toBe(before)
    expect(third.changes.added).toHaveLength(1)
    expect(third.changes.removed).toHaveLength(1)
  })

  it('does not match a reworded fact that changed note type (Cloze ↔ Basic): a GUID only updates a note of its own type', async () => {
    const { notes, out } = await copyFixture('identity')
    const first = await build({ notes, out, now: T0, only: ['dataset', 'anki'] })
    const before = guidOf(first.notes.facts, 'A queue keeps messages')
    // the same words, now a question: a Basic note, where the Cloze note was
    await edit(path.join(notes, 'queues.md'), '- A queue keeps messages for ==four days== unless told otherwise.', '- A queue keeps messages for how long unless told otherwise? :: Four days.')
    const second = await build({ notes, out, now: T1, only: ['dataset', 'anki'] })
    const after = second.notes.facts.find((f) => f.text.startsWith('A queue keeps messages'))
    expect(after?.form).toBe('qa')
    expect(after?.guid).not.toBe(before)
    expect(second.changes.added).toEqual([after?.id])
    expect(second.changes.removed).toHaveLength(1)
    expect(second.removed.map((r) => [r.guid, r.form])).toEqual([[before, 'cloze']])
  })

  it('--locked fails with exit 1 instead of writing the lockfile', async () => {
    const { notes, out } = await copyFixture('identity')
    const err: string[] = []
    const io = { stdout: () => {}, stderr: (t: string) => void err.push(t) }
    expect(await main(['build', '--locked', '--no-fit', '--notes', notes, '--out', out], io)).toBe(1)
    expect(err.join('')).toMatch(/^cheatdeck\.lock\.json\n1:1 +error +Unexpected no lockfile, .* +lockfile-outdated +cheatdeck$/m)
    expect(await main(['build', '--no-fit', '--notes', notes, '--out', out], io)).toBe(0)
    expect(await main(['build', '--locked', '--no-fit', '--notes', notes, '--out', out], io)).toBe(0)
    await edit(path.join(notes, 'queues.md'), 'four days', 'four (4) days')
    expect(await main(['build', '--locked', '--no-fit', '--notes', notes, '--out', out], io)).toBe(1)
    expect(err.join('')).toContain('out of date (0 added, 1 changed, 0 removed)')
    // `check --locked` says the same, and writes nothing either.
    const lock = await readFile(path.join(notes, 'cheatdeck.lock.json'))
    expect(await main(['check', '--locked', '--notes', notes], io)).toBe(1)
    expect(await main(['check', '--notes', notes], io)).toBe(0)
    expect(await readFile(path.join(notes, 'cheatdeck.lock.json'))).toEqual(lock)
  })

  it('honours SOURCE_DATE_EPOCH: two first builds at different times give the same lockfile and .apkg', async () => {
    const a = await copyFixture('identity')
    const b = await copyFixture('identity')
    const saved = process.env['SOURCE_DATE_EPOCH']
    process.env['SOURCE_DATE_EPOCH'] = '1700000000'
    try {
      const io = { stdout: () => {}, stderr: () => {} }
      expect(await main(['build', '--only', 'anki', '--notes', a.notes, '--out', a.out], io)).toBe(0)
      await new Promise((resolve) => setTimeout(resolve, 1100))
      expect(await main(['build', '--only', 'anki', '--notes', b.notes, '--out', b.out], io)).toBe(0)
    } finally {
      if (saved === undefined) delete process.env['SOURCE_DATE_EPOCH']
      else process.env['SOURCE_DATE_EPOCH'] = saved
    }
    const lock = JSON.parse(await readFile(path.join(a.notes, 'cheatdeck.lock.json'), 'utf8'))
    expect(lock.created).toBe(1_700_000_000)
    expect(Object.values(lock.facts).map((f) => (f as { modified: number }).modified)).toEqual([1_700_000_000, 1_700_000_000, 1_700_000_000, 1_700_000_000])
    expect(await readFile(path.join(b.notes, 'cheatdeck.lock.json'))).toEqual(await readFile(path.join(a.notes, 'cheatdeck.lock.json')))
    expect(await readFile(path.join(b.out, 'test-deck.apkg'))).toEqual(await readFile(path.join(a.out, 'test-deck.apkg')))
  })
})
