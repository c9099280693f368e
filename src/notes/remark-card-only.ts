/**
 * remark-card-only: a sub-bullet that ends with the tag `#card-only` stays on the card but not on
 * the sheet, so the deck can carry detail the sheet has no room for. In Obsidian the marker reads
 * as a tag (and a tag search lists every card-only detail). The tag is removed from the text; the
 * item gets the class `card-only`, which the sheet hides and the cards ignore.
 */
import type { ListItem, Nodes, Root } from 'mdast'

export const CARD_ONLY_TAG = '#card-only'
export const CARD_ONLY_CLASS = 'card-only'

const TRAILING_TAG = /(^|\s)#card-only\s*$/

export default function remarkCardOnly() {
  // Only a sub-bullet: a top-level item is the fact itself.
  const walk = (node: Nodes, inItem: boolean): void => {
    if (node.type === 'listItem' && inItem && takeTag(node)) markCardOnly(node)
    if ('children' in node) for (const child of node.children) walk(child, inItem || node.type === 'listItem')
  }
  return (tree: Root) => walk(tree, false)
}

/** Removes a trailing `#card-only` from the item's first paragraph; says whether there was one. */
function takeTag(item: ListItem): boolean {
  const first = item.children[0]
  if (first?.type !== 'paragraph') return false
  const last = first.children.at(-1)
  if (last?.type !== 'text') return false
  const match = TRAILING_TAG.exec(last.value)
  if (!match) return false
  last.value = last.value.slice(0, match.index + (match[1]?.length ?? 0)).trimEnd()
  if (!last.value) first.children.pop()
  return true
}

function markCardOnly(item: ListItem): void {
  const data = item.data ?? (item.data = {})
  const properties = data.hProperties ?? {}
  // hProperties replace what mdast-util-to-hast sets: keep a task item's own class.
  const className = [...(typeof item.checked === 'boolean' ? ['task-list-item'] : []), CARD_ONLY_CLASS]
  data.hProperties = { ...properties, className }
}
