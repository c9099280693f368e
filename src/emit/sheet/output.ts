/**
 * The sheet output: `<deck>.sheet.html`, and `<deck>.sheet.pdf` with `--pdf`. With a Chromium it
 * fits the sheet in print layout, bakes the type size and pages in, and warns when the notes need
 * more pages than asked for even at the type floor (`./overflow.ts`).
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import { diagnostic, type Diagnostic } from '../../diagnostics.ts'
import { isoDate } from '../../facts/clock.ts'
import type { Notes } from '../../facts/model.ts'
import type { Emission, Output, OutputContext, OutputFile } from '../output.ts'
import type { FitResult } from './browser.ts'
import { cachedFragments } from './fragments.ts'
import { loadSheetTemplates, renderSheet, type SheetOptions } from './index.ts'
import { overflowDiagnostics } from './overflow.ts'
import { selectForSheet, type SheetSelection } from './select.ts'
import { cachedSheetSpecs } from './templates.ts'

export const sheetOutput: Output<'sheet'> = {
  id: 'sheet',
  description: '<deck>.sheet.html, the printable sheet (and <deck>.sheet.pdf with --pdf)',
  emit: emitSheet,
}

/** The facts on the sheet and how to render it: the command line wins over the deck file's `sheet:` settings, one by one. */
async function sheetSetup({ notes: all, now, templates, options, cache }: OutputContext) {
  const settings = all.deck.sheet ?? {}
  const selection: SheetSelection = { labels: {} }
  for (const key of ['topics', 'tags'] as const) {
    const list = options[key] ?? settings[key]
    if (list) selection[key] = list
    if (!options[key]) selection.labels![key] = `\`sheet.${key}\` in deck.yaml`
  }
  const { notes, diagnostics } = selectForSheet(all, selection)
  const pages = options.pages ?? settings.pages
  const minFont = options.minFont ?? settings.minFont
  const texts = await loadSheetTemplates(path.join(templates, 'sheet'))
  // Precompiled templates and the topics' boxes come from the cache when it has them.
  const sheetTemplates = { ...texts, specs: await cachedSheetSpecs(texts, cache) }
  const kept = await cachedFragments(notes, sheetTemplates, cache)
  const sheetOptions: SheetOptions = {
    templates: sheetTemplates,
    paper: options.paper ?? 'a4',
    buildDate: isoDate(now),
    ...(pages === undefined ? {} : { pages }),
    ...(minFont === undefined ? {} : { minFontPt: minFont }),
    ...(kept ? { fragments: kept.fragments } : {}),
  }
  return { notes, selectionDiagnostics: diagnostics, sheetOptions, kept }
}

async function emitSheet(context: OutputContext): Promise<Emission> {
  const { options, timed, cache } = context
  const { notes, selectionDiagnostics, sheetOptions, kept } = await sheetSetup(context)
  const { paper } = sheetOptions
  let html = await timed('sheet', () => renderSheet(notes, sheetOptions))
  await kept?.save()
  const diagnostics: Diagnostic[] = [...selectionDiagnostics, ...mediaBudget(notes)]
  const notices: string[] = []
  const files = (pdf?: Uint8Array): OutputFile[] => [
    { name: `${notes.deck.slug}.sheet.html`, data: new TextEncoder().encode(html) },
    ...(pdf ? [{ name: `${notes.deck.slug}.sheet.pdf`, data: pdf }] : []),
  ]
  if (options.fit === false && !options.pdf) return { files: files(), diagnostics, notices }
  // browser.ts loads playwright-core only to launch Chromium: a build that neither fits nor prints never does.
  const { findSheetBrowser, launchSheetBrowser, SheetLoadTimeout } = await import('./browser.ts')
  const found = findSheetBrowser()
  if ('missing' in found) {
    if (options.pdf) notices.push(`no PDF written (${found.missing}): ${found.hint}`)
    else notices.push(`sheet not measured at build time (${found.missing}): it fits itself to the page when opened in a browser`)
    return { files: files(), diagnostics, notices }
  }
  // A fit measured before on the same page (same HTML, paper and Chromium) is taken back: no browser starts.
  const fitKey = options.fit === false ? undefined : cache?.key('sheet-fit', html, paper, found.executablePath, chromiumStamp(found.executablePath))
  const keptFit = fitKey === undefined ? undefined : await cache?.get<FitResult>(fitKey)
  const bake = (fit: FitResult): void => {
    html = renderSheet(notes, { ...sheetOptions, fit })
    if (fit.fits) notices.push(`sheet: ${fit.pages === 1 ? 'one page' : `${fit.pages} pages`} at ${fit.fontSizePt} pt in ${fit.columns} columns`)
    diagnostics.push(...overflowDiagnostics(fit, notes, paper))
  }
  if (keptFit && !options.pdf) {
    bake(keptFit)
    return { files: files(), diagnostics, notices }
  }
  // A session's kept Chromium (`build --watch`), else one for this build alone.
  const pool = options.browser
  const browser = await timed('sheet', () => (pool ? pool.get(found) : launchSheetBrowser(found)), 'starting Chromium')
  // A sheet too long to load and fit in time is written as it is (it fits itself when opened): the
  // build says so and goes on. Anything else that fails in Chromium is a crash.
  const timedOut = <T>(step: Promise<T>): Promise<T | InstanceType<typeof SheetLoadTimeout>> =>
    step.catch((error: unknown) => {
      if (error instanceof SheetLoadTimeout) return error
      throw error
    })
  const tooLong = (timeout: Error, what: string): Emission => {
    notices.push(`${what} (${timeout.message}): put fewer topics on the sheet (\`--topics\`, \`--tags\`, or \`sheet:\` in deck.yaml), or build with --no-fit`)
    return { files: files(), diagnostics, notices }
  }
  try {
    if (keptFit) bake(keptFit)
    else if (options.fit !== false) {
      const fit = await timedOut(timed('sheet', () => browser.fit(html), 'fitting the sheet in Chromium'))
      if (fit instanceof SheetLoadTimeout) return tooLong(fit, `sheet not measured at build time${options.pdf ? ' and no PDF written' : ''}`)
      if (fitKey !== undefined) await cache?.set(fitKey, fit)
      bake(fit)
    }
    const pdf = options.pdf ? await timedOut(timed('pdf', () => browser.printPdf(html, { paper }), 'printing the PDF in Chromium')) : undefined
    if (pdf instanceof SheetLoadTimeout) return tooLong(pdf, 'no PDF written')
    return { files: files(pdf), diagnostics, notices }
  } finally {
    if (!pool) await browser.close()
  }
}

/** Which Chromium build measured a fit: its file's size and time (an update changes them). */
function chromiumStamp(executablePath: string): string {
  const info = statSync(executablePath, { throwIfNoEntry: false })
  return info ? `${info.size}:${info.mtimeMs}` : ''
}

/** Above this many bytes of images the sheet (which embeds them) gets heavy to open and print. */
export const SHEET_MEDIA_BUDGET = 1024 * 1024

/** A warning at the first fact whose images take the sheet over its budget. */
function mediaBudget(notes: Notes): Diagnostic[] {
  const sizes = new Map((notes.media ?? []).map((m) => [m.name, m.data.length]))
  const counted = new Set<string>()
  let total = 0
  for (const fact of [...notes.facts].sort((a, b) => a.order - b.order)) {
    for (const { name } of fact.media ?? []) {
      if (counted.has(name)) continue
      counted.add(name)
      total += sizes.get(name) ?? 0
      if (total > SHEET_MEDIA_BUDGET) {
        const message = `Unexpected ${Math.ceil(total / 1024)} kB of images on the sheet by \`${name}\`, expected at most ${SHEET_MEDIA_BUDGET / 1024} kB (the sheet embeds every image: use smaller or fewer images)`
        return [diagnostic('warning', 'sheet-media-size', fact.source, message)]
      }
    }
  }
  return []
}

