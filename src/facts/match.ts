/**
 * Which lockfile entry each fact is: a one-to-one assignment, best match first across the whole
 * deck, in three rounds —
 *
 * 1. **pins**: a pinned fact is the entry of its pin;
 * 2. **identical text** anywhere (a renamed or moved file, a fact moved to another file or
 *    section, swapped sections), the same section preferred, then the same topic, then the same id;
 * 3. **similar text** (Dice coefficient of character trigrams) among entries still in the notes
 *    at the last build, at least 0.4 in the same section, 0.55 elsewhere in the topic, 0.7 in
 *    another topic; a pair's score is its similarity plus 0.1 for the same section (0.05 for the
 *    same topic), highest first.
 *
 * A fact never takes the entry of another note type (Anki would refuse the update): it is a new
 * note. Facts left over are new; entries left over are removed.
 */
import { dice, trigrams } from './identity.ts'
import type { CardForm } from './model.ts'
import type { LockEntry } from './lockfile.ts'

/** What matching reads of a fact (resolve.ts's Candidate). */
interface Fact {
  id: string
  pinned: boolean
  topic: string
  section: string
  text: string
  form: CardForm
}

/** Minimum similarity by place: same section, same topic, anywhere. */
export const RENAME_THRESHOLDS = { section: 0.4, topic: 0.55, deck: 0.7 } as const
const PLACE_BONUS = { section: 0.1, topic: 0.05, deck: 0 } as const
/** Above this many fact × entry pairs, similar text is looked for within each topic only. */
const MAX_PAIRS = 4_000_000

export type NoteType = 'cloze' | 'basic' | 'reversed' | 'none'

/** The Anki note type a card form makes (`none`: no note at all). */
export function noteType(form: CardForm): NoteType {
  return form === 'cloze' || form === 'reversed' || form === 'none' ? form : 'basic'
}

/**
 * Whether a fact may keep an entry's GUID: the same note type, or an entry that never had a
 * note in Anki (form `none`; or no form, from an old lockfile).
 */
export function sameNote(entry: LockEntry, form: CardForm): boolean {
  if (entry.form === undefined) return true
  const before = noteType(entry.form)
  return before === 'none' || before === noteType(form)
}

type Place = keyof typeof RENAME_THRESHOLDS

function placeOf(fact: Fact, entry: LockEntry): Place {
  if (entry.topic !== fact.topic) return 'deck'
  return entry.section === fact.section ? 'section' : 'topic'
}

interface Pair {
  fact: number
  key: string
  score: number
  /** The entry's id is the fact's id: the tie-break between otherwise equal matches. */
  label: boolean
}

/** fact id → the key of the lockfile entry it is. */
export function matchFacts(facts: readonly Fact[], entries: ReadonlyMap<string, LockEntry>): Map<string, string> {
  const matches = new Map<string, string>()
  const claimed = new Set<string>()
  const open = new Set<number>()
  facts.forEach((fact, index) => {
    const entry = fact.pinned ? entries.get(fact.id) : undefined
    if (!entry) return void open.add(index)
    // The pin's entry is this fact's, even when its note type changed (then the old note is
    // removed and the fact looks for an entry of its new type, or is new).
    claimed.add(fact.id)
    if (sameNote(entry, fact.form)) matches.set(fact.id, fact.id)
    else open.add(index)
  })

  const assign = (pairs: Pair[]): void => {
    pairs.sort((a, b) => b.score - a.score || Number(b.label) - Number(a.label) || a.fact - b.fact || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    for (const pair of pairs) {
      if (!open.has(pair.fact) || claimed.has(pair.key)) continue
      open.delete(pair.fact)
      claimed.add(pair.key)
      matches.set((facts[pair.fact] as Fact).id, pair.key)
    }
  }

  // Identical text: an index by text keeps this linear in the deck's size.
  const byText = new Map<string, string[]>()
  for (const [key, entry] of entries) if (!claimed.has(key)) byText.set(entry.text, [...(byText.get(entry.text) ?? []), key])
  const identical: Pair[] = []
  for (const index of open) {
    const fact = facts[index] as Fact
    for (const key of byText.get(fact.text) ?? []) {
      const entry = entries.get(key) as LockEntry
      if (!sameNote(entry, fact.form)) continue
      identical.push({ fact: index, key, score: PLACE_BONUS[placeOf(fact, entry)], label: key === fact.id })
    }
  }
  assign(identical)

  // Similar text, among entries that were in the notes at the last build.
  const live = [...entries].filter(([key, entry]) => !claimed.has(key) && entry.removed === undefined)
  if (open.size === 0 || live.length === 0) return matches
  const sameTopicOnly = open.size * live.length > MAX_PAIRS
  const grams = new Map(live.map(([key, entry]) => [key, trigrams(entry.text)]))
  const similar: Pair[] = []
  for (const index of open) {
    const fact = facts[index] as Fact
    const mine = trigrams(fact.text)
    for (const [key, entry] of live) {
      if (sameTopicOnly && entry.topic !== fact.topic) continue
      if (!sameNote(entry, fact.form)) continue
      const place = placeOf(fact, entry)
      const score = dice(mine, grams.get(key) as Map<string, number>)
      if (score >= RENAME_THRESHOLDS[place]) similar.push({ fact: index, key, score: score + PLACE_BONUS[place], label: key === fact.id })
    }
  }
  assign(similar)
  return matches
}
