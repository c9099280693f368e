/** A topic file's YAML frontmatter → the topic's id, name and domains, with positioned problems. */
import type { Root } from 'mdast'
import type { Diagnostics } from '../diagnostics.ts'
import type { SourcePosition } from '../facts/model.ts'
import { slugify } from '../facts/slug.ts'
import { frontmatter, validate } from './schema.ts'
import { parseYaml } from './yaml.ts'

export interface TopicMeta {
  id: string
  /** Where the id comes from: the frontmatter's `id`, else the file itself. */
  idPlace: SourcePosition
  name: string
  domains: { id: string; place: SourcePosition }[]
  /** `false`: frontmatter `sheet: false`, the topic stays off the printed sheet. */
  sheet?: false
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
  const reporting = { ruleFor: (path: readonly PropertyKey[]) => (path[0] === 'name' || path[0] === 'domains' ? 'missing-key' as const : 'invalid-frontmatter' as const) }
  const data = validate(frontmatter, yaml, reporting, diagnostics)
  if (!data) return { meta: undefined, unterminated: false }
  // `domains: build` names one domain, at the value itself.
  const single = !Array.isArray((yaml.data as Record<string, unknown>)['domains'])
  const domains = data.domains.map((id, index) => ({ id, place: yaml.at(single ? yaml.node('domains') : yaml.node('domains', index)) }))
  const id = data.id ?? topicIdFromPath(file)
  const idPlace = data.id === undefined ? start : yaml.at(yaml.node('id'))
  return { meta: { id, idPlace, name: data.name, domains, ...(data.sheet === false ? { sheet: false as const } : {}) }, unterminated: false }
}

/** Topic id from a file path: the slug of its name (`AWS CloudFormation.md` → `aws-cloudformation`). */
export function topicIdFromPath(file: string): string {
  const base = file.replace(/\.md$/i, '')
  return slugify(base) || 'topic'
}
