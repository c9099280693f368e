/**
 * Obsidian's inline tags (`#aws`, `#networking/dns`): taken out of a fact's text and returned, so
 * they reach Anki as tags and are not printed as words. Code is never read (it holds no text
 * nodes), nor is a link's text (`[#1](…)`, an autolinked `…/#anchor`).
 */
import type { Nodes } from 'mdast'

// As Obsidian reads a tag: after a space or at the start, letters, digits, `_`, `-` and `/`, with
// at least one that is not a digit (`#1` is a number, not a tag).
const TAG = /(^|\s)#([\p{L}\p{N}\p{M}_/-]*[\p{L}\p{M}_/-][\p{L}\p{N}\p{M}_/-]*)/gu

/** Removes the `#tags` from the nodes' text (in place) and returns them, `a/b` as Anki's `a::b`. */
export function takeHashtags(nodes: readonly Nodes[]): string[] {
  const tags: string[] = []
  // A plain walk (no unist-util-visit): this runs on every fact, and its visitor closures add up.
  const walk = (node: Nodes, last: boolean): void => {
    if (node.type === 'link' || node.type === 'linkReference') return
    if (node.type === 'text') {
      if (!node.value.includes('#')) return
      node.value = node.value.replace(TAG, (_match, before: string, tag: string) => {
        tags.push(tag.replace(/^\/+|\/+$/g, '').replace(/\/+/g, '::'))
        return before
      })
      // A tag at the end of a line leaves the space before it.
      if (last) node.value = node.value.trimEnd()
      return
    }
    if ('children' in node) node.children.forEach((child, index, all) => walk(child, index === all.length - 1))
  }
  for (const node of nodes) walk(node, false)
  return tags.filter(Boolean)
}
