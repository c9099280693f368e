/**
 * `collection.anki2`: the rows into a fresh SQLite database, then its file's bytes. sql.js (SQLite
 * compiled to WebAssembly) writes them on every machine with no native build; Node's own SQLite,
 * when it is the same SQLite version, writes the same bytes faster (Node 24 and later). Why these
 * engines, by measurement: the README's "The deck" section.
 */
import v8 from 'node:v8'
import type { SqlJsStatic } from 'sql.js'
import type { CardValues, NoteValues } from './rows.ts'
import { INSERT_CARD, INSERT_COL, INSERT_NOTE, SCHEMA_SQL } from './schema.ts'

/** The `col` row's values, in INSERT_COL's order: crt, mod, scm, conf, models, decks, dconf. */
export type ColValues = [number, number, number, string, string, string, string]

let sqlJs: Promise<SqlJsStatic> | undefined

const NODE_MAJOR = Number(process.versions.node.split('.')[0])

/** sql.js, loaded once: imported here, not at the top, so only a build that makes the deck pays for it. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= import('sql.js').then(({ default: initSqlJs }) => baselineCompiled(initSqlJs)).catch((error: unknown) => {
    sqlJs = undefined // let the next call try again
    throw error
  })
  return sqlJs
}

/**
 * sql.js's WebAssembly compiled by V8's baseline compiler (Liftoff) only, the flag set for that
 * compile and cleared after it. By default V8 also recompiles its hot functions with TurboFan in
 * the background, and SQLite's bytecode engine is one huge function: in a fresh process that
 * cost more CPU than it saved (10 000 facts' rows into the database: 0.95–1.13 → 0.44–0.51 s CPU;
 * 50 000: 2.4 → 1.4–1.6 s; the same bytes). V8 lists the flag in Node 20 to 24; elsewhere, or when
 * Node was started with it, nothing is changed.
 */
async function baselineCompiled<T>(compile: () => Promise<T>): Promise<T> {
  const chosen = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((arg) => arg.includes('liftoff'))
  if (NODE_MAJOR < 20 || NODE_MAJOR > 24 || chosen) return compile()
  v8.setFlagsFromString('--liftoff-only')
  try {
    return await compile()
  } finally {
    v8.setFlagsFromString('--no-liftoff-only')
  }
}

/** The engines that write the database: the same bytes from each (tests/anki-engines.test.ts). */
export type SqliteEngine = 'sql.js' | 'node:sqlite'

export interface CollectionOptions {
  /** Default: Node's own SQLite when it is the one sql.js is built from (`nodeSqlite`), else sql.js. */
  engine?: SqliteEngine
  /** sql.js only: the bytes its file starts with (default: about its final size, from the rows). */
  presize?: number
}

/** The database's bytes. */
export async function writeCollection(col: ColValues, notes: readonly NoteValues[], cards: readonly CardValues[], options: CollectionOptions = {}): Promise<Uint8Array> {
  const native = options.engine === 'sql.js' ? undefined : nodeSqlite()
  if (options.engine === 'node:sqlite' && !native) throw new Error(`internal: node:sqlite with SQLite ${SQL_JS_SQLITE} and serialize() is not available in Node ${process.versions.node}`)
  return native ? writeWithNode(native, col, notes, cards) : writeWithSqlJs(col, notes, cards, options.presize ?? estimateSize(col, notes, cards))
}

/**
 * The SQLite sql.js is built from (tests/anki-engines.test.ts asks sql.js): Node's own is used
 * only when it is the same library, so the pages are the same bytes.
 */
export const SQL_JS_SQLITE = '3.54.1'

/** What cheatdeck uses of `node:sqlite` (Node 22.5 and later; `serialize` since 2026). */
interface NodeSqlite {
  DatabaseSync: new (path: string) => {
    exec(sql: string): void
    prepare(sql: string): { run(...values: (string | number)[]): unknown; get(): Record<string, unknown> | undefined }
    serialize(): Uint8Array
    close(): void
  }
}

let found: { module: NodeSqlite | undefined } | undefined

/**
 * Node's own SQLite, when it can write the bytes sql.js writes: Node 24 or later (on 22 and 23 the
 * module is still flagged experimental), with `serialize()` (the database never touches the disk),
 * and the same SQLite version as sql.js. 2–3.5× less CPU than sql.js on the same rows (they need
 * not cross into WebAssembly), and its memory is freed when the database closes (sql.js's never
 * shrinks).
 */
export function nodeSqlite(): NodeSqlite | undefined {
  found ??= { module: findNodeSqlite() }
  return found.module
}

function findNodeSqlite(): NodeSqlite | undefined {
  if (NODE_MAJOR < 24) return undefined
  const module = loadQuietly()
  if (typeof module?.DatabaseSync?.prototype?.serialize !== 'function') return undefined
  const db = new module.DatabaseSync(':memory:')
  try {
    return db.prepare('SELECT sqlite_version() AS version').get()?.['version'] === SQL_JS_SQLITE ? module : undefined
  } finally {
    db.close()
  }
}

/**
 * `node:sqlite`, without the notice some Node 24 releases print as it loads ("SQLite is an
 * experimental feature"): it is for whoever chose the module, and cheatdeck falls back to sql.js.
 */
function loadQuietly(): NodeSqlite | undefined {
  return withoutSqliteNotice(() => process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined)
}

/** Runs `load` with Node's notice that SQLite is experimental dropped; every other warning goes through. */
export function withoutSqliteNotice<T>(load: () => T): T {
  const emitWarning = process.emitWarning
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).startsWith('SQLite is an experimental feature')) return
    ;(emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    return load()
  } finally {
    process.emitWarning = emitWarning
  }
}

/** An engine as `fill` uses it: sql.js's database is one; Node's is wrapped (it binds values spread). */
interface Statements {
  exec(sql: string): unknown
  prepare(sql: string): { run(values: (string | number)[]): unknown; free(): unknown }
}

/**
 * The database's contents, the same statements in the same order on either engine (the same
 * pages depend on it).
 */
function fill(db: Statements, col: ColValues, notes: readonly NoteValues[], cards: readonly CardValues[]): void {
  // No rollback journal: the database is made whole in memory or not at all, and the journal's
  // page copies were a third of sql.js's inserts' time. The file's bytes are the same without it.
  db.exec('PRAGMA journal_mode = OFF')
  db.exec(SCHEMA_SQL)
  const insertCol = db.prepare(INSERT_COL)
  insertCol.run(col)
  insertCol.free()
  // One transaction for all rows: in autocommit every insert rewrites pages in sql.js's
  // in-memory file system (2.5 s → 1 s for 10 000 notes). Positional values: binding by name
  // costs a parameter lookup per value across the wasm boundary.
  db.exec('BEGIN')
  const insertNote = db.prepare(INSERT_NOTE)
  const insertCard = db.prepare(INSERT_CARD)
  for (const note of notes) insertNote.run(note)
  for (const card of cards) insertCard.run(card)
  insertNote.free()
  insertCard.free()
  db.exec('COMMIT')
}

function writeWithNode(sqlite: NodeSqlite, col: ColValues, notes: readonly NoteValues[], cards: readonly CardValues[]): Uint8Array {
  const db = new sqlite.DatabaseSync(':memory:')
  try {
    const prepare = (sql: string) => {
      const statement = db.prepare(sql)
      return { run: (values: (string | number)[]) => statement.run(...values), free: () => undefined }
    }
    fill({ exec: (sql) => db.exec(sql), prepare }, col, notes, cards)
    return asSqlJsWrites(db.serialize())
  } finally {
    db.close()
  }
}

/**
 * The header fields that count writes rather than describe content (sqlite.org/fileformat.html,
 * 1.3: the file change counter at 24, the schema cookie at 40, the version-valid-for number at 92,
 * the version number at 96), set as sql.js leaves them: a database serialized from memory was
 * never written to a file, so it has zeros there and counts each schema change. Only readers
 * that share the file with a writer look at them; every page after the header is the same.
 */
function asSqlJsWrites(bytes: Uint8Array): Uint8Array {
  const header = new DataView(bytes.buffer, bytes.byteOffset, 100)
  const [major = 0, minor = 0, patch = 0] = SQL_JS_SQLITE.split('.').map(Number)
  header.setUint32(24, 1)
  header.setUint32(40, 1)
  header.setUint32(92, 1)
  header.setUint32(96, major * 1_000_000 + minor * 1000 + patch)
  return bytes
}

/**
 * sql.js. `presize`: sql.js keeps the file in Emscripten's in-memory file system, which grows a
 * file by copying it into a new buffer 12.5 % larger: ~20 copies and as many fresh buffers for a
 * 7 MB collection, a third of the inserts' time. Opened as an empty database padded with zeros,
 * the file never grows, and SQLite cuts it to its pages at the commit: the same bytes
 * (tests/anki.test.ts writes both ways).
 */
async function writeWithSqlJs(col: ColValues, notes: readonly NoteValues[], cards: readonly CardValues[], presize: number): Promise<Uint8Array> {
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
    fill(db, col, notes, cards)
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
