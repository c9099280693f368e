/**
 * mdast → hast → HTML, shared by the outputs; each output passes its own handlers (how a cloze
 * looks in it) and renders a fact once, in its own idiom. Raw HTML in notes is kept only for the
 * safe tags (safe-html.ts), else shown as text; hast-util-sanitize checks every tree, and keeps
 * link and image URLs only when they are web, mail or relative addresses (or an image's bytes).
 */
import type { ElementContent, Root as HastRoot, Nodes as HastNodes } from 'hast'
import type { Nodes, PhrasingContent } from 'mdast'
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize'
import { CARD_ONLY_CLASS } from '../notes/remark-card-only.ts'
import { toHtml } from 'hast-util-to-html'
import { toHast, type Handler, type Handlers, type State } from 'mdast-util-to-hast'
import type { Blocks } from '../facts/model.ts'
import { htmlContent } from './safe-html.ts'

export type { Handler, Handlers, State } from 'mdast-util-to-hast'

export interface RenderOptions {
  /** mdast node type → handler (`cloze` has none by default: every output says how it looks). */
  handlers?: Handlers
  /** A last pass over the tree before it is serialized (it may change it in place). */
  transform?: (tree: HastNodes) => void
  /** A last pass over the HTML. */
  finish?: (html: string) => string
}

/**
 * GitHub's schema (made for mdast-util-to-hast's output), with the cloze's class and a card-only
 * sub-bullet's (the sheet hides it), and ids left as
 * mdast-util-to-hast made them (footnote ids are prefixed already). Only web and mail addresses
 * (or relative ones) survive in `href` and `src`.
 */
const SCHEMA: Schema = {
  ...defaultSchema,
  // The safe inline HTML of the notes (safe-html.ts) that GitHub's schema lacks.
  tagNames: [...(defaultSchema.tagNames ?? []), 'mark', 'u'],
  attributes: {
    ...defaultSchema.attributes,
    strong: [['className', 'cloze']],
    li: [['className', 'task-list-item', CARD_ONLY_CLASS]],
    // What the outputs' own handlers add: highlighted tokens (lowlight), math's TeX, Obsidian links, alt text.
    code: [['className', /^language-./, 'hljs', 'math-inline', 'math-display']],
    span: [['className', /^hljs-/, /^[a-z]+_$/, 'wikilink', 'image-alt']],
    a: [...(defaultSchema.attributes?.['a'] ?? []).filter((p) => !Array.isArray(p) || p[0] !== 'className'), ['className', 'data-footnote-backref', 'wikilink']],
    div: [...(defaultSchema.attributes?.['div'] ?? []), ['className', 'math']],
  },
  clobber: [],
  // `data:` only for an image's own bytes (the sheet embeds the notes' images): checked below.
  protocols: { href: ['http', 'https', 'mailto'], src: ['http', 'https', 'mailto', 'data'] },
}

/** An image's source may be the file itself: an image type, base64, nothing else. */
const SAFE_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif|bmp|svg\+xml);base64,[A-Za-z0-9+/=]*$/

/** Raw HTML of the notes: the safe tags sanitized and kept, anything else as text (see safe-html.ts). */
const safeHtmlOrText: Handler = (_state, node: { value: string }) => htmlContent(node.value)

/**
 * `//host/x` has no protocol for the sanitizer to refuse, yet leaves the notes: dropped too; and a
 * `data:` URL anywhere but an image's base64 bytes.
 */
function dropProtocolRelative(tree: HastNodes): void {
  // A plain walk (no unist-util-visit): it runs on every rendering, and the visitor's closures add up.
  if (tree.type === 'element') {
    for (const key of ['href', 'src'] as const) {
      const value = tree.properties[key]
      if (typeof value === 'string' && value.trim().startsWith('//')) delete tree.properties[key]
      if (typeof value === 'string' && /^\s*data:/i.test(value) && !(key === 'src' && tree.tagName === 'img' && SAFE_IMAGE.test(value))) delete tree.properties[key]
    }
  }
  if ('children' in tree) for (const child of tree.children) dropProtocolRelative(child)
}

/**
 * Nodes whose rendering depends on more of the tree than themselves: mdast-util-to-hast collects
 * the definitions of a tree before it renders it, and numbers its footnote references as it goes.
 */
const CONTEXTUAL = new Set(['definition', 'footnoteDefinition', 'footnoteReference'])

function contextual(node: Nodes): boolean {
  if (CONTEXTUAL.has(node.type)) return true
  if ('children' in node) for (const child of node.children) if (contextual(child)) return true
  return false
}

const CAPTURE = 'cheatdeckCaptureState'

/**
 * One mdast-util-to-hast state per set of options, made once: a fact's piece of a tree holds no
 * definitions and no footnotes (`contextual`), and then `state.one(node)` is what `toHast(node)`
 * gives, without a new state per call — `toHast` builds its handler table and walks the tree for
 * definitions every time, which was half of rendering (thousands of small pieces per build).
 */
const states = new WeakMap<RenderOptions, State>()

function stateFor(options: RenderOptions): State {
  const known = states.get(options)
  if (known) return known
  let captured: State | undefined
  const capture: Handler = (state) => {
    captured = state
    return undefined
  }
  toHast({ type: CAPTURE } as unknown as Nodes, { handlers: { ...handlersFor(options), [CAPTURE]: capture } as Handlers })
  if (!captured) throw new Error('internal: mdast-util-to-hast did not call the capturing handler')
  states.set(options, captured)
  return captured
}

function handlersFor(options: RenderOptions): Handlers {
  return { ...options.handlers, html: safeHtmlOrText }
}

function toHastOnce(node: Nodes, options: RenderOptions): HastNodes {
  if (contextual(node)) return toHast(node, { handlers: handlersFor(options) })
  const result = stateFor(options).one(node, undefined)
  return Array.isArray(result) ? { type: 'root', children: result } : result ?? { type: 'root', children: [] }
}

function convert(node: Nodes, options: RenderOptions): HastNodes {
  const hast = sanitize(toHastOnce(node, options), SCHEMA)
  dropProtocolRelative(hast)
  options.transform?.(hast)
  return hast
}

function serialize(nodes: HastNodes | ElementContent[], options: RenderOptions): string {
  const root: HastRoot = Array.isArray(nodes) ? { type: 'root', children: nodes } : { type: 'root', children: [nodes as ElementContent] }
  const html = toHtml(root)
  return options.finish ? options.finish(html) : html
}

/** Inline content (a paragraph's children) as HTML, with no wrapping element. */
export function renderInline(children: PhrasingContent[], options: RenderOptions = {}): string {
  const hast = convert({ type: 'paragraph', children }, options)
  return serialize(hast.type === 'element' ? hast.children : [], options)
}

/** Blocks as HTML; a lone paragraph is rendered inline (card fields read better without `<p>`). */
export function renderBlocks(blocks: Blocks, options: RenderOptions = {}): string {
  const [first] = blocks
  if (blocks.length === 1 && first?.type === 'paragraph') return renderInline(first.children, options)
  const hast = convert({ type: 'root', children: blocks }, options)
  return serialize(hast, options).trim()
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML (for strings the outputs build themselves). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

/** A cloze shown as bold text (the sheet, the dataset's display HTML, a Basic card's sides). */
export function clozeAsStrong(className?: string): Handler {
  return (state, node: import('mdast').Cloze) => ({
    type: 'element',
    tagName: 'strong',
    properties: className ? { className: [className] } : {},
    children: state.all(node),
  })
}
