/**
 * GFM's autolink literals (`www.example.com`, `https://…`, `me@example.com` as bare text) cost
 * about a quarter of the parse: micromark tries the e-mail literal at every letter and digit (so
 * plain text is tokenized a character at a time), and mdast-util-gfm-autolink-literal runs four
 * regular expressions over every text node. Most files have none, so a file is parsed without
 * them first, and again with them only when a text node could hold one: every literal they make
 * is text that holds `@`, `www.` or `://` when it is not linked (the tree without them keeps it
 * as text, escapes and character references decoded, just as the transform reads it). So the
 * tree is always the one the full parse makes (tests/autolink-gate.test.ts compares them).
 */
import type { Nodes, Root } from 'mdast'
import type { Construct, Extension as MicromarkExtension } from 'micromark-util-types'
import type { Processor } from 'unified'

/** The construct names micromark-extension-gfm-autolink-literal registers (its `text` map). */
const LITERAL_CONSTRUCTS = new Set(['wwwAutolink', 'protocolAutolink', 'emailAutolink'])

/** What every autolink literal holds: an e-mail's `@` (also `mailto:` and `xmpp:`), `www.`, a protocol's `://`. */
const TRIGGER = /@|www\.|:\/\//i

/**
 * A remark plugin, used after remark-gfm: takes GFM's autolink literals out of the processor
 * (the constructs from micromark's syntax, the handlers and the transform from mdast's), leaving
 * the rest of GFM (tables, footnotes, strikethrough, task lists) as it was.
 */
export function withoutAutolinkLiterals(this: Processor): void {
  const data = this.data()
  data.micromarkExtensions = (data.micromarkExtensions ?? []).map((extension) => withoutLiteralConstructs(extension as MicromarkExtension))
  data.fromMarkdownExtensions = (data.fromMarkdownExtensions ?? []).map((extension) =>
    Array.isArray(extension) ? extension.filter((one) => !('literalAutolink' in (one.enter ?? {}))) : extension,
  )
}

function withoutLiteralConstructs(extension: MicromarkExtension): MicromarkExtension {
  if (!extension.text) return extension
  const text: NonNullable<MicromarkExtension['text']> = {}
  for (const [code, value] of Object.entries(extension.text)) {
    const constructs = (Array.isArray(value) ? value : [value]).filter((construct): construct is Construct => construct !== undefined && !LITERAL_CONSTRUCTS.has(construct.name ?? ''))
    if (constructs.length) text[Number(code)] = constructs
  }
  return { ...extension, text }
}

/**
 * Whether a tree parsed without autolink literals has text one could be made of: a text node (or
 * an image's alt text) with `@`, `www.` or `://`. False means the full parse makes the same tree.
 */
export function mayHoldAutolinkLiteral(tree: Root): boolean {
  const stack: Nodes[] = [tree]
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'text' && TRIGGER.test(node.value)) return true
    if (node.type === 'image' && node.alt && TRIGGER.test(node.alt)) return true
    if ('children' in node) for (const child of node.children) stack.push(child)
  }
  return false
}
