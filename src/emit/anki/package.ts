/**
 * Package: notes → `.apkg` bytes (a zip holding `collection.anki2`, the `media` map and the
 * media files as members `0`, `1`, …, as Anki's legacy importer reads them).
 *
 * Pure and deterministic: no clock, no randomness, no file I/O. Every time in the package comes
 * from the options or the facts, every id from a hash (ids.ts), and the zip's member times are
 * fixed, so the same input gives the same bytes.
 */
import type { SqlJsStatic } from 'sql.js'
import { strToU8, zipSync } from 'fflate'
import { formatSource, tagRoot, type Fact, type MediaFile, type Notes, type RemovedFact } from '../../facts/model.ts'
import { DEFAULT_DECK, deckJson, folderDecks, parentDeck, topicDeck, type Deck } from './deck.ts'
import { IdAllocator } from './ids.ts'
import { BASIC_MODEL_ID, REVERSED_MODEL_ID, modelsJson } from './model.ts'
import {
  FIELD_SEPARATOR,
  factNote,
  fieldChecksum,
  removedNote,
  stripHtml,
  tagsColumn,
  type NoteContent,
} from './note.ts'
import { DECK_CONFIG_ID, INSERT_CARD, INSERT_COL, INSERT_NOTE, SCHEMA_SQL, collectionConf, deckConfig } from './schema.ts'
import type { AnkiTemplates } from './templates.ts'

export interface ApkgOptions {
  templates: AnkiTemplates
  /** Unix seconds: the note types' `mod`. Raise it whenever `templates.hash` changes. */
  modelsModified: number
  /** Unix seconds: `col.crt` and the decks' `mod` (from SOURCE_DATE_EPOCH or the lockfile). */
  createdAt: number
  /**
   * Facts gone from the notes: shipped as newer notes tagged `<exam>::removed`. Anki updates the
   * note (text, tags) and never an existing card; the cards here are suspended, which only a
   * collection without the note, importing with scheduling, ever sees.
   */
  removed?: RemovedFact[]
}

/** One row of `notes` and its rows of `cards`. */
interface NoteRow extends NoteContent {
  id: number
  /** Unix seconds when the fact was first seen: the second its note's and cards' ids are in. */
  added: number
  guid: string
  mod: number
  tags: string
  deckId: number
  due: number
  suspended: boolean
}

/** Unix seconds, or this throws: Anki reads `notes.mod` in seconds, and milliseconds there break updates. */
function seconds(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 99_999_999_999) {
    throw new RangeError(`${what}: expected unix seconds, got ${value}`)
  }
  return value
}

let sqlJs: Promise<SqlJsStatic> | undefined

export async function emitApkg(notes: Notes, options: ApkgOptions): Promise<Uint8Array> {
  const createdAt = seconds(options.createdAt, 'createdAt')
  const modelsModified = seconds(options.modelsModified, 'modelsModified')
  const rows = noteRows(notes, options.removed ?? [])

  const parent = parentDeck(notes.deck)
  const decks = [DEFAULT_DECK, parent, ...folderDecks(notes.deck, notes.topics), ...notes.topics.map((topic) => topicDeck(notes.deck, topic))]
  const lastDue = rows.reduce((max, row) => Math.max(max, row.due), 0)
  const lastChange = rows.reduce((max, row) => Math.max(max, row.mod), Math.max(createdAt, modelsModified))

  // Imported here, not at the top: only a build that writes the deck pays for loading SQLite.
  sqlJs ??= import('sql.js').then(({ default: initSqlJs }) => initSqlJs()).catch((error: unknown) => {
    sqlJs = undefined // let the next call try again
    throw error
  })
  const SQL = await sqlJs
  const db = new SQL.Database()
  try {
    db.run(SCHEMA_SQL)
    db.run(INSERT_COL, {
      ':crt': createdAt,
      ':mod': lastChange * 1000,
      ':scm': createdAt * 1000,
      ':conf': JSON.stringify(collectionConf(BASIC_MODEL_ID, lastDue + 1)),
      ':models': JSON.stringify(modelsJson(options.templates, modelsModified, parent.id, rows.some((row) => row.model.id === REVERSED_MODEL_ID))),
      ':decks': JSON.stringify(Object.fromEntries(decks.map((deck) => [deck.id, deckJson(deck, createdAt)]))),
      ':dconf': JSON.stringify({ [DECK_CONFIG_ID]: deckConfig(createdAt) }),
    })
    // One transaction for all rows: in autocommit every insert rewrites its journal and pages in
    // sql.js's in-memory file system, which was most of this stage (2.5 s → 1 s for 10 000 notes).
    // Rows go in ascending id order (ids are hashes, so document order is random order for the
    // B-tree): appends instead of page splits, a smaller file, and the same rows — a table is
    // always read back in id order. Ids are still claimed in document order (collisions).
    db.run('BEGIN')
    const insertNote = db.prepare(INSERT_NOTE)
    const insertCard = db.prepare(INSERT_CARD)
    const cardIds = new IdAllocator('card')
    const cards: { id: number; row: NoteRow; ord: number }[] = []
    for (const row of rows) for (const ord of row.ords) cards.push({ id: cardIds.claim(`${row.guid}:${ord}`, row.added), row, ord })
    for (const row of [...rows].sort((a, b) => a.id - b.id)) {
      const first = row.fields[0] ?? ''
      // Positional values, in the order of INSERT_NOTE's parameters: binding by name costs a
      // parameter lookup per value across the wasm boundary.
      insertNote.run([
        row.id,
        row.guid,
        row.model.id,
        row.mod,
        row.tags,
        row.fields.join(FIELD_SEPARATOR),
        stripHtml(first), // sfld: sortf 0, the sort field is the first field
        fieldChecksum(first), // csum
      ])
    }
    for (const { id, row, ord } of cards.sort((a, b) => a.id - b.id)) {
      // In the order of INSERT_CARD's parameters: id, nid, did, ord, mod, queue, due.
      insertCard.run([id, row.id, row.deckId, ord, row.mod, row.suspended ? -1 : 0, row.due])
    }
    insertNote.free()
    insertCard.free()
    db.run('COMMIT')
    const collection = db.export()
    return zipPackage(collection, notes.media ?? [])
  } finally {
    db.close()
  }
}

/** The notes in document order, then the removed ones (oldest removal first), with ids assigned. */
function noteRows(notes: Notes, removed: readonly RemovedFact[]): NoteRow[] {
  const parent = parentDeck(notes.deck)
  const topics = new Map(notes.topics.map((topic) => [topic.id, { topic, deck: topicDeck(notes.deck, topic) }]))
  const deckFor = (topicId: string): { name: string; deck: Deck } => {
    const found = topics.get(topicId)
    return found ? { name: found.topic.name, deck: found.deck } : { name: topicId, deck: parent }
  }
  const noteIds = new IdAllocator('note')
  const guids = new Map<string, string>()
  const claim = (guid: string, added: number, what: string): number => {
    const first = guids.get(guid)
    if (first !== undefined) throw new Error(`${what}: GUID ${guid} is already used by ${first}`)
    guids.set(guid, what)
    return noteIds.claim(guid, seconds(added, `${what} added`))
  }

  const rows: NoteRow[] = []
  const facts = [...notes.facts].sort((a, b) => a.order - b.order)
  for (const fact of facts) {
    const { name, deck } = deckFor(fact.topic)
    const content = factNote(fact, name)
    if (!content) continue
    rows.push({
      ...content,
      id: claim(fact.guid, fact.added, describe(fact)),
      added: fact.added,
      guid: fact.guid,
      mod: seconds(fact.modified, `${describe(fact)} modified`),
      tags: tagsColumn(fact.tags),
      deckId: deck.id,
      // New cards come in document order; the siblings of a cloze share their note's position.
      due: fact.order + 1,
      suspended: false,
    })
  }

  const current = new Set(notes.facts.map((fact) => fact.guid))
  const gone = removed
    // A fact without card markup never had a note in Anki: nothing to tag.
    .filter((note) => !current.has(note.guid) && note.form !== 'none')
    .sort((a, b) => a.removedAt - b.removedAt || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0))
  let due = facts.reduce((max, fact) => Math.max(max, fact.order + 1), 0)
  for (const note of gone) {
    const { name, deck } = deckFor(note.topic)
    rows.push({
      ...removedNote(note, name),
      id: claim(note.guid, note.added, `removed fact \`${note.id}\``),
      added: note.added,
      guid: note.guid,
      mod: seconds(note.removedAt, `removed fact \`${note.id}\` removedAt`),
      tags: tagsColumn([`${tagRoot(notes.deck)}::removed`]),
      deckId: deck.id,
      due: (due += 1),
      // Only a collection that never had the note, importing with scheduling, gets it suspended;
      // Anki's default import resets incoming cards to new, and never touches existing ones.
      suspended: true,
    })
  }
  return rows
}

function describe(fact: Fact): string {
  return `${formatSource(fact.source)}: fact \`${fact.id}\``
}

/**
 * Deflate level 1, chosen by measurement on the 10 000-fact collection (6.9 MB): 134 ms CPU and
 * 1.47 MB, against 185 ms and 1.38 MB at level 6 (9: 226 ms, 1.38 MB; stored: 20 ms, 6.9 MB).
 * fflate is pure JavaScript, so the bytes are the same on every machine (Node's zlib is faster
 * but its output depends on the zlib it was built with).
 */
const DEFLATE_LEVEL = 1

/**
 * Zip member times are DOS local times, which fflate reads from a Date's local fields: a Date
 * built from local fields gives the same bytes in every time zone.
 */
function zipPackage(collection: Uint8Array, media: readonly MediaFile[]): Uint8Array {
  const mtime = new Date(1980, 0, 1, 12, 0, 0)
  // Members `0`, `1`, … hold the files; the `media` map gives each its name (content-derived, so
  // a name Anki already has holds the same bytes). Images are stored, not deflated again.
  const map = Object.fromEntries(media.map((file, index) => [String(index), file.name]))
  const files = Object.fromEntries(media.map((file, index) => [String(index), [file.data, { level: 0, mtime }] as const]))
  return zipSync(
    {
      'collection.anki2': [collection, { level: DEFLATE_LEVEL, mtime }],
      media: [strToU8(JSON.stringify(map)), { level: DEFLATE_LEVEL, mtime }],
      ...files,
    },
    { mtime },
  )
}
