/**
 * notes → facts → emitters → dist/. The only module that writes: every output is made in memory
 * first, then written to a temp file beside its target and renamed over it, so a failed build
 * leaves what was in `dist/` as it was.
 */
import { link, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { compile, type CompileOptions, type CompileResult } from './compile.ts'
import type { Diagnostic } from './diagnostics.ts'
import { DATASET_FILE, emitDataset, SCHEMA_FILE } from './emit/dataset/index.ts'
import { LOCKFILE } from './notes/read.ts'

export const OUTPUTS = ['dataset', 'anki', 'sheet'] as const
export type Output = (typeof OUTPUTS)[number]
export type Paper = 'a4' | 'letter'

export interface BuildOptions extends CompileOptions {
  /** Where outputs go (created when missing). */
  out: string
  /** Emit only these outputs (default: all). */
  only?: readonly Output[]
  /** Fail instead of updating the lockfile (CI), like `npm ci`. */
  locked?: boolean
  /** Sheet paper (default A4 landscape). */
  paper?: Paper
  /** Also print the sheet to PDF through headless Chromium. */
  pdf?: boolean
  /** Put facts removed from the notes into the deck, tagged `<exam>::removed`, so re-import tags them. */
  tagRemoved?: boolean
  /** The templates folder (default: the package's `templates/`). */
  templates?: string
}

export interface WrittenFile {
  path: string
  bytes: number
}

export interface BuildResult extends CompileResult {
  /** Files written (outputs, then the lockfile when it changed). Empty when the build failed. */
  files: WrittenFile[]
  /** Notes about the build that are not about the notes (e.g. no Chromium for `--pdf`). */
  notices: string[]
}

export const DEFAULT_TEMPLATES = fileURLToPath(new URL('../templates', import.meta.url))

interface Emitted {
  name: string
  data: Uint8Array
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const compiled = await compile(options)
  const result: BuildResult = { ...compiled, files: [], notices: [] }
  const fail = (diagnostic: Diagnostic): BuildResult => {
    result.diagnostics = [...result.diagnostics, diagnostic]
    result.ok = false
    return result
  }
  if (!compiled.ok) return result
  const lockChanged = compiled.lockText !== compiled.previousLockText
  if (options.locked && lockChanged) {
    const what = compiled.previousLockText === undefined ? 'no lockfile' : `a lockfile that is out of date (${describeChanges(compiled)})`
    return fail({ file: LOCKFILE, line: 1, column: 1, ruleId: 'lockfile-outdated', severity: 'error', message: `Unexpected ${what}, expected \`${LOCKFILE}\` to match the notes (run a build without --locked and commit it)` })
  }

  const only = new Set(options.only ?? OUTPUTS)
  const emitted: Emitted[] = []
  if (only.has('dataset')) {
    const { dataset, schema } = emitDataset(compiled.notes)
    emitted.push({ name: DATASET_FILE, data: dataset }, { name: SCHEMA_FILE, data: schema })
  }

  const targets = emitted.map((e) => ({ path: path.join(options.out, e.name), data: e.data }))
  if (lockChanged) targets.push({ path: compiled.lockPath, data: new TextEncoder().encode(compiled.lockText) })
  await writeAtomically(targets)
  result.files = targets.map((t) => ({ path: t.path, bytes: t.data.byteLength }))
  return result
}

export function describeChanges(result: Pick<CompileResult, 'changes'>): string {
  const { added, changed, removed } = result.changes
  return `${added.length} added, ${changed.length} changed, ${removed.length} removed`
}

let tempCounter = 0

/**
 * Writes every file to a temp file beside its target, then renames them into place. If any step
 * fails, the targets already replaced are restored from hard-linked backups and every temp file is
 * removed, so the folder is as it was before.
 */
export async function writeAtomically(files: readonly { path: string; data: Uint8Array }[]): Promise<void> {
  const tempName = (target: string, kind: string): string =>
    path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${process.pid}-${++tempCounter}`)
  const staged: { temp: string; target: string; backup: string | undefined; done: boolean }[] = []
  try {
    for (const file of files) {
      await mkdir(path.dirname(file.path), { recursive: true })
      const entry = { temp: tempName(file.path, 'tmp'), target: file.path, backup: undefined as string | undefined, done: false }
      staged.push(entry)
      await writeFile(entry.temp, file.data)
    }
    for (const entry of staged) {
      const backup = tempName(entry.target, 'tmp-old')
      try {
        await link(entry.target, backup)
        entry.backup = backup
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    for (const entry of staged) {
      await rename(entry.temp, entry.target)
      entry.done = true
    }
  } catch (error) {
    for (const entry of staged.filter((e) => e.done)) {
      if (entry.backup) await rename(entry.backup, entry.target).catch(() => {})
      else await rm(entry.target, { force: true }).catch(() => {})
    }
    throw error
  } finally {
    await Promise.all(staged.flatMap((e) => [e.temp, e.backup ?? '']).filter(Boolean).map((f) => rm(f, { force: true })))
  }
}
