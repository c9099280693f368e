/**
 * A nesting limit, checked on the text before it is parsed: the markdown parser takes time that
 * grows faster than the square of the depth of nested block quotes and lists (2 000 nested lists:
 * half a minute), and the tree walkers after it recurse until the stack overflows. Notes never
 * need more than a handful of levels.
 */
import type { Point } from 'unist'

/** Deepest block quotes and lists a line may open, counted as `containerDepth` does. */
export const MAX_NESTING = 100

/** A list item marker (`-`, `+`, `*`, `1.`, `1)`) before a space or the line end; a footnote definition's `[^label]:`. */
const MARKER = /(?:[-+*]|\d{1,9}[.)])(?=[ \t\n]|$)|\[\^[^\]\n]{1,999}\]:/y
/** The rest of a line that is a thematic break (`- - -`, `***`): no list, whatever it starts with. */
const THEMATIC_BREAK = /([-*_])(?:[ \t]*\1){2,}[ \t]*(?:\n|$)/y

/**
 * Where a line opens block quotes and lists nested deeper than `limit`, or undefined. Per line,
 * the depth counted is an upper bound of the real one: each `>`, list marker and footnote label
 * at the start of the line, plus one level for every two columns of indentation before and
 * between them (a nested list's lines are indented by at least two columns per level; the space
 * after a marker is the marker's). Lines that open no container (text, code) are never deeper
 * than the lines before them, so they are skipped. One pass over the text.
 */
export function findTooDeep(value: string, limit = MAX_NESTING): Point | undefined {
  let line = 1
  for (let start = 0; start <= value.length; line++) {
    const newline = value.indexOf('\n', start)
    const end = newline === -1 ? value.length : newline
    const at = openedTooDeep(value, start, end, limit)
    if (at !== undefined) return { line, column: at - start + 1, offset: at }
    start = end + 1
  }
  return undefined
}

/** The offset in the line where its containers pass `limit`. */
function openedTooDeep(value: string, start: number, end: number, limit: number): number | undefined {
  let opened = 0
  let columns = 0
  let i = start
  while (i < end) {
    const code = value.charCodeAt(i)
    if (code === 32 || code === 9) {
      columns += code === 9 ? 4 : 1
      i++
      continue
    }
    const from = i
    if (code === 62) {
      i++
    } else {
      THEMATIC_BREAK.lastIndex = i
      if (THEMATIC_BREAK.test(value)) break
      MARKER.lastIndex = i
      if (!MARKER.test(value)) break
      i = MARKER.lastIndex
    }
    opened++
    if (opened + Math.floor(columns / 2) > limit) return from
    // The space after a marker is part of it, not the indentation of a container of its own.
    if (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9) i++
  }
  return undefined
}
