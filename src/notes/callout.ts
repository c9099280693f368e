/**
 * Obsidian callouts (`> [!note] Title`, foldable `> [!tip]-` / `> [!tip]+`): the title and the
 * blocks under it, which the topic walker (parse.ts) reads as facts with the title as context.
 */
import type { Blockquote, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'

export interface Callout {
  title: string
  blocks: RootContent[]
}

const CALLOUT = /^\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*([^\n]*)(?:\n|$)/

/** `> [!type]± Title` and the blocks under it; undefined for a plain block quote. */
export function readCallout(quote: Blockquote): Callout | undefined {
  const [first, ...rest] = quote.children
  const head = first?.type === 'paragraph' ? first.children[0] : undefined
  const match = head?.type === 'text' ? CALLOUT.exec(head.value) : null
  if (!first || first.type !== 'paragraph' || !head || head.type !== 'text' || !match) return undefined
  const type = match[1] ?? 'note'
  const title = (match[3] ?? '').trim() || type.charAt(0).toUpperCase() + type.slice(1).toLowerCase()
  head.value = head.value.slice(match[0].length)
  const body = head.value || first.children.length > 1 ? [{ ...first, children: head.value ? first.children : first.children.slice(1) }] : []
  return { title, blocks: [...body.filter((p) => toString(p).trim()), ...rest] }
}

