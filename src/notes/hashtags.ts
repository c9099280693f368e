/**
 * Obsidian's inline tags (`#aws`, `#networking/dns`): taken out of a fact's text and returned, so
 * they reach Anki as tags and are not printed as words. Code is never read (it holds no text
 * nodes), nor is a link's text (`[#1](…)`, an autolinked `…/#anchor`).
 */
import type { Nodes } from 'mdast'
import { SKIP, visit } from 'unist-util-visit'

// As Obsidian reads a tag: after a space or at the start, letters, digits, `_`, `-` and `/`, with
// at least one that is not a digit (`#1` is a number, not a tag).
const TAG = /(^|\s)#([\p{L}\p{N}\p{M}_/-]*[\p{L}\p{M}_/-][\p{L}\p{N}\p{M}_/-]*)/gu

/** Removes the `#tags` from the nodes' text (in place) and returns them, `a/b` as Anki's `a::b`. */
export function takeHashtags(nodes: readonly Nodes[]): string[] {
  const tags: string[] = []
  for (const node of nodes) {
    visit(node, (child, index, parent) => {
      if (child.type === 'link' || child.type === 'linkReference') return SKIP
      if (child.type !== 'text' || !child.value.includes('#')) return undefined
      child.value = child.value.replace(TAG, (_match, before: string, tag: string) => {
        tags.push(tag.replace(/^\/+|\/+$/g, '').replace(/\/+/g, '::'))
        return before
      })
      // A tag at the end of a line leaves the space before it.
      if (parent && index === parent.children.length - 1) child.value = child.value.trimEnd()
      return undefined
    })
  }
  return tags.filter(Boolean)
}
