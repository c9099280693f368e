/**
 * Decks: the deck title as the parent, one child deck per topic (`Title::Topic name`).
 * Anki matches decks by name on import; the ids are still stable (hashed from the name).
 */
import type { DeckInfo, Topic } from '../../facts/model.ts'
import { hashedId } from './ids.ts'
import { DECK_CONFIG_ID, DEFAULT_DECK_ID } from './schema.ts'
import { escapeHtml } from '../../render/html.ts'

export interface Deck {
  id: number
  name: string
  /** HTML shown on the deck's overview screen. */
  description: string
}

export function deckId(name: string): number {
  return hashedId('deck', name)
}

export function parentDeck(deck: DeckInfo): Deck {
  const about = deck.examName ? `${deck.examName} (${deck.exam})` : deck.exam
  return { id: deckId(deck.title), name: deck.title, description: escapeHtml(about) }
}

export function topicDeck(deck: DeckInfo, topic: Topic): Deck {
  const name = `${deck.title}::${topic.name}`
  return { id: deckId(name), name, description: escapeHtml(topic.title) }
}

/** A deck as `col.decks[id]` (schema 11). */
export function deckJson(deck: Deck, mod: number): Record<string, unknown> {
  return {
    id: deck.id,
    name: deck.name,
    mod,
    usn: -1,
    desc: deck.description,
    dyn: 0,
    conf: DECK_CONFIG_ID,
    collapsed: false,
    browserCollapsed: false,
    extendNew: 0,
    extendRev: 0,
    newToday: [0, 0],
    revToday: [0, 0],
    lrnToday: [0, 0],
    timeToday: [0, 0],
  }
}

/** Anki's default deck: every collection has it (and keeps it when empty). */
export const DEFAULT_DECK: Deck = { id: DEFAULT_DECK_ID, name: 'Default', description: '' }
