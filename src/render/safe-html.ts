/**
 * The inline HTML people write in notes, kept when it is safe: `<br>`, `<sub>`, `<sup>`, `<kbd>`,
 * `<mark>`, `<u>`, `<details>`/`<summary>` (only `open` as an attribute), checked by
 * hast-util-sanitize with that schema. Anything else is shown as text, never run (and warned
 * about by the parser, see `isSafeHtml`).
 */
import type { ElementContent, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { sanitize, type Schema } from 'hast-util-sanitize'
import { toHtml } from 'hast-util-to-html'

export const SAFE_TAGS = ['br', 'sub', 'sup', 'kbd', 'mark', 'u', 'details', 'summary'] as const
const VOID = new Set(['br'])

const SCHEMA: Schema = { tagNames: [...SAFE_TAGS], attributes: { details: ['open'] }, strip: ['script', 'style'], protocols: {}, required: {}, ancestors: {}, clobber: [] }

/** The HTML as safe hast, or undefined when the sanitizer would change it or its tags do not pair up. */
export function safeHtml(value: string): Root | undefined {
  const tags = [...value.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9-]*)/g)]
  const opened = tags.filter((t) => !t[1] && !VOID.has((t[2] ?? '').toLowerCase())).length
  const closed = tags.filter((t) => t[1]).length
  if (opened !== closed || /<!--|<!|<\?/.test(value)) return undefined
  const tree = fromHtml(value, { fragment: true })
  const clean = sanitize(tree, SCHEMA) as Root
  return toHtml(clean) === toHtml(tree) ? clean : undefined
}

export function isSafeHtml(value: string): boolean {
  return safeHtml(value) !== undefined
}

/** The node's children as hast: sanitized HTML when safe, else its text. */
export function htmlContent(value: string): ElementContent[] {
  const tree = safeHtml(value)
  return tree ? (tree.children as ElementContent[]) : [{ type: 'text', value }]
}
