/**
 * Matching this build's facts against the lockfile: who keeps which GUID, what changed, what was
 * added, what vanished. Pure: the lockfile and `now` come in, the next lockfile goes out.
 */
import { guidFor, similarity } from './identity.ts'
import type { CardForm } from './model.ts'
import type { LockEntry, Lockfile } from './lockfile.ts'

/** What resolution needs to know about a fact. */
export interface Candidate {
  id: string
  topic: string
  section: string
  text: string
  hash: string
  form: CardForm
}

export interface Resolved {
  guid: string
  modified: number
}

export interface Changes {
  /** Ids of facts new in this build. */
  added: string[]
  /** Ids of facts whose content changed (a reworded fact that kept its GUID is one). */
  changed: string[]
  /** Ids of facts gone from the notes since the last build. */
  removed: string[]
  /** Reworded facts whose derived id changed: new id → the id they had. */
  renamed: Record<string, string>
}

/** A fact that is gone from the notes, as the lockfile remembers it (to tag it in Anki). */
export interface RemovedFact {
  id: string
  guid: string
  topic: string
  text: string
  /** The note type it had in Anki (a GUID only updates a note of the same type). */
  form?: CardForm
  removedAt: number
}

/** Below this similarity a vanished fact and a new one are taken as different facts. */
export const RENAME_THRESHOLD = 0.4

export function resolveIdentities(
  facts: readonly Candidate[],
  previous: Lockfile,
  now: number,
): { resolved: Map<string, Resolved>; lock: Lockfile; changes: Changes; removed: RemovedFact[] } {
  const next: Lockfile = { ...previous, assets: { ...previous.assets }, facts: {} }
  const resolved = new Map<string, Resolved>()
  const changes: Changes = { added: [], changed: [], removed: [], renamed: {} }
  const present = new Set(facts.map((f) => f.id))
  const usedGuids = new Set(Object.values(previous.facts).map((e) => e.guid))

  const keep = (fact: Candidate, entry: LockEntry, newId: string): void => {
    const same = entry.hash === fact.hash && entry.removed === undefined
    const modified = same ? entry.modified : Math.max(now, entry.modified)
    next.facts[newId] = { guid: entry.guid, hash: fact.hash, modified, topic: fact.topic, section: fact.section, text: fact.text, form: fact.form }
    resolved.set(newId, { guid: entry.guid, modified })
    if (entry.removed !== undefined) changes.added.push(newId)
    else if (!same) changes.changed.push(newId)
  }

  const unmatched: Candidate[] = []
  for (const fact of facts) {
    const entry = previous.facts[fact.id]
    if (entry) keep(fact, entry, fact.id)
    else unmatched.push(fact)
  }

  // Vanished facts that were live: a reworded fact may be one of them, in the same section.
  const vanished = Object.entries(previous.facts).filter(([id, e]) => !present.has(id) && e.removed === undefined)
  const pairs: { fact: Candidate; id: string; score: number }[] = []
  for (const fact of unmatched) {
    for (const [id, entry] of vanished) {
      if (entry.topic !== fact.topic || entry.section !== fact.section) continue
      // A GUID only updates a note of the same note type: a fact that turned from Basic into
      // Cloze (or back) must be a new note, else Anki logs a conflict and never updates it.
      if (entry.form !== undefined && noteType(entry.form) !== noteType(fact.form)) continue
      const score = similarity(fact.text, entry.text)
      if (score >= RENAME_THRESHOLD) pairs.push({ fact, id, score })
    }
  }
  pairs.sort((a, b) => b.score - a.score || (a.fact.id < b.fact.id ? -1 : 1) || (a.id < b.id ? -1 : 1))
  const takenFacts = new Set<string>()
  const takenIds = new Set<string>()
  for (const { fact, id } of pairs) {
    if (takenFacts.has(fact.id) || takenIds.has(id)) continue
    takenFacts.add(fact.id)
    takenIds.add(id)
    const entry = previous.facts[id] as LockEntry
    keep(fact, entry, fact.id)
    if (!changes.changed.includes(fact.id)) changes.changed.push(fact.id)
    changes.renamed[fact.id] = id
  }

  for (const fact of unmatched) {
    if (takenFacts.has(fact.id)) continue
    let guid = guidFor(previous.namespace, fact.id)
    for (let n = 2; usedGuids.has(guid); n++) guid = guidFor(previous.namespace, `${fact.id}#${n}`)
    usedGuids.add(guid)
    next.facts[fact.id] = { guid, hash: fact.hash, modified: now, topic: fact.topic, section: fact.section, text: fact.text, form: fact.form }
    resolved.set(fact.id, { guid, modified: now })
    changes.added.push(fact.id)
  }

  const removed: RemovedFact[] = []
  for (const [id, entry] of Object.entries(previous.facts)) {
    if (present.has(id) || takenIds.has(id)) continue
    const removedAt = entry.removed ?? now
    if (entry.removed === undefined) changes.removed.push(id)
    next.facts[id] = { ...entry, removed: removedAt }
    const gone: RemovedFact = { id, guid: entry.guid, topic: entry.topic, text: entry.text, removedAt }
    if (entry.form) gone.form = entry.form
    removed.push(gone)
  }
  return { resolved, lock: next, changes, removed }
}

/** The Anki note type a card form makes (`none` makes no note). */
function noteType(form: CardForm): 'cloze' | 'basic' | 'none' {
  return form === 'cloze' ? 'cloze' : form === 'none' ? 'none' : 'basic'
}
