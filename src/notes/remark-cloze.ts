/**
 * remark-cloze: turns cloze marks in text into `cloze` nodes.
 *
 * Two syntaxes people already type: `==key term==` (Obsidian's highlight, with the Obsidian Spaced
 * Repetition plugin's `==1;;key term;;hint==` number and hint) and Anki's own
 * `{{c1::key term}}` / `{{c1::key term::hint}}`. Marks must open and close within the same run of
 * inline content; problems are reported as positioned messages on the file.
 *
 * `==` marks as Obsidian draws highlights (and GFM `~~`): one opens only before text and closes
 * only after it, so the operator in `a == b` or `if (x == 1)` is text, as is a run of three or
 * more (`===`, `====`).
 */
import type { Nodes, Parent, PhrasingContent, Root, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Point, Position } from 'unist'
import type { VFile } from 'vfile'
// The mdast `cloze` node is declared with the Fact model, whose trees carry it.
import type {} from '../facts/model.ts'

type Cloze = import('mdast').Cloze

interface Open {
  kind: 'mark' | 'explicit'
  index: number
  start: Point
  opener: string
  children: PhrasingContent[]
  hint: string[] | undefined
}

const TOKEN = /\{\{c(\d+)::|\}\}|==|::/g
const SPACE = /\s/
const CONTAINERS = new Set(['strong', 'emphasis', 'delete'])
/** Text that shows nothing: spaces, zero-width and other default-ignorable characters, controls, the blank braille cell. */
const INVISIBLE = /^[\s\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\u2800]*$/u

/** `U+200B, U+2060`: the characters themselves would not show in a message either. */
function codePoints(text: string): string {
  const points = [...new Set([...text.trim()].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`))]
  return points.length > 3 ? `${points.slice(0, 3).join(', ')}, …` : points.join(', ')
}

/** Reports an error at a point or a span of the file. */
function report(file: VFile, ruleId: string, place: Point | Position | undefined, reason: string): void {
  const message = file.message(reason, { place: place ?? { line: 1, column: 1 }, ruleId, source: 'cheatdeck' })
  message.fatal = true
}

export default function remarkCloze() {
  return (tree: Root, file: VFile) => {
    const walk = (node: Nodes): void => {
      // Headings are never facts: a `==` in one stays text.
      if (node.type === 'heading') return
      if (node.type === 'paragraph' || node.type === 'tableCell') transformInline(node, file)
      else if ('children' in node) for (const child of node.children) walk(child)
    }
    walk(tree)
  }
}

/** Rewrites a parent's inline children, wrapping marked runs into cloze nodes. Returns whether it made any. */
function transformInline(parent: Parent, file: VFile): boolean {
  const run = new InlineRun(file)
  const children = parent.children as PhrasingContent[]
  children.forEach((child, index) => {
    if (child.type === 'text') run.text(child, index === children.length - 1)
    else run.node(child)
  })
  parent.children = run.finish() as Parent['children']
  return run.made
}

/** One run of inline content being rewritten: the nodes so far, and the cloze open in it, if any. */
class InlineRun {
  readonly out: PhrasingContent[] = []
  open: Open | undefined
  made = false

  constructor(private readonly file: VFile) {}

  /** Where content goes: into the open cloze, else the run. */
  private sink(): PhrasingContent[] {
    return this.open ? this.open.children : this.out
  }

  /** Text that is not a mark goes where the text around it goes (the hint, if one is open). */
  private literal(value: string): void {
    if (!value) return
    if (this.open?.hint) this.open.hint.push(value)
    else pushText(this.sink(), value)
  }

  private close(end: Point): void {
    const current = this.open
    if (!current) return
    this.open = undefined
    const hidden = toString({ type: 'paragraph', children: current.children })
    if (!hidden.trim()) {
      report(this.file, 'empty-cloze', { start: current.start, end }, `Unexpected empty cloze \`${current.opener}${current.kind === 'mark' ? '==' : '}}'}\`, expected the text to hide between the marks`)
      return
    }
    // A card whose answer is a zero-width space looks empty on every device.
    if (INVISIBLE.test(hidden)) {
      report(this.file, 'empty-cloze', { start: current.start, end }, `Unexpected cloze of only invisible characters (${codePoints(hidden)}), expected visible text to hide between the marks`)
      return
    }
    if (current.kind === 'mark') spacedRepetitionMarks(current)
    const cloze: Cloze = { type: 'cloze', index: current.index, explicit: current.kind === 'explicit' || current.index > 0, children: current.children }
    const hint = current.hint?.join('').trim()
    if (hint) cloze.hint = hint
    cloze.position = { start: current.start, end }
    this.out.push(cloze)
    this.made = true
  }

  /** Gives up the open cloze: its opener, text and hint go back as written (nothing is lost). */
  private abandon(): void {
    const current = this.open
    if (!current) return
    this.open = undefined
    pushText(this.out, current.opener)
    for (const c of current.children) this.out.push(c)
    if (current.hint) pushText(this.out, '::' + current.hint.join(''))
  }

  /** A text node (`atEnd`: nothing follows it in the run): its marks open and close clozes; the rest is text. */
  text(child: Text, atEnd = false): void {
    const locate = pointsIn(child)
    let last = 0
    for (const match of child.value.matchAll(TOKEN)) {
      const at = match.index
      const token = match[0]
      this.literal(child.value.slice(last, at))
      last = at + token.length
      const sides = token === '==' ? markSides(child.value, at, atEnd) : undefined
      if (sides && !sides.open && !sides.close) this.literal(token)
      else this.token(token, match[1], locate(at), () => locate(at + token.length), sides)
    }
    this.literal(child.value.slice(last))
  }

  /** One mark: `{{cN::`, `}}`, `==` or `::`, at `point` (`end`: the point after it). */
  private token(token: string, number: string | undefined, point: Point, end: () => Point, sides?: MarkSides): void {
    const open = this.open
    if (token.startsWith('{{')) {
      if (open) {
        report(this.file, 'nested-cloze', { start: point, end: end() }, `Unexpected \`${token}\` inside another cloze, expected clozes side by side, not nested`)
        if (open.kind === 'mark') return this.literal(token)
        // `{{c1::a::b {{c2::c}}`: the first was never closed; its `::` took a hint that isn't
        // one. Give it up, so the `}}` closes the second and no text goes into a hint.
        this.abandon()
      }
      const index = Number(number)
      if (!(index >= 1)) report(this.file, 'cloze-number', { start: point, end: end() }, `Unexpected cloze number ${number}, expected a number from 1 (\`{{c1::…}}\`)`)
      this.open = { kind: 'explicit', index: index >= 1 ? index : 0, start: point, opener: token, children: [], hint: undefined }
    } else if (token === '}}') {
      if (open?.kind === 'explicit') this.close(end())
      else pushText(this.sink(), token)
    } else if (token === '==') {
      if (open?.kind === 'mark') {
        if (sides?.close !== false) return this.close(end())
        // Before text, after a space: it opens the next mark, so the open one was never closed.
        this.unclosed(point)
        this.openMark(point)
      } else if (open) {
        report(this.file, 'nested-cloze', { start: point, end: end() }, 'Unexpected `==` inside a `{{c…::}}` cloze, expected clozes side by side, not nested')
        this.literal(token)
      } else if (sides?.open === false) pushText(this.sink(), token)
      else this.openMark(point)
    } else if (open?.kind === 'explicit' && !open.hint) {
      open.hint = []
    } else if (open?.hint) {
      open.hint.push(token)
    } else pushText(this.sink(), token)
  }

  private openMark(start: Point): void {
    this.open = { kind: 'mark', index: 0, start, opener: '==', children: [], hint: undefined }
  }

  /** Any other inline node: searched for clozes inside (emphasis), or kept whole (a link). */
  node(child: PhrasingContent): void {
    if (child.type === 'link' || child.type === 'linkReference') {
      if (holdsMarkup(toString(child))) {
        report(this.file, 'cloze-in-link', child.position, 'Unexpected cloze mark inside a link, expected the cloze around the whole link (`==[text](url)==`)')
      }
    } else if (CONTAINERS.has(child.type)) {
      const nested = transformInline(child as Parent, this.file)
      if (nested && this.open) {
        report(this.file, 'nested-cloze', child.position, 'Unexpected cloze inside another cloze, expected clozes side by side, not nested')
      }
      this.made ||= nested
    }
    if (this.open?.hint) this.open.hint.push(toString(child))
    else this.sink().push(child)
  }

  /** The run's nodes; a cloze still open is reported and given back as text. */
  finish(): PhrasingContent[] {
    this.unclosed()
    return this.out
  }

  /** The open cloze, never closed (by the end of the text, or before `next` opened another): reported, and given back as text. */
  private unclosed(next?: Point): void {
    const current = this.open
    if (!current) return
    const closer = current.kind === 'mark' ? '==' : '}}'
    const where = next ? `\`==\` at ${next.line}:${next.column} opening another` : 'end of text'
    report(this.file, 'malformed-cloze', { start: current.start, end: { line: current.start.line, column: current.start.column + current.opener.length } }, `Unexpected ${where} in cloze \`${current.opener}\`, expected \`${closer}\` to close it`)
    this.abandon()
  }
}

/**
 * The Spaced Repetition plugin's `==N;;answer;;hint==`: a leading `N;;` numbers the cloze (as
 * `{{cN::…}}` does), a trailing `;;hint` is its hint. Only in the mark's own text.
 */
function spacedRepetitionMarks(open: Open): void {
  const first = open.children[0]
  const number = first?.type === 'text' ? /^(\d+);;/.exec(first.value) : null
  if (first?.type === 'text' && number && Number(number[1]) >= 1 && first.value.length > number[0].length) {
    open.index = Number(number[1])
    first.value = first.value.slice(number[0].length)
  }
  const last = open.children[open.children.length - 1]
  const hint = last?.type === 'text' ? last.value.lastIndexOf(';;') : -1
  if (last?.type === 'text' && hint > 0) {
    open.hint = [last.value.slice(hint + 2)]
    last.value = last.value.slice(0, hint)
  }
}

function pushText(list: PhrasingContent[], value: string): void {
  if (!value) return
  const last = list[list.length - 1]
  if (last?.type === 'text') (last as Text).value += value
  else list.push({ type: 'text', value })
}

/**
 * Points of a text node's characters, from its start point and the text itself: each call walks
 * on from the last (marks come in order), so a file's clozes cost one pass, not a rescan of the
 * file from its start per mark.
 */
function pointsIn(text: Text): (index: number) => Point {
  const start = text.position?.start ?? { line: 1, column: 1, offset: 0 }
  let at = 0
  let line = start.line
  let column = start.column
  return (index) => {
    if (index < at) [at, line, column] = [0, start.line, start.column]
    for (; at < index; at++) {
      if (text.value.charCodeAt(at) === 10) {
        line++
        column = 1
      } else column++
    }
    return { line, column, offset: (start.offset ?? 0) + index }
  }
}

/**
 * Numbers a fact's `==…==` clozes: each takes the next number not used by an explicit
 * `{{cN::…}}` of the same fact, in document order.
 */
export function numberClozes(clozes: Cloze[]): void {
  const used = new Set(clozes.filter((c) => c.explicit && c.index > 0).map((c) => c.index))
  let next = 1
  for (const cloze of clozes) {
    if (cloze.index > 0) continue
    while (used.has(next)) next++
    cloze.index = next
    used.add(next)
  }
}

/** A `{{cN::`, or a `==` that could open or close a mark (`markSides`): cloze markup in a link's text. */
function holdsMarkup(text: string): boolean {
  if (/\{\{c\d+::/.test(text)) return true
  for (let at = text.indexOf('=='); at !== -1; at = text.indexOf('==', at + 1)) {
    const sides = markSides(text, at, false)
    if (sides.open || sides.close) return true
  }
  return false
}

interface MarkSides {
  /** Text or an inline node follows: it may open a mark. */
  open: boolean
  /** Text precedes it (or another inline node): it may close one. */
  close: boolean
}

/**
 * Where the `==` at `at` of a text may stand, as a flanking delimiter; neither when it is part of
 * `===`. At the text's edge the neighbour is an inline node (`==**bold**==`), or nothing at the
 * run's end (`atEnd`), where no mark opens.
 */
function markSides(value: string, at: number, atEnd: boolean): MarkSides {
  const before = value[at - 1]
  const after = value[at + 2]
  if (before === '=' || after === '=') return { open: false, close: false }
  return { open: after === undefined ? !atEnd : !SPACE.test(after), close: before === undefined || !SPACE.test(before) }
}
