/**
 * Anki's "Check Database", restated on the package the shipped notes build into: every repair
 * that rslib/src/dbcheck.rs (and the fix_*.sql it runs from rslib/src/storage/card/) would make
 * must find nothing to repair. No real Anki runs here; these are its own rules and queries.
 */
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/index.ts'
import { json, openApkg, rows, type ApkgContents } from './anki-read.ts'
import { copyFixture } from './helpers/fixture.ts'
import { readFile } from 'node:fs/promises'

const NOTES = path.resolve(import.meta.dirname, '..', 'notes')
let apkg: ApkgContents

beforeAll(async () => {
  const { notes, out } = await copyFixture(path.relative(path.resolve(import.meta.dirname, 'fixtures'), NOTES))
  const result = await build({ notes, out, only: ['anki'] })
  expect(result.ok).toBe(true)
  apkg = await openApkg(await readFile(path.join(out, 'aws-devops-pro-dop-c02.apkg')))
})

const count = (sql: string): number => Number(rows(apkg.db, sql)[0]?.['n'] ?? -1)

describe('Anki Check Database on the shipped deck finds nothing', () => {
  it('passes SQLite quick_check', () => {
    expect(rows(apkg.db, 'PRAGMA quick_check')).toEqual([{ quick_check: 'ok' }])
  })

  it('card properties: new positions under 1 000 000, whole due/ivl/odue/mod, no stray original deck', () => {
    // fix_due_new.sql, fix_due_other.sql, fix_ivl.sql, fix_odue.sql, fix_mod.sql, filtered cards
    expect(count('SELECT count(*) AS n FROM cards WHERE type = 0 AND queue != 4 AND due >= 1000000')).toBe(0)
    expect(count('SELECT count(*) AS n FROM cards WHERE due != min(max(round(due), -2147483648), 2147483647)')).toBe(0)
    expect(count('SELECT count(*) AS n FROM cards WHERE ivl != min(max(round(ivl), 0), 2147483647)')).toBe(0)
    expect(count('SELECT count(*) AS n FROM cards WHERE odue != min(max(round(odue), -2147483648), 2147483647)')).toBe(0)
    expect(count('SELECT count(*) AS n FROM cards WHERE mod != cast(mod AS integer)')).toBe(0)
    expect(count('SELECT count(*) AS n FROM cards WHERE odid != 0 OR odue != 0')).toBe(0)
  })

  it('no card without its note, no card in a missing deck, no deck without a name', () => {
    expect(count('SELECT count(*) AS n FROM cards WHERE nid NOT IN (SELECT id FROM notes)')).toBe(0)
    const decks = json(apkg.db, 'decks') as Record<string, { id: number; name: string }>
    const ids = new Set(Object.values(decks).map((d) => d.id))
    for (const card of rows(apkg.db, 'SELECT DISTINCT did FROM cards')) expect(ids.has(card['did'] as number)).toBe(true)
    for (const deck of Object.values(decks)) {
      expect(deck.name.trim()).not.toBe('')
      // Every parent of a nested deck exists too (check_missing_deck_names).
      const parts = deck.name.split('::')
      for (let i = 1; i < parts.length; i++) expect(Object.values(decks).some((d) => d.name === parts.slice(0, i).join('::'))).toBe(true)
    }
  })

  it('each note has its note type, exactly its field count, cards with valid and unique ordinals', () => {
    const models = json(apkg.db, 'models') as Record<string, { id: number; type: number; flds: unknown[]; tmpls: unknown[] }>
    const notes = rows(apkg.db, 'SELECT id, mid, flds, mod FROM notes')
    const now = Math.floor(Date.now() / 1000)
    expect(notes.length).toBeGreaterThan(200)
    for (const note of notes) {
      const model = models[String(note['mid'])]
      expect(model, `note ${note['id']} has no note type`).toBeDefined()
      if (!model) continue
      expect(String(note['flds']).split('\x1f')).toHaveLength(model.flds.length)
      expect(note['mod'] as number).toBeLessThanOrEqual(now)
      const ords = rows(apkg.db, `SELECT ord FROM cards WHERE nid = ${note['id']}`).map((c) => c['ord'] as number)
      expect(new Set(ords).size).toBe(ords.length)
      if (model.type === 0) for (const ord of ords) expect(ord).toBeLessThan(model.tmpls.length)
      expect(ords.length).toBeGreaterThan(0)
    }
  })

  it('ids are not in the future (Anki rewrites those)', () => {
    const limit = Date.now() + 86_400_000
    expect(count(`SELECT count(*) AS n FROM notes WHERE id > ${limit}`)).toBe(0)
    expect(count(`SELECT count(*) AS n FROM cards WHERE id > ${limit}`)).toBe(0)
  })
})
