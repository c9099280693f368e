/**
 * Package: notes → `.apkg` bytes (a zip holding `collection.anki2`, the `media` map and the
 * media files as members `0`, `1`, …, as Anki's legacy importer reads them).
 *
 * Pure and deterministic: no clock, no randomness, no file I/O. Every time in the package comes
 * from the options or the facts, every id from a hash (ids.ts), and the zip's member times are
 * fixed, so the same input gives the same bytes.
 */
import { strToU8, zipSync } from 'fflate'
import type { MediaFile, Notes, RemovedFact } from '../../facts/model.ts'
import { loadSqlJs, nodeSqlite, writeCollection, type ColValues } from './collection.ts'
import { DEFAULT_DECK, deckJson, folderDecks, parentDeck, topicDeck } from './deck.ts'
import { BASIC_MODEL_ID, modelsJson } from './model.ts'
import { assembleRows, groupFacts, removedRecords, seconds, topicRecords, type NoteRecord, type Rows, type TopicGroup } from './rows.ts'
import { DECK_CONFIG_ID, collectionConf, deckConfig } from './schema.ts'
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

/**
 * Where a topic's notes come from: by default made from its facts (`make`); the build's cache
 * gives back the ones an earlier build made from the same facts (./cached.ts).
 */
export type TopicRecords = (group: TopicGroup, make: () => (NoteRecord | null)[]) => Promise<(NoteRecord | null)[]>

const makeRecords: TopicRecords = async (_group, make) => make()

export async function emitApkg(notes: Notes, options: ApkgOptions, records: TopicRecords = makeRecords): Promise<Uint8Array> {
  seconds(options.createdAt, 'createdAt')
  seconds(options.modelsModified, 'modelsModified')
  // Started now, awaited in writeCollection: the WebAssembly compiles while the rows are made.
  if (!nodeSqlite()) loadSqlJs().catch(() => {})
  const groups = groupFacts(notes)
  const made = await Promise.all(groups.map((group) => records(group, () => topicRecords(notes.deck, group))))
  const rows = assembleRows(groups, made, removedRecords(notes, options.removed ?? []))
  const collection = await writeCollection(collectionValues(notes, rows, options), rows.notes, rows.cards)
  return zipPackage(collection, notes.media ?? [])
}

/** The `col` row: times, collection options, note types, decks, deck options. */
export function collectionValues(notes: Notes, rows: Rows, options: ApkgOptions): ColValues {
  const createdAt = seconds(options.createdAt, 'createdAt')
  const modelsModified = seconds(options.modelsModified, 'modelsModified')
  const parent = parentDeck(notes.deck)
  const decks = [DEFAULT_DECK, parent, ...folderDecks(notes.deck, notes.topics), ...notes.topics.map((topic) => topicDeck(notes.deck, topic))]
  const lastChange = Math.max(rows.lastMod, createdAt, modelsModified)
  return [
    createdAt,
    lastChange * 1000,
    createdAt * 1000,
    JSON.stringify(collectionConf(BASIC_MODEL_ID, rows.lastDue + 1)),
    JSON.stringify(modelsJson(options.templates, modelsModified, parent.id, rows.reversed)),
    JSON.stringify(Object.fromEntries(decks.map((deck) => [deck.id, deckJson(deck, createdAt)]))),
    JSON.stringify({ [DECK_CONFIG_ID]: deckConfig(createdAt) }),
  ]
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
export function zipPackage(collection: Uint8Array, media: readonly MediaFile[]): Uint8Array {
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
