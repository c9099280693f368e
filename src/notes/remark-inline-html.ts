/**
 * Inline HTML tags that come in pairs across markdown (`H<sub>2</sub>O`: the parser makes
 * `<sub>` and `</sub>` two `html` nodes with text between) joined into one element node, so each
 * output renders it as that element; `<br>` becomes a line break. Only the safe tags of
 * `render/safe-html.ts`, without attributes; anything else stays an `html` node (shown as text).
 */
import type { Parent, PhrasingContent, Root } from 'mdast'

const PAIRED = new Set(['sub', 'sup', 'kbd', 'mark', 'u', 'details', 'summary'])
const OPEN = /^<([a-z]+)>$/i
const BREAK = /^<br\s*\/?>$/i

export default function remarkInlineHtml() {
  return (tree: Root) => visit(tree)
}

function visit(parent: Parent): void {
  for (const child of parent.children) if ('children' in child) visit(child as Parent)
  if (!parent.children.some((c) => c.type === 'html')) return
  parent.children = join(parent.children as PhrasingContent[]) as Parent['children']
}

function join(children: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = []
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as PhrasingContent
    if (child.type === 'html' && BREAK.test(child.value.trim())) {
      out.push({ type: 'break', ...(child.position ? { position: child.position } : {}) })
      continue
    }
    const tag = child.type === 'html' ? OPEN.exec(child.value.trim())?.[1]?.toLowerCase() : undefined
    const close = tag && PAIRED.has(tag) ? closing(children, i, tag) : -1
    if (!tag || close < 0) {
      out.push(child)
      continue
    }
    // An emphasis node renamed: toString, cloze marks and the rest read it as any inline container.
    out.push({ type: 'emphasis', data: { hName: tag }, children: join(children.slice(i + 1, close)), ...(child.position ? { position: child.position } : {}) })
    i = close
  }
  return out
}

/** The index of the `</tag>` that closes the one at `start`, or -1. */
function closing(children: PhrasingContent[], start: number, tag: string): number {
  let depth = 0
  for (let i = start; i < children.length; i++) {
    const child = children[i]
    if (child?.type !== 'html') continue
    const value = child.value.trim().toLowerCase()
    if (value === `<${tag}>`) depth++
    else if (value === `</${tag}>` && --depth === 0) return i
  }
  return -1
}
