/**
 * Diagnostics for people, laid out as remark-cli (vfile-reporter) does: a block per file, a row
 * per message — place, severity, reason, rule, source — in aligned columns, the other place
 * involved under it as its `[cause]`, then one summary line (`✖ 12 problems (3 errors, 9
 * warnings)`) and, when there are many, how many each rule found. Plain text: the CLI prints it.
 */
import { stringifyPosition } from 'unist-util-stringify-position'
import { VFileMessage } from 'vfile-message'
import { statistics } from 'vfile-statistics'
import { sortDiagnostics, type Diagnostic } from './diagnostics.ts'

/** From this many problems on, the summary also counts them per rule. */
export const MANY_PROBLEMS = 10

type Row = string[] | string

/** The report of `diagnostics`, or `''` when there are none. */
export function formatReport(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return ''
  const rows: Row[] = []
  let file: string | undefined
  for (const message of sortDiagnostics(diagnostics)) {
    if (message.file !== file) {
      if (file !== undefined) rows.push('')
      file = message.file
      rows.push(escapeControls(file))
    }
    rows.push(messageRow(message))
    if (message.cause instanceof VFileMessage) {
      const cause = message.cause
      rows.push('  [cause]:', [`    ${escapeControls(cause.file ?? '')}:${stringifyPosition(cause.place)}`, 'info', escapeControls(cause.reason), cause.ruleId ?? '', cause.source ?? ''])
    }
  }
  rows.push('', ...summary(diagnostics))
  return align(rows)
}

function messageRow(message: Diagnostic): string[] {
  return [stringifyPosition(message.place), message.severity, escapeControls(message.reason), message.ruleId, message.source ?? '']
}

/** Control characters, line and bidi-override characters, which file names and notes may hold. */
const CONTROLS = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Escapes what would break a one-line message or rewrite the terminal (a newline in a file name,
 * an ANSI escape, a right-to-left override) as `\n`, `\x1b`, `\u202e`.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
}

/** `✖ 3 problems (1 error, 2 warnings)`, then the count per rule when there are many. */
function summary(diagnostics: readonly Diagnostic[]): string[] {
  const { fatal, warn, total } = statistics([...diagnostics])
  const errors = `${fatal} error${fatal === 1 ? '' : 's'}`
  const warnings = `${warn} warning${warn === 1 ? '' : 's'}`
  const line = fatal && warn ? `✖ ${total} problems (${errors}, ${warnings})` : fatal ? `✖ ${errors}` : `⚠ ${warnings}`
  if (total < MANY_PROBLEMS) return [line]
  const perRule = new Map<string, number>()
  for (const d of diagnostics) perRule.set(d.ruleId, (perRule.get(d.ruleId) ?? 0) + 1)
  const counts = [...perRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([rule, count]) => `${count} ${rule}`)
  return [line, `  by rule: ${counts.join(', ')}`]
}

/** Pads each column of the rows to its widest cell plus one space, as vfile-reporter does. */
function align(rows: readonly Row[]): string {
  const widths: number[] = []
  for (const row of rows) {
    if (typeof row === 'string') continue
    row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, [...cell].length)))
  }
  return rows
    .map((row) => (typeof row === 'string' ? row : row.map((cell, index) => cell + ' '.repeat((widths[index] ?? 0) + 1 - [...cell].length)).join('').trimEnd()))
    .join('\n')
}
