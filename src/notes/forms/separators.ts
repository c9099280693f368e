/**
 * Where a fact's question ends and its answer starts, in the Obsidian Spaced Repetition plugin's
 * syntaxes: `Question::Answer` on one line (`:::` reversed), or question lines, a line holding
 * only `?` (`??` reversed), answer lines. Only the paragraph's own text is searched: a separator
 * in code, a link or a cloze is not one.
 */
import type { Paragraph, PhrasingContent, Text } from 'mdast'
import type { Blocks, Inline, QuestionParts } from '../../facts/model.ts'
import { blocksText, plain } from './text.ts'

export interface Split {
  question: Inline
  answer: Blocks
}

/** The first separator of the paragraph's text: `::`/`:::` inline, or a `?`/`??` line. */
interface Found {
  child: number
  start: number
  end: number
  reversed: boolean
  line: boolean
}

// `:::` before `::`; a run of four or more colons is not a separator. A `?`/`??` line stands alone.
const SEPARATOR = /(?<!:)(:::?)(?!:)|(?:^|\n)[ \t]*(\?\??)[ \t]*(?=\n|$)/gu
const WORD = /[\p{L}\p{N}_]/u

/**
 * `AWS::Region`, `std::vector`: letters on both sides of `::` make a name, not a card. The
 * characters around it may be in the text nodes beside this one (`{{c1::` given back as text).
 */
function isName(children: PhrasingContent[], i: number, start: number, end: number): boolean {
  const value = (children[i] as Text).value
  const before = value[start - 1] ?? edgeText(children[i - 1], 'end')
  const after = value[end] ?? edgeText(children[i + 1], 'start')
  return WORD.test(before) && WORD.test(after)
}

function edgeText(node: PhrasingContent | undefined, edge: 'start' | 'end'): string {
  if (node?.type !== 'text') return ''
  return (edge === 'start' ? node.value[0] : node.value[node.value.length - 1]) ?? ''
}

function find(children: PhrasingContent[]): Found | undefined {
  for (let i = 0; i < children.length; i++) {
    const child = children[i]
    if (child?.type !== 'text') continue
    for (const match of child.value.matchAll(SEPARATOR)) {
      const line = match[2] !== undefined
      // A `?` at the start of a text node after other inline content is not on a line of its own.
      if (line && match.index === 0 && !match[0].startsWith('\n') && i > 0) continue
      if (match[1] === '::' && isName(children, i, match.index, match.index + 2)) continue
      return { child: i, start: match.index, end: match.index + match[0].length, reversed: (match[1] ?? match[2] ?? '').length === (line ? 2 : 3), line }
    }
  }
  return undefined
}

/**
 * Splits the item's blocks at the first separator of its first paragraph, when it is of the
 * wanted kind (`reversed` or not) and both sides hold something. The answer keeps the blocks
 * after the paragraph (a nested list under `?` answer lines).
 */
export function splitCard(blocks: Blocks, reversed: boolean): Split | undefined {
  const [first, ...rest] = blocks
  if (first?.type !== 'paragraph') return undefined
  const found = find(first.children)
  if (!found || found.reversed !== reversed) return undefined
  const children = first.children
  const node = children[found.child] as Text
  const before = node.value.slice(0, found.start).trimEnd()
  const after = node.value.slice(found.end).replace(/^[ \t]*\n?/, '').trimStart()
  const question = [...children.slice(0, found.child), ...(before ? [{ type: 'text', value: before } as Text] : [])]
  const answerInline = [...(after ? [{ type: 'text', value: after } as Text] : []), ...children.slice(found.child + 1)]
  const answer: Blocks = answerInline.length ? [{ type: 'paragraph', children: answerInline } as Paragraph, ...rest] : rest
  if (!plain(question) || answer.length === 0) return undefined
  return { question, answer }
}

/**
 * A question/answer fact read from the item's blocks (`reversed`: the `:::`/`??` kind), with its
 * searchable text and key words; what the Basic and the Reversed forms share.
 */
export function questionAnswer(blocks: Blocks, reversed: boolean): { parts: QuestionParts; text: string; keyWords: string } | undefined {
  const split = splitCard(blocks, reversed)
  if (!split) return undefined
  const parts = { question: plain(split.question), answer: blocksText(split.answer), questionTree: split.question, answerTree: split.answer }
  return { parts, text: `${parts.question} ${parts.answer}`.trim(), keyWords: parts.question }
}
