/**
 * The two engines that write `collection.anki2` (src/emit/anki/collection.ts): sql.js everywhere,
 * Node's own SQLite where it is the same SQLite (Node 24 and later). They must write the same
 * bytes, so a deck is the same file whichever Node built it. CI runs this file on Node 20 (sql.js
 * only) and on Node 24 (both, compared).
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { compile } from '../src/compile.ts'
import { loadSqlJs, nodeSqlite, SQL_JS_SQLITE, withoutSqliteNotice, writeCollection } from '../src/emit/anki/collection.ts'
import { collectionValues } from '../src/emit/anki/package.ts'
import { assembleRows, groupFacts, removedRecords, topicRecords } from '../src/emit/anki/rows.ts'
import { loadAnkiTemplates, type AnkiTemplates } from '../src/emit/anki/templates.ts'
import type { Notes } from '../src/facts/model.ts'
import { clozeFact, qaFact, sampleNotes, T0, termFact } from './anki-fixture.ts'

let templates: AnkiTemplates
beforeAll(async () => {
  templates = await loadAnkiTemplates()
})

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** The collection's bytes from one engine, for these notes. */
async function collection(notes: Notes, engine: 'sql.js' | 'node:sqlite'): Promise<Uint8Array> {
  const groups = groupFacts(notes)
  const removed = notes.facts.slice(0, 3).map((fact) => ({ id: `${fact.id}-gone`, guid: `${fact.guid}x`, topic: fact.topic, text: fact.text, added: T0 - 10, removedAt: T0 + 5 }))
  const rows = assembleRows(groups, groups.map((group) => topicRecords(notes.deck, group)), removedRecords(notes, removed))
  const col = collectionValues(notes, rows, { templates, modelsModified: T0 + 100, createdAt: T0 - 1000 })
  return writeCollection(col, rows.notes, rows.cards, { engine })
}

/** Thousands of notes of every form, with text outside ASCII (multi-byte UTF-8, astral characters). */
function manyNotes(): Notes {
  const notes = sampleNotes()
  notes.facts = Array.from({ length: 2400 }, (_, i) => {
    const topic = i % 2 ? 'cloudformation' : 'codepipeline'
    if (i % 3 === 0) return termFact(`term-${i}`, topic, `Tërm ${i}`, `Definition ${'long → '.repeat(i % 50)}${i} 🚀`, i)
    if (i % 3 === 1) return clozeFact(`cloze-${i}`, topic, `Fact {{c1::${i}}} and {{c2::more ${'日本語 '.repeat(i % 7)}}}`, i)
    return qaFact(`qa-${i}`, topic, `Question ${i}?`, `Answer ${'x'.repeat(i % 300)}`, i)
  })
  return notes
}

describe('the SQLite engines', () => {
  it('sql.js is built from the SQLite version the code names (Node’s own is used only when it is the same)', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    try {
      expect(db.exec('SELECT sqlite_version()')[0]?.values[0]?.[0]).toBe(SQL_JS_SQLITE)
    } finally {
      db.close()
    }
  })

  it('uses Node’s own SQLite only from Node 24 on', () => {
    if (Number(process.versions.node.split('.')[0]) < 24) expect(nodeSqlite()).toBeUndefined()
  })

  it('loads Node’s SQLite without its notice that the module is experimental, and lets every other warning through', async () => {
    const seen: string[] = []
    const listen = (warning: Error) => seen.push(warning.message)
    process.on('warning', listen)
    try {
      withoutSqliteNotice(() => {
        process.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning')
        process.emitWarning('something else', 'Warning')
      })
      process.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning')
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', listen)
    }
    expect(seen).toEqual(['something else', 'SQLite is an experimental feature and might change at any time'])
  })

  it.runIf(nodeSqlite())('Node’s own SQLite writes the bytes sql.js writes: the shipped notes, thousands of notes', async () => {
    const shipped = await compile({ notes: join(import.meta.dirname, '..', 'notes'), now: T0 })
    for (const notes of [shipped.notes, manyNotes()]) {
      const bySqlJs = await collection(notes, 'sql.js')
      const byNode = await collection(notes, 'node:sqlite')
      expect(byNode.byteLength).toBe(bySqlJs.byteLength)
      expect(sha256(byNode)).toBe(sha256(bySqlJs))
    }
  })

  it.runIf(nodeSqlite())('a database Node’s SQLite wrote is whole: SQLite’s integrity check passes and the rows read back', async () => {
    const notes = manyNotes()
    const SQL = await loadSqlJs()
    const db = new SQL.Database(await collection(notes, 'node:sqlite'))
    try {
      expect(db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']])
      expect(db.exec('SELECT count(*) FROM notes')[0]?.values[0]?.[0]).toBe(notes.facts.length + 3)
    } finally {
      db.close()
    }
  })
})
