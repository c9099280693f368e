/**
 * Matching this build's facts against the lockfile: who keeps which GUID, what changed, what was
 * added, what vanished. Pure: the lockfile and `now` come in, the next lockfile goes out.
 *
 * A fact's id is a label; its GUID comes from a one-to-one assignment of facts to lockfile
 * entries, best match first across the whole deck (see `matchFacts`). A derived id's `-2` suffix
 * therefore never carries a GUID from one fact to another.
 */
import { guidFor } from './identity.ts'
import type { CardForm, RemovedFact } from './model.ts'
import type { Lockfile } from './lockfile.ts'
import { matchFacts } from './match.ts'

export { RENAME_THRESHOLDS } from './match.ts'

/** What resolution needs to know about a fact. */
export interface Candidate {
  id: string
  /** The id is the fact's pin (`^id`), not derived from its words. */
  pinned: boolean
  topic: string
  section: string
  text: string
  hash: string
  form: CardForm
}

export interface Resolved {
  guid: string
  modified: number
  /** Unix seconds when the fact was first seen. */
  added: number
}

export interface Changes {
  /** Ids of facts new in this build (a fact whose note type changed is one: it is a new note). */
  added: string[]
  /** Ids of facts whose content changed (a reworded or moved fact that kept its GUID is one). */
  changed: string[]
  /** Ids (as the lockfile had them) of facts gone from the notes or whose note type changed. */
  removed: string[]
  /** Facts that kept the GUID of a lockfile entry with another id: new id → the id it had. */
  renamed: Record<string, string>
}

export interface ResolveOptions {
  /** Match nothing: every fact gets a new GUID (the namespace was changed on purpose). */
  rekey?: boolean
}

export function resolveIdentities(
  facts: readonly Candidate[],
  previous: Lockfile,
  now: number,
  options: ResolveOptions = {},
): { resolved: Map<string, Resolved>; lock: Lockfile; changes: Changes; removed: RemovedFact[] } {
  const next: Lockfile = { ...previous, assets: Object.assign(Object.create(null) as Lockfile['assets'], previous.assets), facts: new Map() }
  const resolved = new Map<string, Resolved>()
  const changes: Changes = { added: [], changed: [], removed: [], renamed: {} }
  const matches = options.rekey ? new Map<string, string>() : matchFacts(facts, previous.facts)
  const usedGuids = new Set([...previous.facts.values()].map((e) => e.guid))

  for (const fact of facts) {
    const key = matches.get(fact.id)
    const entry = key === undefined ? undefined : previous.facts.get(key)
    if (key === undefined || !entry) {
      let guid = guidFor(previous.namespace, fact.id)
      for (let n = 2; usedGuids.has(guid); n++) guid = guidFor(previous.namespace, `${fact.id}#${n}`)
      usedGuids.add(guid)
      next.facts.set(fact.id, { guid, hash: fact.hash, modified: now, added: now, topic: fact.topic, section: fact.section, text: fact.text, form: fact.form })
      resolved.set(fact.id, { guid, modified: now, added: now })
      changes.added.push(fact.id)
      continue
    }
    // The topic id is in the note's tags (and not in the hash): a renamed file must reach Anki.
    const same = entry.hash === fact.hash && entry.topic === fact.topic && entry.removed === undefined
    const added = datedNoLaterThan(entry.added, now)
    // Strictly newer than anything Anki may hold for this GUID, whatever the clock says: Anki
    // only updates a note whose incoming `mod` is greater.
    const modified = same ? entry.modified : Math.max(now, entry.modified + 1, (entry.removed ?? 0) + 1)
    next.facts.set(fact.id, { guid: entry.guid, hash: fact.hash, modified, added: entry.added, topic: fact.topic, section: fact.section, text: fact.text, form: fact.form })
    resolved.set(fact.id, { guid: entry.guid, modified, added })
    if (entry.removed !== undefined) changes.added.push(fact.id)
    else if (!same) changes.changed.push(fact.id)
    if (key !== fact.id) changes.renamed[fact.id] = key
  }

  const taken = new Set(matches.values())
  const removed: RemovedFact[] = []
  for (const [id, entry] of previous.facts) {
    if (taken.has(id)) continue
    const removedAt = entry.removed ?? Math.max(now, entry.modified + 1)
    if (entry.removed === undefined) changes.removed.push(id)
    // Its id may now label another fact (a shifted suffix, a pin whose note type changed).
    let key = id
    for (let n = 2; next.facts.has(key); n++) key = `${id}#${n}`
    const added = datedNoLaterThan(entry.added, now)
    next.facts.set(key, { ...entry, removed: removedAt })
    const gone: RemovedFact = { id, guid: entry.guid, topic: entry.topic, text: entry.text, added, removedAt }
    if (entry.form) gone.form = entry.form
    removed.push(gone)
  }
  return { resolved, lock: next, changes, removed }
}

/**
 * The first-seen time a build dates its notes and cards by: no later than the build's clock, since
 * a teammate's clock ahead must not date a note in the future (Anki refuses a package with an id
 * later than tomorrow). Only the build's view: the lockfile keeps the time as first seen, so a
 * build with an earlier `SOURCE_DATE_EPOCH` leaves it (and the lockfile) unchanged.
 */
function datedNoLaterThan(firstSeen: number, now: number): number {
  return Math.min(firstSeen, now)
}
