/**
 * Math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`; nodes of remark-math) in each output's idiom: Anki
 * gets TeX in its own `\(…\)`/`\[…\]` delimiters (MathJax renders them on every platform); the
 * sheet gets MathML made at build time by Temml, which Chromium renders natively (no fonts, no
 * script); TeX that Temml cannot read is shown as its source.
 */
import type { Element, Nodes } from 'hast'
import { fromHtml } from 'hast-util-from-html'

import { createRequire } from 'node:module'
import type { InlineMath, Math } from 'mdast-util-math'
import type Temml from 'temml'
import type { Handler, Handlers } from 'mdast-util-to-hast'

let temml: typeof Temml | undefined

/**
 * Temml, loaded when the first TeX is read (its CommonJS build, synchronously): most notes hold
 * no math, and loading it cost ~50 ms of every build's start.
 */
function loadTemml(): typeof Temml {
  return (temml ??= createRequire(import.meta.url)('temml') as typeof Temml)
}

/** Whether a node of remark-math is display math (`$$…$$` blocks, `\[…\]`). */
function isDisplay(node: InlineMath | Math): boolean {
  return node.type === 'math' || node.data?.texDisplay === true
}

/** TeX → MathML, or why not: Temml's own message, and the offset in the TeX it points at. */
export function texToMathml(tex: string, display: boolean): { mathml: string } | { error: string; offset: number } {
  try {
    // trust: false (Temml's default) refuses \href and friends; the limits stop runaway macros.
    return { mathml: loadTemml().renderToString(tex, { displayMode: display, throwOnError: true, trust: false, maxExpand: 1000 }) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const position = (error as { position?: unknown }).position
    return { error: message.split(/ at position \d+|\n/)[0]?.replace(/^\s*/, '') ?? message, offset: typeof position === 'number' ? position : 0 }
  }
}

/** The warning for a math node whose TeX Temml cannot read (it is shown as its source), if any. */
export function texWarning(node: InlineMath | Math): string | undefined {
  const result = texToMathml(node.value, isDisplay(node))
  if (!('error' in result)) return undefined
  const shown = node.value.replace(/\s+/g, ' ').slice(0, 40)
  return `Unexpected TeX \`${shown}\` (${result.error}), expected TeX that renders; it is shown as written`
}

function source(node: InlineMath | Math): string {
  return isDisplay(node) ? `\\[${node.value}\\]` : `\\(${node.value}\\)`
}

const ankiInline: Handler = (_state, node: InlineMath) => ({ type: 'text', value: source(node) })
const ankiBlock: Handler = (_state, node: Math) => ({ type: 'element', tagName: 'div', properties: { className: ['math'] }, children: [{ type: 'text', value: source(node) }] })

/** Anki: TeX between Anki's MathJax delimiters, as text (escaped like any text of the field). */
export const ankiMathHandlers: Handlers = { inlineMath: ankiInline, math: ankiBlock }

/** TeX as `code.language-math` (what sanitizing keeps); `mathml` turns it into MathML afterwards. */
function texCode(node: InlineMath | Math): Element {
  const className = ['language-math', isDisplay(node) ? 'math-display' : 'math-inline']
  return { type: 'element', tagName: 'code', properties: { className }, children: [{ type: 'text', value: node.value }] }
}

/** The sheet, before sanitizing: math as TeX in code elements (display blocks in a `div.math`). */
export const texHandlers: Handlers = {
  inlineMath: (_state, node: InlineMath) => texCode(node),
  math: (_state, node: Math): Element => ({ type: 'element', tagName: 'div', properties: { className: ['math'] }, children: [texCode(node)] }),
}

/**
 * The sheet, after sanitizing: each `code.language-math` made MathML by Temml here (trusted
 * markup, so it is added after the sanitizer, which knows no MathML); TeX that cannot be read
 * stays its source, as `\(…\)`.
 */
export function mathml(tree: Nodes): void {
  // A plain walk: it runs on every rendering of the sheet.
  if (!('children' in tree)) return
  const children: Nodes[] = tree.children
  for (const [index, node] of children.entries()) {
    if (node.type !== 'element') continue
    const classes = Array.isArray(node.properties['className']) ? node.properties['className'] : []
    if (node.tagName !== 'code' || !classes.includes('language-math')) {
      mathml(node)
      continue
    }
    const tex = node.children.map((c) => (c.type === 'text' ? c.value : '')).join('')
    const display = classes.includes('math-display')
    const result = texToMathml(tex, display)
    const shown = display ? `\\[${tex}\\]` : `\\(${tex}\\)`
    const math = 'error' in result ? undefined : fromHtml(result.mathml, { fragment: true }).children[0]
    children[index] = math?.type === 'element' ? math : { type: 'element', tagName: 'code', properties: { className: ['tex-error'] }, children: [{ type: 'text', value: shown }] }
  }
}
