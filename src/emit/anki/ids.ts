import { createHash } from 'node:crypto'

/**
 * Stable integer ids for notes, cards and decks.
 *
 * Anki ids look like millisecond timestamps, and Anki's "Check Database" rewrites any id later
 * than now + 1 day. genanki takes the clock; we cannot (emitters are pure and rebuilds must be
 * byte-identical), so an id is a hash of what identifies the object (a note's GUID, a card's
 * GUID and ordinal, a deck's name), mapped into a window of past milliseconds:
 * 2010-01-01 + [0, 2^38) ms, i.e. up to late 2018. The ids never depend on the wording, the
 * order of the facts or the build time. Anki shows a note's id as its "Created" date: for our
 * notes that date is meaningless (and harmless).
 *
 * On import Anki matches notes by GUID and decks by name, and renumbers an id that is already
 * taken in the user's collection, so stable ids are about reproducible bytes, not matching.
 */
export const ID_BASE = 1_262_304_000_000
export const ID_SPAN = 2 ** 38

export function hashedId(kind: string, key: string): number {
  const hex = createHash('sha256').update(`cheatdeck:${kind}:${key}`).digest('hex').slice(0, 12)
  return ID_BASE + (Number.parseInt(hex, 16) % ID_SPAN)
}

/**
 * Hands out ids from `hashedId`, unique within one table. On a (rare: ~1e-6 for a thousand
 * notes) collision the later claimant, in the caller's fixed order, takes the next free integer.
 */
export class IdAllocator {
  readonly #taken = new Set<number>()

  constructor(readonly kind: string) {}

  claim(key: string): number {
    let id = hashedId(this.kind, key)
    while (this.#taken.has(id)) id += 1
    this.#taken.add(id)
    return id
  }
}
