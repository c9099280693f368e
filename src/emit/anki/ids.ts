import { createHash, hash } from 'node:crypto'

/**
 * Stable integer ids for notes, cards and decks.
 *
 * Anki ids look like millisecond timestamps, and Anki's "Check Database" rewrites any id later
 * than now + 1 day. genanki takes the clock; we cannot (emitters are pure and rebuilds must be
 * byte-identical), so ids come from what the notes and the lockfile say: a note's and its cards'
 * from the time the fact was first seen (IdAllocator), a deck's from a hash of its name mapped
 * into 2010-01-01 + [0, 2^38) ms (a deck id is shown nowhere as a date).
 *
 * On import Anki matches notes by GUID and decks by name, and renumbers an id that is already
 * taken in the user's collection, so stable ids are about reproducible bytes and true dates, not
 * matching.
 */
export const ID_BASE = 1_262_304_000_000
export const ID_SPAN = 2 ** 38

export function hashedId(kind: string, key: string): number {
  const hex = createHash('sha256').update(`cheatdeck:${kind}:${key}`).digest('hex').slice(0, 12)
  return ID_BASE + (Number.parseInt(hex, 16) % ID_SPAN)
}

/**
 * Note and card ids in the second the fact was first seen (its lockfile `added` time): Anki shows
 * a note's id as its *Added* date and `added:N` searches by it, so the date is true, and ids stay
 * deterministic (the same lockfile gives the same ids) and never later than that second. Within
 * the second the millisecond is a hash of the key; on a collision the later claimant, in the
 * caller's fixed order, steps down to the next free millisecond (into the past, never the future).
 */
export class IdAllocator {
  /** Taken id → a lower id to try next (path-compressed: a deck first built in one second puts thousands of ids in a row). */
  readonly #below = new Map<number, number>()

  constructor(readonly kind: string) {}

  claim(key: string, addedSeconds: number): number {
    return this.claimAt(addedSeconds, idMillisecond(this.kind, key))
  }

  /** `claim` with the key's millisecond already hashed (`idMillisecond`): cached rows keep it, not the key. */
  claimAt(addedSeconds: number, millisecond: number): number {
    let id = addedSeconds * 1000 + millisecond
    const visited: number[] = []
    for (let next = this.#below.get(id); next !== undefined; next = this.#below.get(id)) {
      visited.push(id)
      id = next
    }
    this.#below.set(id, id - 1)
    for (const taken of visited) this.#below.set(taken, id - 1)
    return id
  }
}

/** The millisecond, within its second, that a note's or card's id would take if free: a hash of its key. */
export function idMillisecond(kind: string, key: string): number {
  return Number.parseInt(hash('sha256', `cheatdeck:${kind}:${key}`).slice(0, 8), 16) % 1000
}
