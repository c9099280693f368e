/**
 * remark-ignore-comments: drops HTML comments (`<!-- … -->`), the notes' authors' notes to
 * themselves, so they are neither raw HTML nor text of a fact. A paragraph, list item or list that
 * held only comments goes with them (`- <!-- an idea for later -->` is no fact at all); other
 * HTML beside a comment is left for the raw-HTML check.
 */
import type { Root } from 'mdast'
import type { Node } from 'unist'
import { remove } from 'unist-util-remove'

/** One or more comments and nothing else; a comment's body cannot contain `-->`. */
const COMMENTS = /^\s*(?:<!--(?:(?!-->)[\s\S])*-->\s*)+$/
const HOLDERS = new Set(['paragraph', 'listItem', 'list'])

function isComment(node: Node): boolean {
  return node.type === 'html' && COMMENTS.test((node as { value?: string }).value ?? '')
}

/** A paragraph, list item or list of comments (and blank text) only. */
function holdsOnlyComments(node: Node): boolean {
  if (!HOLDERS.has(node.type)) return false
  const children = (node as { children?: Node[] }).children ?? []
  return children.length > 0 && children.every((child) => isComment(child) || holdsOnlyComments(child) || (child.type === 'text' && !(child as { value?: string }).value?.trim()))
}

export default function remarkIgnoreComments() {
  return (tree: Root): void => {
    // No cascade: a table cell or heading that held a comment stays, empty, where it was.
    remove(tree, { cascade: false }, (node: Node) => isComment(node) || holdsOnlyComments(node))
  }
}
