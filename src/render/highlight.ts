/**
 * Fenced code with a language, highlighted at build time by lowlight (highlight.js's grammars as
 * hast, the unified ecosystem's highlighter): `<span class="hljs-…">` tokens, styled by each
 * output (Anki: classes and a stylesheet with a night-mode variant; the sheet: inline colours,
 * see `inlineStyles`). Code is never run and never read as card markup. A language lowlight does
 * not know (or none) leaves the block as plain code, as before.
 */
import type { Element, ElementContent, Nodes as HastNodes } from 'hast'
import type { Code } from 'mdast'
import { common, createLowlight } from 'lowlight'
import { defaultHandlers, type Handler } from 'mdast-util-to-hast'

let lowlight: ReturnType<typeof createLowlight> | undefined

/** lowlight with highlight.js's common languages, made on first use: most notes have no fenced code with a language, and registering them was ~15 ms of every start. */
function highlighter(): ReturnType<typeof createLowlight> {
  return (lowlight ??= createLowlight(common))
}

/** The language a code block is highlighted in, or undefined (plain code). */
export function highlightLanguage(node: Code): string | undefined {
  const lang = node.lang?.toLowerCase()
  return lang && highlighter().registered(lang) ? lang : undefined
}

/** mdast-util-to-hast's `pre > code`, its text replaced by highlighted tokens when the language is known. */
export const highlightedCode: Handler = (state, node: Code) => {
  const pre = defaultHandlers.code(state, node) as Element
  const lang = highlightLanguage(node)
  const code = pre.children[0]
  if (!lang || code?.type !== 'element') return pre
  const tokens = highlighter().highlight(lang, node.value ? `${node.value}\n` : '').children as ElementContent[]
  const className = Array.isArray(code.properties['className']) ? code.properties['className'] : []
  code.properties['className'] = ['hljs', ...className]
  code.children = tokens
  return pre
}

/**
 * The sheet's print-safe light theme: dark inks on white, told apart by weight and slant as well
 * as hue, no backgrounds (so it reads the same without background graphics or in greyscale).
 */
export const PRINT_THEME: Readonly<Record<string, string>> = {
  'hljs-keyword': 'color:#8a1538;font-weight:700',
  'hljs-built_in': 'color:#7a3e00',
  'hljs-type': 'color:#7a3e00',
  'hljs-literal': 'color:#0a4a8f',
  'hljs-number': 'color:#0a4a8f',
  'hljs-string': 'color:#1c5a1c',
  'hljs-regexp': 'color:#1c5a1c',
  'hljs-comment': 'color:#57606a;font-style:italic',
  'hljs-meta': 'color:#57606a',
  'hljs-title': 'color:#5a2d91',
  'hljs-attr': 'color:#7a3e00',
  'hljs-attribute': 'color:#7a3e00',
  'hljs-variable': 'color:#7a3e00',
  'hljs-params': 'color:#24292f',
  'hljs-symbol': 'color:#0a4a8f',
  'hljs-section': 'color:#5a2d91;font-weight:700',
  'hljs-name': 'color:#8a1538',
  'hljs-tag': 'color:#24292f',
  'hljs-selector-tag': 'color:#8a1538',
  'hljs-bullet': 'color:#7a3e00',
  'hljs-deletion': 'color:#8a1538;text-decoration:line-through',
  'hljs-addition': 'color:#1c5a1c',
}

/** Replaces the `hljs-*` classes of highlighted tokens with the theme's inline style (the sheet has one stylesheet, kept as is). */
export function inlineStyles(node: HastNodes, theme: Readonly<Record<string, string>> = PRINT_THEME): void {
  if (node.type === 'element' && node.tagName === 'span' && Array.isArray(node.properties['className'])) {
    const classes = node.properties['className'].map(String)
    const style = classes.map((c) => theme[c]).filter(Boolean).join(';')
    const rest = classes.filter((c) => !c.startsWith('hljs-'))
    if (style) node.properties['style'] = style
    node.properties['className'] = rest.length ? rest : undefined
  }
  if ('children' in node) for (const child of node.children) inlineStyles(child, theme)
}
