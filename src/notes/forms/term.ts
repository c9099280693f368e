/** `**Term**: definition` (or `**Term:** definition`), and every table row: a Basic card, term on the front. */
import type { Paragraph, PhrasingContent } from 'mdast'
import type { Blocks } from '../../facts/model.ts'
import { blocksText, plain } from './text.ts'
import type { FormReader } from './types.ts'

export const term: FormReader<'term'> = {
  form: 'term',
  item({ blocks }) {
    const [first, ...rest] = blocks
    const split = first?.type === 'paragraph' ? splitTerm(first) : undefined
    if (!split) return undefined
    const definitionTree: Blocks = split.definition.length ? [{ type: 'paragraph', children: split.definition }, ...rest] : rest
    const parts = { term: plain(split.term), definition: blocksText(definitionTree), termTree: split.term, definitionTree }
    return { card: { form: 'term', term: parts }, text: blocksText(blocks), keyWords: parts.term }
  },
  // A row's name is the term; its labelled values, the definition.
  row({ row }) {
    return { form: 'term', term: { term: row.label, definition: row.cells.map((c) => `${c.header}: ${c.value}`).join('; '), termTree: row.labelTree } }
  },
}

/** Splits `**Term**: definition` (or `**Term:** definition`) at the start of a paragraph. */
function splitTerm(paragraph: Paragraph): { term: PhrasingContent[]; definition: PhrasingContent[] } | undefined {
  const [strong, next, ...rest] = paragraph.children
  if (strong?.type !== 'strong') return undefined
  const inner = [...strong.children]
  const lastInner = inner[inner.length - 1]
  if (lastInner?.type === 'text' && /:\s*$/.test(lastInner.value)) {
    const trimmed = lastInner.value.replace(/:\s*$/, '')
    inner[inner.length - 1] = { ...lastInner, value: trimmed }
    const definition = next ? [trimText(next), ...rest] : []
    return plain(inner) ? { term: inner, definition } : undefined
  }
  if (next?.type === 'text' && /^\s*:/.test(next.value)) {
    return plain(inner) ? { term: inner, definition: [{ ...next, value: next.value.replace(/^\s*:\s*/, '') }, ...rest] } : undefined
  }
  return undefined
}

function trimText(node: PhrasingContent): PhrasingContent {
  return node.type === 'text' ? { ...node, value: node.value.trimStart() } : node
}
