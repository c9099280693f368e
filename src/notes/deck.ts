/** The deck file: title, exam, domains with weights, key topics, and the deck's rule settings. */
import { deckNamed, type DeckInfo, type SheetSettings } from '../facts/model.ts'
import type { Diagnostics } from '../diagnostics.ts'
import type { SourceFile } from './read.ts'
import { parseYaml } from './yaml.ts'
import { deckFile, validate, type DeckFile } from './schema.ts'


/**
 * The deck, from its file; without one (any folder of markdown is a deck), named after its folder.
 * `folder` is the notes folder's name.
 */
export function parseDeck(file: SourceFile | undefined, folder: string, diagnostics: Diagnostics): DeckInfo | undefined {
  if (!file) return deckNamed(folder)
  const yaml = parseYaml(file.value, file.path, 1, 'invalid-deck', diagnostics)
  if (yaml.data === undefined) return undefined
  const data = validate(deckFile, yaml, {
    ruleFor: () => 'invalid-deck',
    // A domain entry is one thing to fix; `keyTopics` one list.
    placeOf: (path) => (path[0] === 'domains' ? path.slice(0, 2) : path[0] === 'keyTopics' ? path.slice(0, 1) : path),
  }, diagnostics)
  if (!data) return undefined
  const domains = data.domains.map((d, index) => ({ id: d.id, number: index + 1, name: d.name, weight: d.weight }))
  const total = domains.reduce((sum, d) => sum + d.weight, 0)
  if (domains.length && Math.abs(total - 100) > 1e-9) {
    diagnostics.warn('domain-weights', yaml.at(yaml.node('domains')), `Unexpected domain weights summing to ${total}, expected 100`)
  }
  const deck = deckNamed(data.title ?? folder)
  if (data.exam !== undefined) deck.exam = data.exam
  deck.domains = domains
  deck.keyTopics = data.keyTopics
  if (data.namespace !== undefined) deck.namespace = data.namespace
  if (data.ignore?.length) deck.ignore = data.ignore
  if (data.cards) deck.cards = data.cards
  if (data.tags?.length) deck.tags = data.tags
  if (data.namespace !== undefined) deck.explicitNamespace = true
  if (data.reverse === 'terms') deck.reverseTerms = true
  if (data.rules && Object.keys(data.rules).length) deck.rules = data.rules
  if (data.sheet) deck.sheet = sheetSettings(data.sheet)
  if (typeof data.examName === 'string' && data.examName.trim()) deck.examName = data.examName.trim()
  return deck
}

/** The deck file's `sheet:` settings, without the keys it does not set. */
function sheetSettings(sheet: NonNullable<DeckFile['sheet']>): SheetSettings {
  const settings: SheetSettings = {}
  if (sheet.topics) settings.topics = sheet.topics
  if (sheet.tags) settings.tags = sheet.tags
  if (sheet.pages !== undefined) settings.pages = sheet.pages
  if (sheet.minFont !== undefined) settings.minFont = sheet.minFont
  return settings
}
