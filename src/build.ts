/**
 * notes → facts → emitters → dist/. The only module that writes: every output is made in memory
 * first, then written to a temp file beside its target and renamed over it, so a failed build
 * leaves what was in `dist/` as it was.
 */
import { link, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { MIN_FONT_SIZE_PT } from './emit/sheet/index.ts'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { compile, type CompileOptions, type CompileResult } from './compile.ts'
import type { Diagnostic } from './diagnostics.ts'
import type { FitResult } from './emit/sheet/browser.ts'
import { emitApkg, loadAnkiTemplates, stampModels } from './emit/anki/index.ts'
import { DATASET_FILE, emitDataset, SCHEMA_FILE } from './emit/dataset/index.ts'
import { loadSheetTemplates, renderSheet, type Paper } from './emit/sheet/index.ts'
import { serializeLockfile } from './facts/lockfile.ts'
import { LOCKFILE } from './notes/read.ts'

export const OUTPUTS = ['dataset', 'anki', 'sheet'] as const
export type Output = (typeof OUTPUTS)[number]
export type { Paper }

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
  /**
   * Fit the sheet in headless Chromium at build time (baking in the type size and reporting what
   * overflows). Default: when a Chromium is installed. Without it the sheet fits itself when opened.
   */
  fit?: boolean
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
  /** What the sheet's fit found, when it ran in a browser. */
  sheetFit?: FitResult
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
  const { notes, lock } = compiled
  const now = options.now ?? compiled.now
  const templatesRoot = options.templates ?? DEFAULT_TEMPLATES
  const emitted: Emitted[] = []
  const timings = result.timings
  const timed = async <T>(stage: string, run: () => Promise<T> | T): Promise<T> => {
    const start = performance.now()
    try {
      return await run()
    } finally {
      timings[stage] = (timings[stage] ?? 0) + performance.now() - start
    }
  }

  if (only.has('anki')) {
    const templates = await loadAnkiTemplates(path.join(templatesRoot, 'anki'))
    const stamp = stampModels(lock.assets[ANKI_ASSET], templates, now)
    lock.assets[ANKI_ASSET] = stamp
    const removed = options.tagRemoved ? compiled.removed : []
    const apkg = await timed('apkg', () => emitApkg(notes, { templates, modelsModified: stamp.modified, createdAt: lock.created, removed }))
    emitted.push({ name: `${notes.deck.slug}.apkg`, data: apkg })
  }

  if (only.has('sheet')) {
    const templates = await loadSheetTemplates(path.join(templatesRoot, 'sheet'))
    const paper = options.paper ?? 'a4'
    const sheetOptions = { templates, paper, buildDate: isoDate(now) }
    let html = await timed('sheet', () => renderSheet(notes, sheetOptions))
    // Loaded only here: playwright is heavy and most builds without --pdf need only findChromium.
    const { CHROMIUM_INSTALL_HINT, findChromium, launchSheetBrowser } = await import('./emit/sheet/browser.ts')
    const browserPath = options.fit === false && !options.pdf ? undefined : findChromium()
    if (browserPath) {
      const browser = await timed('sheet', () => launchSheetBrowser({ executablePath: browserPath }))
      try {
        if (options.fit !== false) {
          const fit = await timed('sheet', () => browser.fit(html))
          result.sheetFit = fit
          html = renderSheet(notes, { ...sheetOptions, fit: { fontSizePt: fit.fontSizePt, columns: fit.columns } })
          if (!fit.fits) {
            const where = notes.topics.find((t) => t.name === fit.overflowing[0])?.file ?? notes.topics[0]?.file ?? 'deck.yaml'
            result.diagnostics = [
              ...result.diagnostics,
              {
                file: where,
                line: 1,
                column: 1,
                ruleId: 'sheet-overflow',
                severity: 'warning',
                message: `Unexpected notes too long for one ${paper === 'a4' ? 'A4' : 'Letter'} page at the ${MIN_FONT_SIZE_PT} pt floor (they would fit at ${fit.fitsAtPt ?? '<1'} pt; off the page: ${fit.overflowing.join(', ')}), expected them to fit: cut or split the notes`,
              },
            ]
          }
        }
        if (options.pdf) {
          const pdf = await timed('pdf', () => browser.printPdf(html, { paper }))
          emitted.push({ name: `${notes.deck.slug}.sheet.pdf`, data: pdf })
        }
      } finally {
        await browser.close()
      }
    } else if (options.pdf) {
      result.notices.push(`no PDF written: ${CHROMIUM_INSTALL_HINT}`)
    } else if (options.fit !== false) {
      result.notices.push('sheet not measured at build time (no Chromium found): it fits itself to the page when opened in a browser')
    }
    emitted.unshift({ name: `${notes.deck.slug}.sheet.html`, data: new TextEncoder().encode(html) })
  }

  if (only.has('dataset')) {
    const { dataset, schema } = await timed('dataset', () => emitDataset(notes))
    emitted.unshift({ name: DATASET_FILE, data: dataset }, { name: SCHEMA_FILE, data: schema })
  }

  const lockText = serializeLockfile(lock)
  result.lockText = lockText
  const targets = emitted.map((e) => ({ path: path.join(options.out, e.name), data: e.data }))
  if (lockText !== compiled.previousLockText) {
    if (options.locked) {
      return fail({ file: LOCKFILE, line: 1, column: 1, ruleId: 'lockfile-outdated', severity: 'error', message: `Unexpected a lockfile that is out of date (the Anki templates changed), expected \`${LOCKFILE}\` to match (run a build without --locked and commit it)` })
    }
    targets.push({ path: compiled.lockPath, data: new TextEncoder().encode(lockText) })
  }
  await timed('write', () => writeAtomically(targets))
  result.files = targets.map((t) => ({ path: t.path, bytes: t.data.byteLength }))
  return result
}

/** The lockfile's record of the Anki templates (so a template change bumps the note types' `mod`). */
export const ANKI_ASSET = 'anki-templates'

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10)
}

export function describeChanges(result: Pick<CompileResult, 'changes'>): string {
  const { added, changed, removed } = result.changes
  return `${added.length} added, ${changed.length} changed, ${removed.length} removed`
}

let tempCounter = 0

/**
 * Removes temp files a killed build left beside these targets (`.<name>.tmp-<pid>-<n>` and
 * `.<name>.tmp-old-<pid>-<n>`): a SIGKILL leaves no chance to clean up, so the next build does.
 * Only those of processes that are gone: a build still running beside this one keeps its own.
 */
async function sweepStaleTemps(targets: readonly string[]): Promise<void> {
  const byDir = new Map<string, Set<string>>()
  for (const target of targets) {
    const names = byDir.get(path.dirname(target)) ?? new Set<string>()
    names.add(path.basename(target))
    byDir.set(path.dirname(target), names)
  }
  for (const [dir, names] of byDir) {
    const entries = await readdir(dir).catch(() => [] as string[])
    for (const entry of entries) {
      const match = /^\.(.+)\.tmp(?:-old)?-(\d+)-\d+$/.exec(entry)
      if (!match || !names.has(match[1] ?? '') || isAlive(Number(match[2]))) continue
      await rm(path.join(dir, entry), { force: true }).catch(() => {})
    }
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Writes every file to a temp file beside its target, then renames them into place. If any step
 * fails, the targets already replaced are restored from hard-linked backups and every temp file is
 * removed, so the folder is as it was before.
 */
export async function writeAtomically(files: readonly { path: string; data: Uint8Array }[]): Promise<void> {
  const tempName = (target: string, kind: string): string =>
    path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${process.pid}-${++tempCounter}`)
  const staged: { temp: string; target: string; backup: string | undefined; done: boolean }[] = []
  await sweepStaleTemps(files.map((f) => f.path))
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
