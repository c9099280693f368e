/** Plain text of mdast, as the card forms need it. */
import type { List, ListItem, Nodes, PhrasingContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Blocks, ClozeDeletion } from '../../facts/model.ts'

type Block = Blocks[number]

/** Inline content as one line of plain text. */
export function plain(children: PhrasingContent[]): string {
  return toString({ type: 'paragraph', children }).replace(/\s+/g, ' ').trim()
}

/** Plain text of blocks; list items and blocks on lines of their own. */
export function blocksText(blocks: Blocks): string {
  return blocks.map((block) => blockText(block)).filter(Boolean).join('\n')
}

function blockText(block: Block | ListItem): string {
  if (block.type === 'list') return (block as List).children.map((item) => blockText(item)).join('\n')
  if (block.type === 'listItem') return (block.children as Block[]).map((b) => blockText(b)).join('\n')
  return toString(block).replace(/[ \t]*\n[ \t]*/g, ' ').trim()
}

/** Plain text with `{{cN::answer}}` marks. */
export function clozeText(node: Nodes): string {
  if (node.type === 'cloze') return `{{c${node.index}::${toString(node)}${node.hint ? `::${node.hint}` : ''}}}`
  if (node.type === 'text' || node.type === 'inlineCode') return node.value
  if (!('children' in node)) return toString(node)
  const separator = node.type === 'list' || node.type === 'listItem' || node.type === 'root' ? '\n' : ''
  return (node.children as Nodes[]).map((child) => clozeText(child)).join(separator).replace(/[ \t]*\n[ \t]*/g, node.type === 'paragraph' ? ' ' : '\n')
}

/** Inline content as plain text with `{{cN::answer}}` marks. */
export function inlineClozeText(children: PhrasingContent[]): string {
  return clozeText({ type: 'paragraph', children })
}

/** The deletions of numbered cloze nodes. */
export function deletions(clozes: import('mdast').Cloze[]): ClozeDeletion[] {
  return clozes.map((c) => {
    const deletion: ClozeDeletion = { index: c.index, answer: plain(c.children) }
    if (c.hint) deletion.hint = c.hint
    return deletion
  })
}
