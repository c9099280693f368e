/**
 * mdast → HTML for card fields and the sheet. Raw HTML in notes is shown as text, never passed
 * through; link and image URLs are kept only when they are web, mail or relative addresses.
 */
import type { Element, ElementContent, Root as HastRoot, Nodes as HastNodes } from 'hast'
import type { BlockContent, DefinitionContent, Nodes, PhrasingContent } from 'mdast'
import { toHtml } from 'hast-util-to-html'
import { toHast, type Handler, type State } from 'mdast-util-to-hast'

export type RenderMode = 'display' | 'cloze'

/** Placeholders for `:` and `}` inside an Anki cloze, so `AWS::AccountId` can't end the cloze early. */
const COLON = '\uE000'
const BRACE = '\uE001'
/**
 * In a cloze field every `{` of the notes (text, code, alt, URLs) becomes `&#x7B;`, so only the
 * cloze marks made here can open a `{{cN::…}}` (a `{{c5::x}}` in inline code would be a card).
 * The marks' own braces travel as MARK_OPEN.
 */
const OPEN = '\uE002'
const MARK_OPEN = '\uE003'

const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/)|\.{0,2}\/|[^:/?#]*(?:[/?#]|$))/i

const htmlAsText: Handler = (_state, node: { value: string }) => ({ type: 'text', value: node.value })

function clozeHandler(mode: RenderMode): Handler {
  return (state: State, node: import('mdast').Cloze) => {
    const children = state.all(node)
    if (mode === 'display') {
      return { type: 'element', tagName: 'strong', properties: { className: ['cloze'] }, children } satisfies Element
    }
    for (const child of children) protect(child)
    const hint = node.hint ? `::${node.hint.replaceAll(':', COLON).replaceAll('}', BRACE).replaceAll('{', OPEN)}` : ''
    return [{ type: 'text', value: `${MARK_OPEN}${MARK_OPEN}c${node.index}::` }, ...children, { type: 'text', value: `${hint}}}` }]
  }
}

function protect(node: HastNodes): void {
  if (node.type === 'text') node.value = node.value.replaceAll(':', COLON).replaceAll('}', BRACE)
  else if ('children' in node) for (const child of node.children) protect(child)
}

/** Every `{` of the notes in text and attribute values → OPEN (cloze mode). */
function protectOpeners(node: HastNodes): void {
  if (node.type === 'text') node.value = node.value.replaceAll('{', OPEN)
  if (node.type === 'element') {
    for (const [key, value] of Object.entries(node.properties)) {
      if (typeof value === 'string') node.properties[key] = value.replaceAll('{', OPEN)
      else if (Array.isArray(value)) node.properties[key] = value.map((v) => (typeof v === 'string' ? v.replaceAll('{', OPEN) : v))
    }
  }
  if ('children' in node) for (const child of node.children) protectOpeners(child)
}

function sanitizeUrls(node: HastNodes): void {
  if (node.type === 'element') {
    for (const key of ['href', 'src'] as const) {
      const value = node.properties[key]
      if (typeof value === 'string' && !SAFE_URL.test(value.trim())) delete node.properties[key]
    }
  }
  if ('children' in node) for (const child of node.children) sanitizeUrls(child)
}

function convert(node: Nodes, mode: RenderMode): HastNodes {
  const hast = toHast(node, { handlers: { cloze: clozeHandler(mode), html: htmlAsText } })
  sanitizeUrls(hast)
  if (mode === 'cloze') protectOpeners(hast)
  return hast
}

function serialize(nodes: HastNodes | ElementContent[]): string {
  const root: HastRoot = Array.isArray(nodes) ? { type: 'root', children: nodes } : { type: 'root', children: [nodes as ElementContent] }
  return toHtml(root).replaceAll(COLON, '&#x3A;').replaceAll(BRACE, '&#x7D;').replaceAll(OPEN, '&#x7B;').replaceAll(MARK_OPEN, '{')
}

/** Inline content (a paragraph's children) as HTML, with no wrapping element. */
export function renderInline(children: PhrasingContent[], mode: RenderMode = 'display'): string {
  const hast = convert({ type: 'paragraph', children }, mode)
  return serialize(hast.type === 'element' ? hast.children : [])
}

/** Blocks as HTML; a lone paragraph is rendered inline (card fields read better without `<p>`). */
export function renderBlocks(blocks: (BlockContent | DefinitionContent)[], mode: RenderMode = 'display'): string {
  const [first] = blocks
  if (blocks.length === 1 && first?.type === 'paragraph') return renderInline(first.children, mode)
  const hast = convert({ type: 'root', children: blocks }, mode)
  return serialize(hast).trim()
}

/** Escapes text for a cloze field's HTML: also `{`, so the text can't open a cloze. */
export function escapeClozeHtml(text: string): string {
  return escapeHtml(text).replaceAll('{', '&#x7B;')
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML (for strings the pipeline and the emitters build themselves). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}
