/**
 * Decks: the deck title as the parent, one child deck per topic (`Title::Topic name`), under a
 * deck per subfolder of the notes (`Title::Folder::Topic name`).
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
  const about = deck.examName && deck.exam ? `${deck.examName} (${deck.exam})` : (deck.examName ?? deck.exam ?? '')
  return { id: deckId(deck.title), name: deck.title, description: escapeHtml(about) }
}

/** The folders of a topic's file, as written: its decks between the parent and its own. */
function folders(topic: Topic): string[] {
  return topic.file.split('/').slice(0, -1)
}

export function topicDeck(deck: DeckInfo, topic: Topic): Deck {
  const name = [deck.title, ...folders(topic), topic.name].join('::')
  return { id: deckId(name), name, description: escapeHtml(topic.title) }
}

/**
 * The decks of the subfolders (`Title::Folder`, `Title::Folder::Sub`), in topic order, each once.
 * Listed in the package so no deck's parent is left for the importer to invent.
 */
export function folderDecks(deck: DeckInfo, topics: readonly Topic[]): Deck[] {
  const names = new Set<string>()
  for (const topic of topics) {
    const path = folders(topic)
    for (let depth = 1; depth <= path.length; depth++) names.add([deck.title, ...path.slice(0, depth)].join('::'))
  }
  return [...names].map((name) => ({ id: deckId(name), name, description: '' }))
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
