/**
 * Rows: each note's `notes` row and its `cards` rows, each built once from its fact.
 *
 * What depends only on a fact, its topic and the deck title is a `NoteRecord`: the fields as
 * HTML, the sort field stripped once, its checksum, the tags, the deck and the hashed part of each
 * id. Records are made per topic, so the persistent cache can keep them per topic (./cached.ts).
 * What depends on the whole deck is added when the package is put together (`assembleRows`): the
 * ids, claimed deck-wide in document order (a collision steps down, see ids.ts), and the position
 * in the new queue (the fact's place in the whole deck).
 */
import { formatSource, tagRoot, type DeckInfo, type Fact, type Notes, type RemovedFact, type Topic } from '../../facts/model.ts'
import { parentDeck, topicDeck } from './deck.ts'
import { IdAllocator, idMillisecond } from './ids.ts'
import { REVERSED_MODEL_ID } from './model.ts'
import { FIELD_SEPARATOR, factNote, fieldChecksum, removedNote, tagsColumn, type NoteContent } from './note.ts'

/** A note as its fact (or removed fact) alone decides it. */
export interface NoteRecord {
  guid: string
  /** Note type id. */
  mid: number
  /** Unix seconds: the fact's last content change (Anki updates a note only when this is newer). */
  mod: number
  /** `notes.tags`, `notes.flds`, `notes.sfld`, `notes.csum` as stored. */
  tags: string
  flds: string
  sfld: string
  csum: number
  /** Card ordinals, and the millisecond each card's id takes in the `added` second if free. */
  ords: number[]
  cardMs: number[]
  /** Unix seconds when the fact was first seen: the second its note's and cards' ids are in. */
  added: number
  /** The millisecond the note's id takes in the `added` second if free. */
  noteMs: number
  deckId: number
  /** New cards are suspended only for a removed fact's note. */
  suspended: boolean
  /** The fact, for a message that names it. */
  what: string
}

/** A topic's facts in document order (`topic` undefined: a fact whose topic is not among the notes' topics). */
export interface TopicGroup {
  topicId: string
  topic: Topic | undefined
  facts: Fact[]
}

/** `notes` columns in INSERT_NOTE's order: id, guid, mid, mod, tags, flds, sfld, csum. */
export type NoteValues = [number, string, number, number, string, string, string, number]
/** `cards` columns in INSERT_CARD's order: id, nid, did, ord, mod, queue, due. */
export type CardValues = [number, number, number, number, number, number, number]

export interface Rows {
  /** In ascending id order, as they are inserted. */
  notes: NoteValues[]
  cards: CardValues[]
  /** The last new-queue position taken, the latest `mod`, and whether a note is a Reversed one. */
  lastDue: number
  lastMod: number
  reversed: boolean
}

/** Unix seconds, or this throws: Anki reads `notes.mod` in seconds, and milliseconds there break updates. */
export function seconds(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 99_999_999_999) {
    throw new RangeError(`${what}: expected unix seconds, got ${value}`)
  }
  return value
}

/** The facts by topic, each topic's in document order; the topics in the order of their first fact. */
export function groupFacts(notes: Notes): TopicGroup[] {
  const topics = new Map(notes.topics.map((topic) => [topic.id, topic]))
  const groups = new Map<string, TopicGroup>()
  for (const fact of [...notes.facts].sort((a, b) => a.order - b.order)) {
    let group = groups.get(fact.topic)
    if (!group) groups.set(fact.topic, (group = { topicId: fact.topic, topic: topics.get(fact.topic), facts: [] }))
    group.facts.push(fact)
  }
  return [...groups.values()]
}

/** A topic's notes, one per fact in `group.facts` (null for a fact without card markup). */
export function topicRecords(deck: DeckInfo, group: TopicGroup): (NoteRecord | null)[] {
  const { name, deckId } = placeOf(deck, group.topic, group.topicId)
  return group.facts.map((fact) => {
    const content = factNote(fact, name)
    if (!content) return null
    const what = `${formatSource(fact.source)}: fact \`${fact.id}\``
    return record(content, {
      guid: fact.guid,
      added: seconds(fact.added, `${what} added`),
      mod: seconds(fact.modified, `${what} modified`),
      tags: tagsColumn(fact.tags),
      deckId,
      suspended: false,
      what,
    })
  })
}

/** The notes of facts gone from the notes (oldest removal first), tagged `<root>::removed`. */
export function removedRecords(notes: Notes, removed: readonly RemovedFact[]): NoteRecord[] {
  const current = new Set(notes.facts.map((fact) => fact.guid))
  const topics = new Map(notes.topics.map((topic) => [topic.id, topic]))
  return (
    removed
      // A fact without card markup never had a note in Anki: nothing to tag.
      .filter((note) => !current.has(note.guid) && note.form !== 'none')
      .sort((a, b) => a.removedAt - b.removedAt || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0))
      .map((note) => {
        const { name, deckId } = placeOf(notes.deck, topics.get(note.topic), note.topic)
        const what = `removed fact \`${note.id}\``
        return record(removedNote(note, name), {
          guid: note.guid,
          added: seconds(note.added, `${what} added`),
          mod: seconds(note.removedAt, `${what} removedAt`),
          tags: tagsColumn([`${tagRoot(notes.deck)}::removed`]),
          deckId,
          // Only a collection that never had the note, importing with scheduling, gets it suspended;
          // Anki's default import resets incoming cards to new, and never touches existing ones.
          suspended: true,
          what,
        })
      })
  )
}

/**
 * The rows of the package: the topics' records in document order (`records[i]` belongs to
 * `groups[i]`), then the removed facts' records, with ids and new-queue positions.
 */
export function assembleRows(groups: readonly TopicGroup[], records: readonly (readonly (NoteRecord | null)[])[], removed: readonly NoteRecord[]): Rows {
  const placed: { order: number; record: NoteRecord }[] = []
  let due = 0
  for (const [g, group] of groups.entries()) {
    const kept = records[g] ?? []
    for (const [f, fact] of group.facts.entries()) {
      due = Math.max(due, fact.order + 1)
      const record = kept[f]
      if (record) placed.push({ order: fact.order, record })
    }
  }
  // New cards come in document order; the siblings of a cloze share their note's position.
  const ordered = placed.sort((a, b) => a.order - b.order).map(({ order, record }) => ({ record, due: order + 1 }))
  for (const record of removed) ordered.push({ record, due: (due += 1) })

  const noteIds = new IdAllocator('note')
  const cardIds = new IdAllocator('card')
  const guids = new Map<string, string>()
  const notes: NoteValues[] = []
  const cards: CardValues[] = []
  let lastDue = 0
  let lastMod = 0
  let reversed = false
  for (const { record: r, due: position } of ordered) {
    const first = guids.get(r.guid)
    if (first !== undefined) throw new Error(`${r.what}: GUID ${r.guid} is already used by ${first}`)
    guids.set(r.guid, r.what)
    const id = noteIds.claimAt(r.added, r.noteMs)
    notes.push([id, r.guid, r.mid, r.mod, r.tags, r.flds, r.sfld, r.csum])
    lastDue = Math.max(lastDue, position)
    lastMod = Math.max(lastMod, r.mod)
    reversed ||= r.mid === REVERSED_MODEL_ID
    for (const [i, ord] of r.ords.entries()) {
      cards.push([cardIds.claimAt(r.added, r.cardMs[i] ?? 0), id, r.deckId, ord, r.mod, r.suspended ? -1 : 0, position])
    }
  }
  // Ascending id order (ids are hashes, so document order is random order for the B-tree): appends
  // instead of page splits, a smaller file, and the same rows — a table is read back in id order.
  notes.sort((a, b) => a[0] - b[0])
  cards.sort((a, b) => a[0] - b[0])
  return { notes, cards, lastDue, lastMod, reversed }
}

/** A topic's name (the notes' `Context` breadcrumb starts with it) and the deck its cards go to. */
function placeOf(deck: DeckInfo, topic: Topic | undefined, topicId: string): { name: string; deckId: number } {
  return topic ? { name: topic.name, deckId: topicDeck(deck, topic).id } : { name: topicId, deckId: parentDeck(deck).id }
}

function record(content: NoteContent, rest: Omit<NoteRecord, 'mid' | 'flds' | 'sfld' | 'csum' | 'ords' | 'cardMs' | 'noteMs'>): NoteRecord {
  return {
    ...rest,
    mid: content.model.id,
    flds: content.fields.join(FIELD_SEPARATOR),
    sfld: content.sortField, // sortf 0: the sort field is the first field
    csum: fieldChecksum(content.sortField),
    ords: content.ords,
    cardMs: content.ords.map((ord) => idMillisecond('card', `${rest.guid}:${ord}`)),
    noteMs: idMillisecond('note', rest.guid),
  }
}
