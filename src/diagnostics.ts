/**
 * Problems are vfile messages: a rule id, a place (a point or a range), a sentence in the
 * "Unexpected X, expected Y" form, `source: 'cheatdeck'`, a `url` to the rule's docs and, when
 * another place is involved (the first of two duplicates), a `cause` pointing there. `fatal` true
 * is an error, false a warning. Finding them (the stages) and showing them (the CLI) are apart.
 */
import { location } from 'vfile-location'
import { VFileMessage, type Options } from 'vfile-message'
import { compareMessage } from 'vfile-sort'
import type { SourcePosition } from './facts/model.ts'
import { findRule, ruleUrl, type RuleId } from './rules/index.ts'

export type Severity = 'error' | 'warning'

/** Where a problem is: a point, or a range when `end` is given. */
export interface Place extends SourcePosition {
  end?: { line: number; column: number }
}

/** The other place involved in a problem, and what happened there. */
export type Related = Place & { message: string }

/** A vfile message that knows its file and rule; `severity` reads `fatal`. */
export type Diagnostic = VFileMessage & {
  file: string
  ruleId: string
  line: number
  column: number
  readonly severity: Severity
}

export const SOURCE = 'cheatdeck'

/** Makes a positioned message, as `file.message()` would on the file at `place.file`. */
export function diagnostic(severity: Severity, ruleId: RuleId, place: Place, reason: string, related?: Related): Diagnostic {
  const options: Options = { place: toPosition(place), ruleId, source: SOURCE }
  if (related) options.cause = atFile(new VFileMessage(related.message, { place: toPosition(related), ruleId, source: SOURCE }), related.file)
  const message = atFile(new VFileMessage(reason, options), place.file)
  message.fatal = severity === 'error'
  return adopt(message)
}

/**
 * Takes a message made elsewhere (by a unified plugin on the file it parsed) as it is, adding
 * only what cheatdeck's messages all have: the docs `url`, and `severity`.
 */
export function adopt(message: VFileMessage): Diagnostic {
  if (message.ruleId && !message.url && findRule(message.ruleId)) message.url = ruleUrl(message.ruleId)
  if (!('severity' in message)) {
    // Read from `fatal`, so a deck's `rules:` setting (which sets `fatal`) is what it says.
    Object.defineProperty(message, 'severity', { get: (): Severity => (message.fatal ? 'error' : 'warning'), enumerable: false })
  }
  return message as Diagnostic
}

function atFile(message: VFileMessage, file: string): VFileMessage {
  message.file = file
  message.name = `${file}:${message.name}`
  return message
}

function toPosition(place: Place) {
  const start = { line: place.line, column: place.column }
  return place.end ? { start, end: place.end } : start
}

/** Collects the diagnostics of one run. */
export class Diagnostics {
  readonly list: Diagnostic[] = []

  error(ruleId: RuleId, place: Place, message: string, related?: Related): void {
    this.list.push(diagnostic('error', ruleId, place, message, related))
  }

  warn(ruleId: RuleId, place: Place, message: string, related?: Related): void {
    this.list.push(diagnostic('warning', ruleId, place, message, related))
  }
}

/** Orders diagnostics by file, then as remark does (position, errors first, rule id, reason). */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || compareMessage(a, b))
}

/** offset → `file:line:column` in one file's text (offsets past the end point at the end). */
export function positions(file: string, value: string): (offset: number) => SourcePosition {
  const points = location(value)
  return (offset) => {
    const point = points.toPoint(Math.max(0, Math.min(offset, value.length)))
    return { file, line: point?.line ?? 1, column: point?.column ?? 1 }
  }
}

/** A diagnostic as `--json` prints it: the fields it always had, and the range, source and url. */
export function diagnosticJson(d: Diagnostic) {
  const end = d.place && 'end' in d.place ? d.place.end : undefined
  const cause = d.cause instanceof VFileMessage ? d.cause : undefined
  return {
    file: d.file,
    line: d.line,
    column: d.column,
    ...(end ? { endLine: end.line, endColumn: end.column } : {}),
    ruleId: d.ruleId,
    severity: d.severity,
    message: d.reason,
    source: d.source,
    ...(d.url ? { url: d.url } : {}),
    ...(cause ? { related: { file: cause.file, line: cause.line, column: cause.column, message: cause.reason } } : {}),
  }
}
