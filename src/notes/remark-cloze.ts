/**
 * remark-cloze: turns cloze marks in text into `cloze` nodes.
 *
 * Two syntaxes people already type: `==key term==` (Obsidian's highlight) and Anki's own
 * `{{c1::key term}}` / `{{c1::key term::hint}}`. Marks must open and close within the same run of
 * inline content; problems are reported as positioned messages on the file.
 */
import type { Parent, PhrasingContent, Root, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Point } from 'unist'
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
const CONTAINERS = new Set(['strong', 'emphasis', 'delete'])

/** Reports a problem at a point of the file; errors are `fatal` messages. */
export function report(file: VFile, ruleId: string, place: Point | undefined, reason: string, fatal = true): void {
  const message = file.message(reason, { place: place ? { line: place.line, column: place.column } : { line: 1, column: 1 }, ruleId, source: 'cheatdeck' })
  message.fatal = fatal
}

export default function remarkCloze() {
  return (tree: Root, file: VFile) => {
    visitBlocks(tree as Parent, file)
  }
}

function visitBlocks(node: Parent, file: VFile): void {
  for (const child of node.children) {
    if (child.type === 'paragraph' || child.type === 'tableCell') transformInline(child, file)
    else if ('children' in child && child.type !== 'heading') visitBlocks(child as Parent, file)
  }
}

/** Rewrites a parent's inline children, wrapping marked runs into cloze nodes. Returns whether it made any. */
function transformInline(parent: Parent, file: VFile): boolean {
  const out: PhrasingContent[] = []
  let open: Open | undefined
  let made = false
  const sink = (): PhrasingContent[] => (open ? open.children : out)

  const close = (end: Point): void => {
    if (!open) return
    const current = open
    open = undefined
    if (!toString({ type: 'paragraph', children: current.children }).trim()) {
      report(file, 'empty-cloze', current.start, `Unexpected empty cloze \`${current.opener}${current.kind === 'mark' ? '==' : '}}'}\`, expected the text to hide between the marks`)
      return
    }
    const cloze: Cloze = { type: 'cloze', index: current.index, explicit: current.kind === 'explicit', children: current.children }
    const hint = current.hint?.join('').trim()
    if (hint) cloze.hint = hint
    cloze.position = { start: current.start, end }
    out.push(cloze)
    made = true
  }

  /** Gives up the open cloze: its opener, text and hint go back as written (nothing is lost). */
  const abandon = (): void => {
    if (!open) return
    const current: Open = open
    open = undefined
    pushText(out, current.opener)
    for (const c of current.children) out.push(c)
    if (current.hint) pushText(out, '::' + current.hint.join(''))
  }

  for (const child of parent.children as PhrasingContent[]) {
    if (child.type === 'text') {
      const locate = pointsIn(child)
      let last = 0
      // A mark that is not one stays text, where the text around it goes (the hint, if one is open).
      const literalToken = (token: string): void => {
        if (open?.hint) open.hint.push(token)
        else pushText(sink(), token)
      }
      const literal = (to: number): void => {
        if (to <= last) return
        const value = child.value.slice(last, to)
        if (open?.hint) open.hint.push(value)
        else pushText(sink(), value)
      }
      for (const match of child.value.matchAll(TOKEN)) {
        const at = match.index
        const token = match[0]
        literal(at)
        last = at + token.length
        const point = locate(at)
        if (token.startsWith('{{')) {
          if (open) {
            report(file, 'nested-cloze', point, `Unexpected \`${token}\` inside another cloze, expected clozes side by side, not nested`)
            if (open.kind === 'mark') {
              literalToken(token)
              continue
            }
            // `{{c1::a::b {{c2::c}}`: the first was never closed; its `::` took a hint that isn't
            // one. Give it up, so the `}}` closes the second and no text goes into a hint.
            abandon()
          }
          const index = Number(match[1])
          if (!(index >= 1)) report(file, 'cloze-number', point, `Unexpected cloze number ${match[1]}, expected a number from 1 (\`{{c1::…}}\`)`)
          open = { kind: 'explicit', index: index >= 1 ? index : 0, start: point, opener: token, children: [], hint: undefined }
        } else if (token === '}}') {
          if (open?.kind === 'explicit') close(locate(at + 2))
          else pushText(sink(), token)
        } else if (token === '==') {
          if (open?.kind === 'mark') close(locate(at + 2))
          else if (open) {
            report(file, 'nested-cloze', point, 'Unexpected `==` inside a `{{c…::}}` cloze, expected clozes side by side, not nested')
            literalToken(token)
          } else open = { kind: 'mark', index: 0, start: point, opener: '==', children: [], hint: undefined }
        } else if (open?.kind === 'explicit' && !open.hint) {
          open.hint = []
        } else if (open?.hint) {
          open.hint.push(token)
        } else pushText(sink(), token)
      }
      literal(child.value.length)
      continue
    }
    if (child.type === 'link' || child.type === 'linkReference') {
      const inner = toString(child)
      const found = inner.search(/==|\{\{c\d+::/)
      if (found >= 0) {
        report(file, 'cloze-in-link', child.position?.start, 'Unexpected cloze mark inside a link, expected the cloze around the whole link (`==[text](url)==`)')
      }
    } else if (CONTAINERS.has(child.type)) {
      const nested = transformInline(child as Parent, file)
      if (nested && open) {
        report(file, 'nested-cloze', child.position?.start, 'Unexpected cloze inside another cloze, expected clozes side by side, not nested')
      }
      made ||= nested
    }
    if (open?.hint) open.hint.push(toString(child))
    else sink().push(child)
  }

  if (open) {
    const current: Open = open
    const closer = current.kind === 'mark' ? '==' : '}}'
    report(file, 'malformed-cloze', current.start, `Unexpected end of text in cloze \`${current.opener}\`, expected \`${closer}\` to close it`)
    abandon()
  }
  parent.children = out as Parent['children']
  return made
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
