/** Our own reader for the tests: unzip an .apkg and query its `collection.anki2` with sql.js. */
import { unzipSync, strFromU8 } from 'fflate'
import initSqlJs, { type Database } from 'sql.js'

export interface ApkgContents {
  members: string[]
  media: unknown
  collection: Uint8Array
  db: Database
}

export async function openApkg(bytes: Uint8Array): Promise<ApkgContents> {
  const files = unzipSync(bytes)
  const collection = files['collection.anki2']
  if (!collection) throw new Error('no collection.anki2 in the package')
  const SQL = await initSqlJs()
  const media = files.media ? JSON.parse(strFromU8(files.media)) : undefined
  return { members: Object.keys(files), media, collection, db: new SQL.Database(collection) }
}

export type Row = Record<string, number | string | Uint8Array | null>

export function rows(db: Database, sql: string): Row[] {
  const [result] = db.exec(sql)
  if (!result) return []
  return result.values.map((values) => Object.fromEntries(result.columns.map((column, i) => [column, values[i] ?? null])))
}

export function json<T = Record<string, any>>(db: Database, column: 'models' | 'decks' | 'dconf' | 'conf'): T {
  const [row] = rows(db, `SELECT ${column} FROM col`)
  return JSON.parse(String(row?.[column]))
}
