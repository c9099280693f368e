/** A topic file's YAML frontmatter → the topic's id, name and domains, with positioned problems. */
import type { Root } from 'mdast'
import type { Diagnostics } from '../diagnostics.ts'
import type { SourcePosition } from '../facts/model.ts'
import { slugify } from '../facts/slug.ts'
import { describe, ID_PATTERN } from './deck.ts'
import { isRecord, parseYaml } from './yaml.ts'

export interface TopicMeta {
  id: string
  /** Where the id comes from: the frontmatter's `id`, else the file itself. */
  idPlace: SourcePosition
  name: string
  domains: { id: string; place: SourcePosition }[]
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
    diagnostics.error('missing-frontmatter', start, 'Unexpected markdown without frontmatter, expected a `---` YAML block with `name` and `domains`')
    return { meta: undefined, unterminated: false }
  }
  const line0 = (node.position?.start.line ?? 1) + 1
  const yaml = parseYaml(node.value, file, line0, 'invalid-frontmatter', diagnostics)
  if (yaml.data === undefined) return { meta: undefined, unterminated: false }
  const data = yaml.data
  if (!isRecord(data)) {
    diagnostics.error('invalid-frontmatter', yaml.root, `Unexpected ${describe(data)} as frontmatter, expected a mapping with \`name\` and \`domains\``)
    return { meta: undefined, unterminated: false }
  }
  let ok = true
  const name = data['name']
  if (typeof name !== 'string' || !name.trim()) {
    ok = false
    diagnostics.error('missing-key', name === undefined ? yaml.root : yaml.at(yaml.node('name')), `Unexpected ${name === undefined ? 'frontmatter without `name`' : describe(name)}, expected \`name\`: the topic's name`)
  }
  const rawDomains = typeof data['domains'] === 'string' ? [data['domains']] : data['domains']
  const domains: TopicMeta['domains'] = []
  if (!Array.isArray(rawDomains) || rawDomains.length === 0) {
    ok = false
    diagnostics.error('missing-key', rawDomains === undefined ? yaml.root : yaml.at(yaml.node('domains')), 'Unexpected frontmatter without `domains`, expected `domains`: one or more domain ids from the deck file')
  } else {
    rawDomains.forEach((domain: unknown, index) => {
      const place = typeof data['domains'] === 'string' ? yaml.at(yaml.node('domains')) : yaml.at(yaml.node('domains', index))
      if (typeof domain === 'string' && domain.trim()) domains.push({ id: domain.trim(), place })
      else {
        ok = false
        diagnostics.error('missing-key', place, `Unexpected ${describe(domain)} in \`domains\`, expected a domain id`)
      }
    })
  }
  const explicitId = data['id']
  if (explicitId !== undefined && (typeof explicitId !== 'string' || !ID_PATTERN.test(explicitId))) {
    ok = false
    diagnostics.error('invalid-frontmatter', yaml.at(yaml.node('id')), 'Unexpected `id`, expected a lowercase id of letters, digits, `-` and `_`')
  }
  if (!ok || typeof name !== 'string') return { meta: undefined, unterminated: false }
  const id = typeof explicitId === 'string' ? explicitId : topicIdFromPath(file)
  const idPlace = typeof explicitId === 'string' ? yaml.at(yaml.node('id')) : start
  return { meta: { id, idPlace, name: name.trim(), domains }, unterminated: false }
}

/** Topic id from a file path: the slug of its name (`AWS CloudFormation.md` → `aws-cloudformation`). */
export function topicIdFromPath(file: string): string {
  const base = file.replace(/\.md$/i, '')
  return slugify(base) || 'topic'
}
