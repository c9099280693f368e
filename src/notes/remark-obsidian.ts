/**
 * remark-obsidian: the Obsidian syntax people's notes already hold, read into mdast.
 *
 * - `[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]` → a `wikiLink` node showing the link text
 *   (the alias, else the note and heading); the build points it at the topic when it is in the
 *   deck (`data.topic`), and the sheet links it there.
 * - `![[file.png]]`, `![[file.png|300]]` → an `image` node (`data.width` from `|300`); an embed of
 *   anything that is not an image reads as a link.
 * - `%%comment%%` → dropped, inline or as whole blocks; inline, whatever it holds (emphasis, a
 *   link, a bare address) goes with it. `%%` in code stays, and so does a paragraph's last `%%`
 *   when it has no partner (`50%% off`): text is never hidden without a closing mark.
 * Callouts (`> [!note] Title`) are read by the topic walker (parse.ts), which sees the blocks.
 */
import type { Parent, PhrasingContent, Root, RootContent, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Point } from 'unist'

// The `wikiLink` node and the image's `width` are declared with the Fact model, whose trees carry them.
import type {} from '../facts/model.ts'

const IMAGE = /\.(png|jpe?g|gif|webp|svg|avif|bmp)$/i
const LINK = /(!?)\[\[([^[\]|#^\n]+)(#[^[\]|\n]*)?(?:\|([^[\]\n]*))?\]\]/g
const MARK = '%%'

export default function remarkObsidian() {
  return (tree: Root, file: { value: unknown }) => {
    dropCommentBlocks(tree)
    dropInlineComments(tree)
    rewrite(tree, String(file.value))
  }
}

/** A comment spanning whole blocks: from a paragraph opening `%%` to the one closing it. */
function dropCommentBlocks(parent: Parent): void {
  const kept: RootContent[] = []
  let open = false
  for (const child of parent.children as RootContent[]) {
    if (open) {
      // Whatever the comment holds (a list, a quote) is dropped with it, up to its closing `%%`.
      if (marksIn(toString(child)).length % 2 === 1) open = false
      continue
    }
    const text = child.type === 'paragraph' && child.children.length === 1 && child.children[0]?.type === 'text' ? child.children[0].value : undefined
    const marks = text === undefined ? 0 : marksIn(text).length
    if (text?.trimStart().startsWith(MARK) && marks % 2 === 1) {
      open = true
      continue
    }
    if ('children' in child && child.type !== 'paragraph') dropCommentBlocks(child as Parent)
    kept.push(child)
  }
  parent.children = kept as Parent['children']
}

/** Inline comments in each block of text (paragraph, heading, table cell), across the inline nodes in it. */
function dropInlineComments(node: Parent): void {
  for (const child of node.children as RootContent[]) {
    if (child.type === 'paragraph' || child.type === 'heading' || child.type === 'tableCell') {
      // Marks are paired in order; an odd one out, the last, stays as text.
      const pairs = Math.floor(countMarks(child) / 2)
      if (pairs) stripComments(child, { open: false, left: pairs * 2 })
    } else if ('children' in child) dropInlineComments(child as Parent)
  }
}

/** The `%%` marks in the text of `node` (not in code, math or HTML, where they are literal). */
function countMarks(node: Parent): number {
  let count = 0
  for (const child of node.children as PhrasingContent[]) {
    if (child.type === 'text') count += marksIn(child.value).length
    else if ('children' in child) count += countMarks(child as Parent)
  }
  return count
}

function marksIn(value: string): number[] {
  const at: number[] = []
  for (let index = value.indexOf(MARK); index !== -1; index = value.indexOf(MARK, index + MARK.length)) at.push(index)
  return at
}

/** Drops what lies between paired marks: text cut at them, inline nodes inside a comment, and what a comment empties. */
function stripComments(node: Parent, state: { open: boolean; left: number }): void {
  const kept: PhrasingContent[] = []
  for (const child of node.children as PhrasingContent[]) {
    if (child.type === 'text') {
      const value = textOutside(child.value, state)
      if (value === child.value) kept.push(child)
      else if (value) kept.push({ ...child, value })
    } else if ('children' in child) {
      const open = state.open
      const before = child.children.length
      stripComments(child as Parent, state)
      // Gone when a comment emptied it; an empty one (`[](url)`) outside comments stays.
      if (child.children.length || (!before && !open)) kept.push(child)
    } else if (!state.open) kept.push(child)
  }
  node.children = kept as Parent['children']
}

/** The parts of a text outside comments, as the marks open and close them. */
function textOutside(value: string, state: { open: boolean; left: number }): string {
  let out = ''
  let from = 0
  for (const index of marksIn(value)) {
    if (state.left === 0) break
    if (!state.open) out += value.slice(from, index)
    state.open = !state.open
    state.left--
    from = index + MARK.length
  }
  return state.open ? out : out + value.slice(from)
}

function rewrite(node: Parent, source: string): void {
  const out: (RootContent | PhrasingContent)[] = []
  for (const child of node.children as (RootContent | PhrasingContent)[]) {
    if (child.type === 'text') out.push(...readText(child, source))
    else {
      if ('children' in child && child.type !== 'link' && child.type !== 'linkReference') rewrite(child as Parent, source)
      out.push(child)
    }
  }
  node.children = out as Parent['children']
}

/** A text node's links and embeds made nodes: those written as such, not `\[\[escaped\]\]`. */
function readText(text: Text, source: string): PhrasingContent[] {
  const value = text.value
  if (!value.includes('[[')) return [text]
  const start = text.position?.start.offset
  const end = text.position?.end.offset
  const written = start === undefined || end === undefined ? value : source.slice(start, end)
  const out: PhrasingContent[] = []
  let last = 0
  for (const match of value.matchAll(LINK)) {
    if (!written.includes(match[0])) continue
    if (match.index > last) out.push({ type: 'text', value: value.slice(last, match.index) })
    last = match.index + match[0].length
    const node = linkNode(match[1] === '!', (match[2] ?? '').trim(), match[3]?.slice(1).trim(), match[4]?.trim())
    const start = pointAt(text, value, match.index)
    if (start) node.position = { start, end: pointAt(text, value, last) ?? start }
    out.push(node)
  }
  if (last < value.length) out.push({ type: 'text', value: value.slice(last) })
  // Positions stay on the first piece, for messages about the text.
  if (out[0] && text.position) out[0].position = text.position
  return out
}

/** The point of a character of the text (counted in its value: exact unless the text had escapes or comments). */
function pointAt(text: Text, value: string, index: number): Point | undefined {
  const start = text.position?.start
  if (!start) return undefined
  const before = value.slice(0, index).split('\n')
  const line = start.line + before.length - 1
  const column = (before.length === 1 ? start.column : 1) + (before[before.length - 1]?.length ?? 0)
  return { line, column, offset: (start.offset ?? 0) + index }
}

function linkNode(embed: boolean, target: string, heading: string | undefined, alias: string | undefined): PhrasingContent {
  if (embed && IMAGE.test(target)) {
    const size = alias && /^(\d+)(x\d+)?$/.exec(alias)
    const image: PhrasingContent = { type: 'image', url: encodeURI(target), alt: size || !alias ? (target.split('/').pop() ?? target) : alias }
    if (size) image.data = { width: Number(size[1]) }
    return image
  }
  const shown = alias || (heading ? `${target} › ${heading}` : target)
  const link: PhrasingContent = { type: 'wikiLink', target, children: [{ type: 'text', value: shown }], data: { hName: 'span', hProperties: { className: ['wikilink'] } } }
  if (heading) link.heading = heading
  return link
}
