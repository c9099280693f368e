/** The deck file: title, exam, domains with weights, key topics, and the deck's rule settings. */
import type { DeckInfo, SheetSettings } from '../facts/model.ts'
import type { Diagnostics } from '../diagnostics.ts'
import type { SourceFile } from './read.ts'
import { parseYaml } from './yaml.ts'
import { slugify } from '../facts/slug.ts'
import { deckFile, validate, type DeckFile } from './schema.ts'


export function parseDeck(file: SourceFile | undefined, diagnostics: Diagnostics): DeckInfo | undefined {
  if (!file) {
    diagnostics.error('missing-deck', { file: 'deck.yaml', line: 1, column: 1 }, 'Unexpected notes folder without a deck file, expected `deck.yaml` naming the deck, the exam, its domains and key topics')
    return undefined
  }
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
  if (Math.abs(total - 100) > 1e-9) {
    diagnostics.warn('domain-weights', yaml.at(yaml.node('domains')), `Unexpected domain weights summing to ${total}, expected 100`)
  }
  const slug = slugify(data.title) || 'deck'
  const deck: DeckInfo = { title: data.title, slug, exam: data.exam, namespace: data.namespace ?? slug, domains, keyTopics: data.keyTopics }
  if (data.namespace !== undefined) deck.explicitNamespace = true
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
