/**
 * `check`: compile the notes and write nothing; with `locked`, also fail when the committed
 * lockfile does not match them. Home of the one `lockfile-outdated` message, which `build`
 * uses too.
 */
import { compile, type CompileOptions, type CompileResult } from './compile.ts'
import { diagnostic, type Diagnostic } from './diagnostics.ts'
import { LOCKFILE } from './notes/read.ts'

export interface CheckOptions extends CompileOptions {
  /** Fail when the lockfile is missing or out of date (CI), like `npm ci`. */
  locked?: boolean
}

export type CheckResult = CompileResult

export async function check(options: CheckOptions): Promise<CheckResult> {
  const result = await compile(options)
  const outdated = result.ok && options.locked ? lockfileOutdated(result, result.lockText) : undefined
  return outdated ? { ...result, ok: false, diagnostics: [...result.diagnostics, outdated] } : result
}

/**
 * With `--locked`: the error when the lockfile a build would write (`next`) differs from the one
 * on disk. `reasons` are what else than the facts changed it (e.g. the Anki templates).
 */
export function lockfileOutdated(compiled: CompileResult, next: string, reasons: readonly string[] = []): Diagnostic | undefined {
  const previous = compiled.previousLockText
  if (next === previous) return undefined
  const why = [...(compiled.lockText === previous ? [] : [describeChanges(compiled)]), ...reasons]
  const what = previous === undefined ? 'no lockfile' : `a lockfile that is out of date (${why.join('; ')})`
  return diagnostic('error', 'lockfile-outdated', { file: LOCKFILE, line: 1, column: 1 }, `Unexpected ${what}, expected \`${LOCKFILE}\` to match the notes and templates (run a build without --locked and commit it)`)
}

export function describeChanges(result: Pick<CompileResult, 'changes'>): string {
  const { added, changed, removed } = result.changes
  return `${added.length} added, ${changed.length} changed, ${removed.length} removed`
}
