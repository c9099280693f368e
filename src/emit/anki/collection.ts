/**
 * `collection.anki2`: the rows into a fresh SQLite database (sql.js: SQLite compiled to
 * WebAssembly, so the bytes are the same on every machine and no native build is needed), then
 * its file's bytes. Why this engine, by measurement: the README's "The deck" section.
 */
import type { SqlJsStatic } from 'sql.js'
import type { CardValues, NoteValues } from './rows.ts'
import { INSERT_CARD, INSERT_COL, INSERT_NOTE, SCHEMA_SQL } from './schema.ts'

/** The `col` row's values, in INSERT_COL's order: crt, mod, scm, conf, models, decks, dconf. */
export type ColValues = [number, number, number, string, string, string, string]

let sqlJs: Promise<SqlJsStatic> | undefined

/** sql.js, loaded once: imported here, not at the top, so only a build that makes the deck pays for it. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= import('sql.js').then(({ default: initSqlJs }) => initSqlJs()).catch((error: unknown) => {
    sqlJs = undefined // let the next call try again
    throw error
  })
  return sqlJs
}

/**
 * The database's bytes. `presize`: the bytes its file starts with (default: about its final
 * size, from the rows). sql.js keeps the file in Emscripten's in-memory file system, which grows a
 * file by copying it into a new buffer 12.5 % larger: ~20 copies and as many fresh buffers for a
 * 7 MB collection, a third of the inserts' time. Opened as an empty database padded with zeros,
 * the file never grows, and SQLite cuts it to its pages at the commit: the same bytes
 * (tests/anki.test.ts writes both ways).
 */
export async function writeCollection(col: ColValues, notes: readonly NoteValues[], cards: readonly CardValues[], presize = estimateSize(col, notes, cards)): Promise<Uint8Array> {
  const SQL = await loadSqlJs()
  let start: Uint8Array | undefined
  if (presize > 0) {
    const empty = new SQL.Database()
    const header = empty.export()
    empty.close()
    start = new Uint8Array(Math.max(presize, header.byteLength))
    start.set(header)
  }
  const db = new SQL.Database(start)
  try {
    // No rollback journal: the database is made whole in memory or not at all, and the journal's
    // page copies were a third of the inserts' time. The file's bytes are the same without it.
    db.run('PRAGMA journal_mode = OFF')
    db.run(SCHEMA_SQL)
    db.run(INSERT_COL, col)
    // One transaction for all rows: in autocommit every insert rewrites pages in sql.js's
    // in-memory file system (2.5 s → 1 s for 10 000 notes). Positional values: binding by name
    // costs a parameter lookup per value across the wasm boundary.
    db.run('BEGIN')
    const insertNote = db.prepare(INSERT_NOTE)
    const insertCard = db.prepare(INSERT_CARD)
    for (const note of notes) insertNote.run(note)
    for (const card of cards) insertCard.run(card)
    insertNote.free()
    insertCard.free()
    db.run('COMMIT')
    return db.export()
  } finally {
    db.close()
  }
}

/** About the collection's size in bytes: its text (UTF-16 units, about its UTF-8 bytes) and rows, with room for the pages' slack and the indexes. */
function estimateSize(col: ColValues, notes: readonly NoteValues[], cards: readonly CardValues[]): number {
  let text = 0
  for (const value of col) if (typeof value === 'string') text += value.length
  for (const note of notes) text += note[1].length + note[4].length + note[5].length + note[6].length
  return Math.ceil(text * 1.25) + notes.length * 80 + cards.length * 80 + 64 * 1024
}
