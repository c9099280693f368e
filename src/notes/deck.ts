/** The deck file: title, exam, domains with weights, key topics. */
import type { DeckInfo, Domain } from '../facts/model.ts'
import type { Diagnostics } from '../diagnostics.ts'
import type { SourceFile } from './read.ts'
import { isRecord, parseYaml } from './yaml.ts'
import { slugify } from '../facts/slug.ts'

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/

export function parseDeck(file: SourceFile | undefined, diagnostics: Diagnostics): DeckInfo | undefined {
  if (!file) {
    diagnostics.error('missing-deck', { file: 'deck.yaml', line: 1, column: 1 }, 'Unexpected notes folder without a deck file, expected `deck.yaml` naming the deck, the exam, its domains and key topics')
    return undefined
  }
  const yaml = parseYaml(file.value, file.path, 1, 'invalid-deck', diagnostics)
  if (yaml.data === undefined) return undefined
  const data = yaml.data
  if (!isRecord(data)) {
    diagnostics.error('invalid-deck', yaml.root, `Unexpected ${describe(data)}, expected a mapping with \`title\`, \`exam\`, \`domains\` and \`keyTopics\``)
    return undefined
  }
  let ok = true
  const text = (key: string): string | undefined => {
    const value = data[key]
    if (typeof value === 'string' && value.trim()) return value.trim()
    ok = false
    diagnostics.error('invalid-deck', value === undefined ? yaml.root : yaml.at(yaml.node(key)), `Unexpected ${value === undefined ? `missing \`${key}\`` : describe(value)}, expected \`${key}\` to be a non-empty string`)
    return undefined
  }
  const title = text('title')
  const exam = text('exam')
  const domains: Domain[] = []
  const rawDomains = data['domains']
  if (!Array.isArray(rawDomains) || rawDomains.length === 0) {
    ok = false
    diagnostics.error('invalid-deck', rawDomains === undefined ? yaml.root : yaml.at(yaml.node('domains')), 'Unexpected deck without domains, expected `domains`: a list of `{id, name, weight}`')
  } else {
    rawDomains.forEach((entry, index) => {
      const place = yaml.at(yaml.node('domains', index))
      if (!isRecord(entry) || typeof entry['id'] !== 'string' || !ID_PATTERN.test(entry['id']) || typeof entry['name'] !== 'string' || typeof entry['weight'] !== 'number' || !(entry['weight'] >= 0 && entry['weight'] <= 100)) {
        ok = false
        diagnostics.error('invalid-deck', place, 'Unexpected domain entry, expected `{id: lowercase-id, name: text, weight: 0–100}`')
        return
      }
      const first = domains.find((d) => d.id === entry['id'])
      if (first) {
        ok = false
        diagnostics.error('duplicate-id', place, `Unexpected second domain \`${first.id}\`, expected unique domain ids`)
        return
      }
      domains.push({ id: entry['id'], number: index + 1, name: entry['name'], weight: entry['weight'] })
    })
    const total = domains.reduce((sum, d) => sum + d.weight, 0)
    if (ok && Math.abs(total - 100) > 1e-9) {
      diagnostics.warn('domain-weights', yaml.at(yaml.node('domains')), `Unexpected domain weights summing to ${total}, expected 100`)
    }
  }
  const keyTopics: string[] = []
  const rawTopics = data['keyTopics'] ?? []
  if (!Array.isArray(rawTopics) || rawTopics.some((t) => typeof t !== 'string' || !t.trim())) {
    ok = false
    diagnostics.error('invalid-deck', yaml.at(yaml.node('keyTopics')), 'Unexpected `keyTopics`, expected a list of non-empty strings')
  } else keyTopics.push(...(rawTopics as string[]).map((t) => t.trim()))
  const namespace = data['namespace']
  if (namespace !== undefined && (typeof namespace !== 'string' || !namespace.trim())) {
    ok = false
    diagnostics.error('invalid-deck', yaml.at(yaml.node('namespace')), 'Unexpected `namespace`, expected a non-empty string')
  }
  if (!ok || title === undefined || exam === undefined) return undefined
  const slug = slugify(title) || 'deck'
  const deck: DeckInfo = {
    title,
    slug,
    exam,
    namespace: typeof namespace === 'string' ? namespace.trim() : slug,
    domains,
    keyTopics,
  }
  if (typeof namespace === 'string') deck.explicitNamespace = true
  const examName = data['examName']
  if (typeof examName === 'string' && examName.trim()) deck.examName = examName.trim()
  return deck
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty value'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'object') return 'mapping'
  // One line: a multi-line YAML string would break the one-line `file:line:col: …` message.
  return `${typeof value} \`${String(value).replace(/\s+/g, ' ').slice(0, 40)}\``
}
