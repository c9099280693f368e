/**
 * A model of what Anki does when it imports an .apkg into a collection, for the tests: the rules
 * of rslib's `import_export/package/apkg/import/{notes,cards}.rs` (and the legacy 2.1 importer),
 * restated over our reader's rows. No real Anki runs here, so this is how the tests say
 * "1 note updated in place, 1 added, 0 duplicates, no new note type, reviews kept".
 *
 * - Note types are matched by id. Same field and template names: updated only if the incoming
 *   `mod` is strictly newer. Other names: added as a copy, and notes of an existing GUID that
 *   use it conflict (are not updated).
 * - Notes are matched by GUID. Known GUID: updated only if the incoming `mod` is strictly newer
 *   and the note type is the same (else "conflicting"); not newer: skipped as a duplicate.
 * - Cards: added only for a (note, ord) the collection does not have; existing cards (and so
 *   their reviews) are never touched.
 */
import type { ApkgContents } from './anki-read.ts'
import { json, rows } from './anki-read.ts'

interface NoteType {
  id: number
  name: string
  mod: number
  schema: string
  css: string
}
interface CollectionNote {
  id: number
  guid: string
  mid: number
  mod: number
  flds: string
  tags: string
}
interface CollectionCard {
  nid: number
  ord: number
  did: number
  reps: number
  queue: number
}

export interface ImportLog {
  notetypesAdded: number
  notetypesUpdated: number
  /** Copies made because an incoming note type with a known id had other fields or templates. */
  notetypesCopied: number
  new: string[]
  updated: string[]
  duplicate: string[]
  conflicting: string[]
  cardsAdded: number
}

export class SimulatedCollection {
  readonly notetypes = new Map<number, NoteType>()
  readonly notes = new Map<string, CollectionNote>()
  readonly cards = new Map<string, CollectionCard>()
  readonly decks = new Set<string>()
  #nextNotetypeId = 1

  import(apkg: ApkgContents): ImportLog {
    const log: ImportLog = { notetypesAdded: 0, notetypesUpdated: 0, notetypesCopied: 0, new: [], updated: [], duplicate: [], conflicting: [], cardsAdded: 0 }
    const remapped = new Map<number, number>()
    for (const model of Object.values(json(apkg.db, 'models')) as any[]) {
      const schema = JSON.stringify([model.flds.map((f: any) => f.name), model.tmpls.map((t: any) => t.name)])
      const incoming: NoteType = { id: model.id, name: model.name, mod: model.mod, schema, css: model.css }
      const existing = this.notetypes.get(model.id)
      if (!existing) {
        this.notetypes.set(model.id, incoming)
        log.notetypesAdded++
      } else if (existing.schema === schema) {
        if (incoming.mod > existing.mod) {
          this.notetypes.set(model.id, incoming)
          log.notetypesUpdated++
        }
      } else {
        const copyId = this.#nextNotetypeId++
        this.notetypes.set(copyId, { ...incoming, id: copyId, name: `${incoming.name}-copy` })
        remapped.set(model.id, copyId)
        log.notetypesCopied++
      }
    }
    for (const deck of Object.values(json(apkg.db, 'decks')) as any[]) this.decks.add(deck.name)
    const deckNames = new Map((Object.values(json(apkg.db, 'decks')) as any[]).map((d) => [d.id, d.name]))

    const imported = new Map<number, number>() // package note id → collection note id
    for (const row of rows(apkg.db, 'SELECT * FROM notes ORDER BY id')) {
      const note: CollectionNote = { id: row.id as number, guid: String(row.guid), mid: row.mid as number, mod: row.mod as number, flds: String(row.flds), tags: String(row.tags) }
      const existing = this.notes.get(note.guid)
      const copy = remapped.get(note.mid)
      if (copy !== undefined) {
        if (existing) log.conflicting.push(note.guid)
        else this.#add({ ...note, mid: copy }, imported, log)
      } else if (existing) {
        if (existing.mod < note.mod) {
          if (existing.mid === note.mid) {
            this.notes.set(note.guid, { ...note, id: existing.id })
            imported.set(note.id, existing.id)
            log.updated.push(note.guid)
          } else {
            log.conflicting.push(note.guid)
          }
        } else {
          imported.set(note.id, existing.id)
          log.duplicate.push(note.guid)
        }
      } else {
        this.#add(note, imported, log)
      }
    }

    for (const card of rows(apkg.db, 'SELECT * FROM cards ORDER BY id')) {
      const nid = imported.get(card.nid as number)
      if (nid === undefined) continue
      const key = `${nid}:${card.ord}`
      if (this.cards.has(key)) continue
      this.cards.set(key, { nid, ord: card.ord as number, did: card.did as number, reps: 0, queue: card.queue as number })
      if (!deckNames.has(card.did as number)) throw new Error(`card of note ${nid} in an unknown deck ${card.did}`)
      log.cardsAdded++
    }
    return log
  }

  #add(note: CollectionNote, imported: Map<number, number>, log: ImportLog): void {
    const taken = new Set([...this.notes.values()].map((n) => n.id))
    let id = note.id
    while (taken.has(id)) id += 999
    this.notes.set(note.guid, { ...note, id })
    imported.set(note.id, id)
    log.new.push(note.guid)
  }

  /** Answers every card once: what must survive a re-import. */
  reviewAll(): void {
    for (const card of this.cards.values()) card.reps += 1
  }
}
