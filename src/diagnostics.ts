/**
 * Problems are data: a rule id, a severity, a position and a sentence in the
 * "Unexpected X, expected Y" form. Finding them (the stages) and showing them (the CLI) are apart.
 */
import type { SourcePosition } from './facts/model.ts'

export type Severity = 'error' | 'warning'

export interface Diagnostic extends SourcePosition {
  /** Stable kebab-case rule id, e.g. `duplicate-id`. */
  ruleId: string
  severity: Severity
  message: string
  /** The other place involved, e.g. the first of two duplicate ids. */
  related?: SourcePosition & { message: string }
}

/** Collects the diagnostics of one run. */
export class Diagnostics {
  readonly list: Diagnostic[] = []

  error(ruleId: string, place: SourcePosition, message: string, related?: Diagnostic['related']): void {
    this.add('error', ruleId, place, message, related)
  }

  warn(ruleId: string, place: SourcePosition, message: string, related?: Diagnostic['related']): void {
    this.add('warning', ruleId, place, message, related)
  }

  private add(
    severity: Severity,
    ruleId: string,
    place: SourcePosition,
    message: string,
    related: Diagnostic['related'] | undefined,
  ): void {
    const diagnostic: Diagnostic = { file: place.file, line: place.line, column: place.column, ruleId, severity, message }
    if (related) diagnostic.related = related
    this.list.push(diagnostic)
  }

  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error')
  }
}

/** Orders diagnostics by file, then position, so output is stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  )
}

/** `file:line:col: severity message [rule-id]`, plus the related place on its own line. */
export function formatDiagnostic(d: Diagnostic): string {
  let line = `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.message} [${d.ruleId}]`
  if (d.related) line += `\n  ${d.related.file}:${d.related.line}:${d.related.column}: ${d.related.message}`
  return line
}
