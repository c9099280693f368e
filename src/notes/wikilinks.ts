/**
 * `[[Note]]` links pointed at the topics of the deck: a link whose note is a topic's file (its
 * name without `.md`), name, title or id gets `data.topic`, which the sheet turns into a link to
 * that topic's box. Others stay their link text.
 */
import type { Nodes } from 'mdast'
import type { Topic } from '../facts/model.ts'
import type { RawFact } from './parse.ts'

const key = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\.md$/, '').trim()

export function linkTopics(facts: readonly RawFact[], topics: readonly Topic[]): void {
  const byName = new Map<string, string>()
  for (const topic of topics) {
    for (const name of [topic.id, topic.name, topic.title, topic.file, topic.file.split('/').pop() ?? '']) byName.set(key(name), topic.id)
  }
  const visit = (node: Nodes): void => {
    if (node.type === 'wikiLink') {
      const topic = byName.get(key(node.target))
      if (node.data) delete node.data.topic
      if (topic) (node.data ??= {}).topic = topic
    }
    if ('children' in node) for (const child of node.children) visit(child as Nodes)
  }
  for (const fact of facts) {
    if (fact.body.type === 'item') fact.body.blocks.forEach(visit)
    else [fact.body.row.labelTree, ...fact.body.row.cells.map((c) => c.tree)].flat().forEach(visit)
  }
}
