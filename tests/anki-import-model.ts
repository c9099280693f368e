/**
 * A model of what Anki does when it imports an .apkg into a collection, for the tests: the rules
 * of rslib's `import_export/package/apkg/import/{notes,cards}.rs` and `import_export/gather.rs`
 * (ankitects/anki at c32cb2913d; line numbers below are from that commit), restated over our
 * reader's rows with Anki's default import options (update notes and note types "if newer", no
 * note type merging, scheduling not imported). No real Anki runs here, so this is how the tests
 * say "1 note updated in place, 1 added, 0 duplicates, no new note type, reviews kept".
 *
 * - The package's ids are checked first: any note or card id later than now + 1 day and Anki
 *   refuses the whole file (gather.rs L194–208 `check_ids`, `AnkiError::InvalidId`).
 * - Without scheduling (the default: `BoolKey::WithScheduling` is not among the keys that default
 *   to true, config/bool.rs L60–74) every incoming card is reset to a new card (gather.rs L53–60,
 *   `reset_cards` L170–182: `schedule_as_new`): a suspended card arrives as new.
 * - Note types are matched by id (notes.rs L139–154). Same field and template names
 *   (`equal_schema`, L596): updated only if the incoming `mod` is strictly newer (`should_update`
 *   with `IfNewer`, L523–531). Other names: added as a copy with a new id, and the package's notes
 *   of that type are remapped to it (L160–176, `add_notetype_with_remapped_id` L324).
 * - Notes are matched by GUID (L333–353). Known GUID: a different note type (including one
 *   remapped to a copy) is "conflicting" and left alone, whatever its `mod` (L416–421); else
 *   updated only if the incoming `mod` is strictly newer (L422–423), else "duplicate" (L424–426),
 *   whose package id still maps to the existing note (`log_duplicate`, L62–63). New GUID: added,
 *   its id moved on by 999 while taken (`uniquify_note_id`, L445–450).
 * - Cards (cards.rs L100–107): added only for a package note that was added, updated or a
 *   duplicate, and only for a (note, ord) the collection does not have; an existing card — and so
 *   its scheduling and reviews — is never touched ("TODO: could update existing card").
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

export interface ImportOptions {
  /** "Import any learning progress" (default off): keep the package's card queues. */
  withScheduling?: boolean
  /** The importing machine's clock, unix milliseconds (default: now). */
  nowMs?: number
}

export class SimulatedCollection {
  readonly notetypes = new Map<number, NoteType>()
  readonly notes = new Map<string, CollectionNote>()
  readonly cards = new Map<string, CollectionCard>()
  readonly decks = new Set<string>()
  #nextNotetypeId = 1

  import(apkg: ApkgContents, options: ImportOptions = {}): ImportLog {
    const tomorrow = (options.nowMs ?? Date.now()) + 86_400_000
    const ids = rows(apkg.db, 'SELECT id FROM notes UNION ALL SELECT id FROM cards').map((r) => r.id as number)
    const late = ids.find((id) => id > tomorrow)
    if (late !== undefined) throw new Error(`Anki refuses the package: id ${late} is later than tomorrow (InvalidId)`)

    const log: ImportLog = { notetypesAdded: 0, notetypesUpdated: 0, notetypesCopied: 0, new: [], updated: [], duplicate: [], conflicting: [], cardsAdded: 0 }
    const remapped = this.#importNotetypes(apkg, log)
    for (const deck of Object.values(json(apkg.db, 'decks')) as any[]) this.decks.add(deck.name)
    const deckNames = new Map((Object.values(json(apkg.db, 'decks')) as any[]).map((d) => [d.id, d.name]))

    const imported = new Map<number, number>() // package note id → collection note id
    for (const row of rows(apkg.db, 'SELECT * FROM notes ORDER BY id')) {
      const mid = row.mid as number
      const note: CollectionNote = { id: row.id as number, guid: String(row.guid), mid: remapped.get(mid) ?? mid, mod: row.mod as number, flds: String(row.flds), tags: String(row.tags) }
      const existing = this.notes.get(note.guid)
      if (!existing) this.#add(note, imported, log)
      else if (existing.mid !== note.mid) log.conflicting.push(note.guid)
      else if (existing.mod < note.mod) {
        this.notes.set(note.guid, { ...note, id: existing.id })
        imported.set(note.id, existing.id)
        log.updated.push(note.guid)
      } else {
        imported.set(note.id, existing.id)
        log.duplicate.push(note.guid)
      }
    }

    for (const card of rows(apkg.db, 'SELECT * FROM cards ORDER BY id')) {
      const nid = imported.get(card.nid as number)
      if (nid === undefined) continue
      const key = `${nid}:${card.ord}`
      if (this.cards.has(key)) continue
      if (!deckNames.has(card.did as number)) throw new Error(`card of note ${nid} in an unknown deck ${card.did}`)
      const queue = options.withScheduling ? (card.queue as number) : 0
      this.cards.set(key, { nid, ord: card.ord as number, did: card.did as number, reps: 0, queue })
      log.cardsAdded++
    }
    return log
  }

  /** The package's note types into the collection; returns package id → copy id for those copied. */
  #importNotetypes(apkg: ApkgContents, log: ImportLog): Map<number, number> {
    const remapped = new Map<number, number>()
    for (const model of Object.values(json(apkg.db, 'models')) as any[]) {
      const schema = JSON.stringify([model.flds.map((f: any) => f.name), model.tmpls.map((t: any) => t.name)])
      const incoming: NoteType = { id: model.id, name: model.name, mod: model.mod, schema, css: model.css }
      const existing = this.notetypes.get(model.id)
      if (!existing) {
        this.notetypes.set(model.id, incoming)
        log.notetypesAdded++
      } else if (existing.schema === schema) {
        if (existing.mod < incoming.mod) {
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
    return remapped
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
