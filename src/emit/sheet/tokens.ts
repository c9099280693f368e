/**
 * Long unbroken tokens (ARNs, hashes, URLs) on the sheet. A table column is never narrower than
 * its longest word, so one 120-character ARN would push a table out of its column; breaking
 * every word anywhere instead would let the other columns shrink to a letter. So only tokens too
 * long for any column are wrapped in `<span class="long-token">`, which may break anywhere.
 * A transform of the rendered tree (hast): it sees text only, never tags or attributes.
 */
import type { ElementContent, Nodes } from 'hast'

/** Characters without a space, as the text shows them. */
export const LONG_TOKEN_CHARS = 30
/**
 * Shorter tokens with inner punctuation (`registry.index_name`, `a/b/c`) get a break opportunity
 * (`<wbr>`) after it: a table column of dotted names can then be as narrow as their parts.
 */
export const PUNCTUATED_TOKEN_CHARS = 12
const INNER_PUNCTUATION = /[./:_=,]+(?=\S)/g
const TOKEN = /\S+/g

/** Marks the long tokens of every text node in the tree, in place (a plain walk: it runs on every rendering). */
export function markLongTokens(tree: Nodes): void {
  if (!('children' in tree)) return
  const children: Nodes[] = tree.children
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    if (child.type !== 'text') {
      markLongTokens(child)
      continue
    }
    const pieces = split(child.value)
    if (!pieces) continue
    children.splice(index, 1, ...pieces)
    index += pieces.length - 1
  }
}

/** The text as text, spans and `<wbr>`s; undefined when nothing in it is long. */
function split(value: string): ElementContent[] | undefined {
  if (value.length < PUNCTUATED_TOKEN_CHARS) return undefined
  const out: ElementContent[] = []
  let text = ''
  let changed = false
  let last = 0
  for (const match of value.matchAll(TOKEN)) {
    const token = match[0]
    text += value.slice(last, match.index)
    last = match.index + token.length
    if (token.length >= LONG_TOKEN_CHARS) {
      out.push(...textNode(text), { type: 'element', tagName: 'span', properties: { className: ['long-token'] }, children: [{ type: 'text', value: token }] })
      text = ''
      changed = true
    } else if (token.length >= PUNCTUATED_TOKEN_CHARS && /[./:_=,]\S/.test(token)) {
      let from = 0
      for (const punctuation of token.matchAll(INNER_PUNCTUATION)) {
        const end = punctuation.index + punctuation[0].length
        out.push(...textNode(text + token.slice(from, end)), { type: 'element', tagName: 'wbr', properties: {}, children: [] })
        text = ''
        from = end
      }
      text = token.slice(from)
      changed = true
    } else {
      text += token
    }
  }
  out.push(...textNode(text + value.slice(last)))
  return changed ? out : undefined
}

function textNode(value: string): ElementContent[] {
  return value ? [{ type: 'text', value }] : []
}
