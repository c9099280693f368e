/**
 * A topic file's YAML frontmatter → the topic's id, name, domains, tags and card setting, with
 * positioned problems. Frontmatter is optional: a file without it has its defaults.
 */
import type { Root } from 'mdast'
import type { Diagnostics } from '../diagnostics.ts'
import type { CardsSetting, SourcePosition } from '../facts/model.ts'
import { slugify } from '../facts/slug.ts'
import { frontmatter, validate } from './schema.ts'
import { parseYaml } from './yaml.ts'

export interface TopicMeta {
  id: string
  /** Where the id comes from: the frontmatter's `id`, else the file itself. */
  idPlace: SourcePosition
  /** Frontmatter `name`, else `title`; without either the file's `# Title` or name names it. */
  name?: string
  domains: { id: string; place: SourcePosition }[]
  /** `false`: frontmatter `sheet: false`, the topic stays off the printed sheet. */
  sheet?: false
  tags: string[]
  cards?: CardsSetting
  /** `reverse: terms`: this file's term facts make a card each way. */
  reverseTerms?: boolean
}

/**
 * Reads the frontmatter (the tree's first node). `unterminated`: the file opens a `---` block that
 * never closes, so the whole file is one broken frontmatter block and there is nothing else to read.
 */
export function readFrontmatter(tree: Root, file: string, value: string, diagnostics: Diagnostics): { meta: TopicMeta | undefined; unterminated: boolean } {
  const start: SourcePosition = { file, line: 1, column: 1 }
  const node = tree.children[0]
  if (node?.type !== 'yaml') {
    if (/^---[ \t]*\n/.test(value)) {
      diagnostics.error('unterminated-frontmatter', start, 'Unexpected `---` frontmatter that is never closed, expected a closing `---` line')
      return { meta: undefined, unterminated: true }
    }
    return { meta: { id: topicIdFromPath(file), idPlace: start, domains: [], tags: [] }, unterminated: false }
  }
  const line0 = (node.position?.start.line ?? 1) + 1
  const yaml = parseYaml(node.value, file, line0, 'invalid-frontmatter', diagnostics)
  if (yaml.data === undefined) return { meta: undefined, unterminated: false }
  const reporting = { ruleFor: (path: readonly PropertyKey[]) => (path[0] === 'name' || path[0] === 'domains' ? 'missing-key' as const : 'invalid-frontmatter' as const) }
  const data = validate(frontmatter, yaml, reporting, diagnostics)
  if (!data) return { meta: undefined, unterminated: false }
  // `domains: build` names one domain, at the value itself.
  const single = !Array.isArray((yaml.data as Record<string, unknown> | null)?.['domains'])
  const domains = data.domains.map((id, index) => ({ id, place: yaml.at(single ? yaml.node('domains') : yaml.node('domains', index)) }))
  const id = data.id ?? topicIdFromPath(file)
  const idPlace = data.id === undefined ? start : yaml.at(yaml.node('id'))
  const meta: TopicMeta = { id, idPlace, domains, tags: data.tags ?? [] }
  const name = data.name || data.title
  if (name) meta.name = name
  if (data.cards) meta.cards = data.cards
  if (data.sheet === false) meta.sheet = false
  if (data.reverse === 'terms') meta.reverseTerms = true
  return { meta, unterminated: false }
}

/**
 * Topic id from a file path: the slug of each folder and of the file's name, joined by `/`
 * (`AWS CloudFormation.md` → `aws-cloudformation`, `Networking/VPC basics.md` → `networking/vpc-basics`).
 */
export function topicIdFromPath(file: string): string {
  return file
    .replace(/\.md$/i, '')
    .split('/')
    .map((part) => slugify(part) || 'topic')
    .join('/')
}
