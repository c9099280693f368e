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
import type { Notes } from './facts/model.ts'
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
  const outdated = options.locked ? lockfileOutdated(compiled) : undefined
  if (outdated) return fail(outdated)

  const only = new Set(options.only ?? OUTPUTS)
  const { notes, lock, now } = compiled
  const templatesRoot = options.templates ?? DEFAULT_TEMPLATES
  const timed = stageTimer(result.timings)
  const files: Record<string, Emitted | undefined> = {}
  /** Whether the build changed the lockfile compile made (the Anki templates' stamp). */
  let lockTouched = false

  if (only.has('dataset')) {
    const { dataset, schema } = await timed('dataset', () => emitDataset(notes))
    files['dataset'] = { name: DATASET_FILE, data: dataset }
    files['schema'] = { name: SCHEMA_FILE, data: schema }
  }
  if (only.has('anki')) {
    const templates = await loadAnkiTemplates(path.join(templatesRoot, 'anki'))
    const previous = lock.assets[ANKI_ASSET]
    const stamp = stampModels(previous, templates, now)
    if (stamp !== previous) {
      lock.assets[ANKI_ASSET] = stamp
      lockTouched = true
    }
    const removed = options.tagRemoved ? compiled.removed : []
    const apkg = await timed('apkg', () => emitApkg(notes, { templates, modelsModified: stamp.modified, createdAt: lock.created, removed }))
    files['apkg'] = { name: `${notes.deck.slug}.apkg`, data: apkg }
  }
  if (only.has('sheet')) {
    const sheet = await buildSheet(notes, path.join(templatesRoot, 'sheet'), options, now, timed)
    files['sheet'] = { name: `${notes.deck.slug}.sheet.html`, data: new TextEncoder().encode(sheet.html) }
    if (sheet.pdf) files['pdf'] = { name: `${notes.deck.slug}.sheet.pdf`, data: sheet.pdf }
    if (sheet.fit) result.sheetFit = sheet.fit
    if (sheet.overflow) result.diagnostics = [...result.diagnostics, sheet.overflow]
    if (sheet.notice) result.notices.push(sheet.notice)
  }

  // Written in this order (the crash-safety test relies on it), the lockfile last.
  const targets = ['dataset', 'schema', 'sheet', 'apkg', 'pdf']
    .map((key) => files[key])
    .filter((file): file is Emitted => file !== undefined)
    .map((file) => ({ path: path.join(options.out, file.name), data: file.data }))
  const lockText = lockTouched ? serializeLockfile(lock) : compiled.lockText
  result.lockText = lockText
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

type Timer = <T>(stage: string, run: () => Promise<T> | T) => Promise<T>

/** Adds each run's milliseconds to its stage in `timings`. */
function stageTimer(timings: Record<string, number>): Timer {
  return async (stage, run) => {
    const start = performance.now()
    try {
      return await run()
    } finally {
      timings[stage] = (timings[stage] ?? 0) + performance.now() - start
    }
  }
}

interface SheetBuild {
  html: string
  pdf?: Uint8Array
  fit?: FitResult
  overflow?: Diagnostic
  notice?: string
}

/**
 * Renders the sheet; with a Chromium, fits it in print layout (baking the size in, reporting what
 * overflows the 6 pt floor) and prints the PDF when asked.
 */
async function buildSheet(notes: Notes, templatesDir: string, options: BuildOptions, now: number, timed: Timer): Promise<SheetBuild> {
  const templates = await loadSheetTemplates(templatesDir)
  const paper = options.paper ?? 'a4'
  const sheetOptions = { templates, paper, buildDate: isoDate(now) }
  const sheet: SheetBuild = { html: await timed('sheet', () => renderSheet(notes, sheetOptions)) }
  // Loaded only here: playwright is heavy, and a build that neither fits nor prints never needs it.
  const { CHROMIUM_INSTALL_HINT, findChromium, launchSheetBrowser } = await import('./emit/sheet/browser.ts')
  const browserPath = options.fit === false && !options.pdf ? undefined : findChromium()
  if (!browserPath) {
    if (options.pdf) sheet.notice = `no PDF written: ${CHROMIUM_INSTALL_HINT}`
    else if (options.fit !== false) sheet.notice = 'sheet not measured at build time (no Chromium found): it fits itself to the page when opened in a browser'
    return sheet
  }
  const browser = await timed('sheet', () => launchSheetBrowser({ executablePath: browserPath }))
  try {
    if (options.fit !== false) {
      const fit = await timed('sheet', () => browser.fit(sheet.html))
      sheet.fit = fit
      sheet.html = renderSheet(notes, { ...sheetOptions, fit: { fontSizePt: fit.fontSizePt, columns: fit.columns } })
      if (!fit.fits) {
        const where = notes.topics.find((t) => t.name === fit.overflowing[0])?.file ?? notes.topics[0]?.file ?? 'deck.yaml'
        sheet.overflow = {
          file: where,
          line: 1,
          column: 1,
          ruleId: 'sheet-overflow',
          severity: 'warning',
          message: `Unexpected notes too long for one ${paper === 'a4' ? 'A4' : 'Letter'} page at the ${MIN_FONT_SIZE_PT} pt floor (they would fit at ${fit.fitsAtPt ?? '<1'} pt; off the page: ${fit.overflowing.join(', ')}), expected them to fit: cut or split the notes`,
        }
      }
    }
    if (options.pdf) {
      const html = sheet.html
      sheet.pdf = await timed('pdf', () => browser.printPdf(html, { paper }))
    }
  } finally {
    await browser.close()
  }
  return sheet
}

/** With `--locked`: the error when the notes no longer match the committed lockfile. */
export function lockfileOutdated(compiled: CompileResult): Diagnostic | undefined {
  if (compiled.lockText === compiled.previousLockText) return undefined
  const what = compiled.previousLockText === undefined ? 'no lockfile' : `a lockfile that is out of date (${describeChanges(compiled)})`
  return { file: LOCKFILE, line: 1, column: 1, ruleId: 'lockfile-outdated', severity: 'error', message: `Unexpected ${what}, expected \`${LOCKFILE}\` to match the notes (run a build without --locked and commit it)` }
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
