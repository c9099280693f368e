/**
 * The printable sheet: every topic of the notes on the landscape pages asked for (one by default).
 *
 * `renderSheet` is pure: notes and template texts in, one self-contained HTML document out.
 * The data is shaped here into a view model; the Handlebars templates in `templates/sheet/`
 * (precompiled: `./templates.ts`) only loop and print it. A topic's box may come whole from the
 * build cache (`./fragments.ts`). The page sizes its own type (the inline `fit.js`); the build can
 * measure that in Chromium (`./browser.ts`, loaded lazily) and bake the result in with `fit`.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Fact, Notes, Topic } from '../../facts/model.ts'
import type { SheetFragments } from './fragments.ts'
import { sectionViews, splitSections, type SectionView } from './sections.ts'
import { precompileSheet, sheetRenderer, type SheetTemplateSpecs } from './templates.ts'

export type { FitResult, SheetBrowser, SheetBrowserOptions } from './browser.ts'
export type { BlockView, FactView, SectionView, TableView } from './sections.ts'
export type { SheetFragments } from './fragments.ts'
export type { SheetTemplateSpecs } from './templates.ts'

export type Paper = 'a4' | 'letter'

/** The template texts, read once by `loadSheetTemplates`. */
export interface SheetTemplates {
  /** `layout.hbs`: the whole document. */
  layout: string
  /** Every other `*.hbs`, by file name without extension (`topic`, `fact`, `table`, …). */
  partials: Record<string, string>
  /** `sheet.css`, inlined in a `<style>`. */
  css: string
  /** `fit.js`, inlined as the document's only script (its hash goes into the CSP). */
  script: string
  /** `layout` and `partials` precompiled (`cachedSheetSpecs`); when absent they are precompiled on use. */
  specs?: SheetTemplateSpecs
}

/**
 * A type size, column count and page layout: the `fit.js` result (`FitResult`, see `./browser.ts`).
 * A whole result is also written into the page (`data-fit`), which keeps it when its layout holds.
 */
export interface SheetFit {
  fontSizePt: number
  columns: number
  /** Index (in print order, continuations counted) of the first topic box of each page after the first. */
  breaks?: number[]
  /**
   * Where topics are cut, `[topic, fact]` (indices in print order): topic `topic` continues in a
   * box of its own from its fact `fact`, at the top of a column or page; `[topic, 0]`: the topic
   * starts a column. Absent: no cuts.
   */
  splits?: [number, number][]
  /** Height (CSS px) every page's topic area is cut to so the pages balance; null: full. */
  fillPx?: number | null
  pages?: number
  requestedPages?: number
  fits?: boolean
  fitsAtPt?: number | null
  oversize?: string[]
}

export interface SheetOptions {
  templates: SheetTemplates
  paper: Paper
  /** `YYYY-MM-DD`, given by the build (from SOURCE_DATE_EPOCH, else today). */
  buildDate: string
  /** A fit measured in a browser, baked in so that printing doesn't depend on the script. */
  fit?: SheetFit
  /** The pages the notes should fit on (default 1); they continue onto more when they must. */
  pages?: number
  /** The type floor in pt (default `MIN_FONT_SIZE_PT`): no text on the page is smaller. */
  minFontPt?: number
  /** Topic boxes rendered before, taken as they are; boxes rendered now are given to it. */
  fragments?: SheetFragments
}

/** Body text never gets smaller than this by default (`minFontPt`), whatever the amount of notes. */
export const MIN_FONT_SIZE_PT = 6
/** The lowest floor a sheet may ask for: below it, print is not legible. */
export const LOWEST_FLOOR_PT = 4
/** …nor larger than this, however few notes there are. */
export const MAX_FONT_SIZE_PT = 12
/** The column counts the fit tries; it keeps the one that allows the largest type. */
export const COLUMN_CHOICES = [4, 5, 6, 7] as const
/** Before a browser has measured anything. */
export const DEFAULT_FIT: SheetFit = { fontSizePt: 7, columns: 5 }

export interface PaperSize {
  id: Paper
  /** For `@page { size }`. */
  cssSize: string
  label: string
  /** The sheet of paper, landscape. */
  widthMm: number
  heightMm: number
  /** `@page` margin on every side. */
  marginMm: number
}

export const PAPERS: Readonly<Record<Paper, PaperSize>> = {
  a4: { id: 'a4', cssSize: 'A4 landscape', label: 'A4 landscape', widthMm: 297, heightMm: 210, marginMm: 7 },
  letter: {
    id: 'letter',
    cssSize: 'letter landscape',
    label: 'US Letter landscape',
    widthMm: 279.4,
    heightMm: 215.9,
    // A quarter inch, the usual US margin (and within what printers reach): Letter is 17.6 mm
    // narrower than A4, and this gives the shipped notes back a little of it.
    marginMm: 6.35,
  },
}

/**
 * Kept off the page box's height so rounding in the print path can never push it onto a
 * second sheet.
 */
const PAGE_SLACK_MM = 0.6

/** Reads `layout.hbs`, the other `*.hbs` as partials, `sheet.css` and `fit.js` from `dir`. */
export async function loadSheetTemplates(dir: string): Promise<SheetTemplates> {
  const names = (await readdir(dir)).sort()
  const partials: Record<string, string> = {}
  for (const name of names) {
    if (name.endsWith('.hbs') && name !== 'layout.hbs') {
      partials[basename(name, '.hbs')] = await readFile(join(dir, name), 'utf8')
    }
  }
  const [layout, css, script] = await Promise.all(
    ['layout.hbs', 'sheet.css', 'fit.js'].map((name) => readFile(join(dir, name), 'utf8')),
  )
  return { layout: layout!, partials, css: css!, script: script! }
}

/** Renders the sheet: one self-contained HTML document (inline CSS and script, no requests). */
export function renderSheet(notes: Notes, options: SheetOptions): string {
  const view = sheetView(notes, options)
  const renderer = sheetRenderer(options.templates.specs ?? precompileSheet(options.templates))
  const { fragments } = options
  const topic = renderer.partials['topic']
  if (fragments && topic) {
    // A box taken back is printed as it was; a whole box rendered now is kept for the next build.
    renderer.registerPartial('topic', (context: TopicView, hbsOptions) => {
      if (context.html !== undefined) return context.html
      const html = topic(context, hbsOptions)
      if (!context.continued && !context.columnStart) fragments.put(context.id, html)
      return html
    })
  }
  return renderer.layout(view)
}

// ---------------------------------------------------------------------------------------------
// The view model: everything the templates print, already decided.

export interface SheetView {
  lang: string
  title: string
  csp: string
  css: string
  script: string
  paper: PaperSize & { boxWidthMm: string; boxHeightMm: string }
  fit: {
    fontSizePt: string
    columns: number
    minPt: number
    maxPt: number
    columnChoices: string
    requestedPages: number
    pagesLabel: string
    /** The root element's inline style: the baked-in size, columns and fill. */
    style: string
    /** The whole measured result (`data-fit`), or null before a browser measured. */
    json: string | null
  }
  deck: { title: string; exam: string | null; examName: string | null }
  domains: DomainView[]
  keyTopics: { number: number; text: string }[]
  topics: TopicView[]
  /** The topics as the fit laid them out on pages (all on one before a browser measured). */
  pages: PageView[]
  footer: { buildDate: string; factCount: number; topicCount: number; paperLabel: string }
}

export interface PageView {
  number: number
  total: number
  first: boolean
  topics: TopicView[]
}

/** Colours cycle after this many domains (`data-accent` in sheet.css). */
const ACCENTS = 8

export interface DomainView {
  number: number
  /** 1–8: the colour of the domain and of its topics. */
  accent: number
  name: string
  weight: number
  /** Bar length, 0–100, relative to the heaviest domain. */
  bar: string
}

export interface TopicView {
  id: string
  name: string
  /** `D1 D3`: the exam domains the topic belongs to. */
  domains: string
  /** The colour of its first domain (0: none). */
  accent: number
  sections: SectionView[]
  /** The rest of a topic cut at a column's or page's end: headed "<name> (continued)". */
  continued: boolean
  /** A whole topic that starts at the top of a column (a continuation always does, by its class). */
  columnStart: boolean
  /** The whole box, rendered by an earlier build (`sections` is then made only when read). */
  html?: string
}

export function sheetView(notes: Notes, options: SheetOptions): SheetView {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.buildDate)) {
    throw new TypeError(`Unexpected build date \`${options.buildDate}\`, expected YYYY-MM-DD`)
  }
  const paper = PAPERS[options.paper]
  if (!paper) throw new TypeError(`Unexpected paper \`${String(options.paper)}\`, expected a4 or letter`)
  const minPt = options.minFontPt ?? MIN_FONT_SIZE_PT
  if (!(minPt >= LOWEST_FLOOR_PT && minPt <= MAX_FONT_SIZE_PT)) {
    throw new TypeError(`Unexpected type floor ${minPt} pt, expected ${LOWEST_FLOOR_PT}–${MAX_FONT_SIZE_PT} pt`)
  }
  const requestedPages = options.pages ?? 1
  if (!Number.isInteger(requestedPages) || requestedPages < 1) {
    throw new TypeError(`Unexpected page count ${requestedPages}, expected a whole number from 1`)
  }
  const fit = options.fit ?? DEFAULT_FIT
  const fontSizePt = Math.min(MAX_FONT_SIZE_PT, Math.max(minPt, fit.fontSizePt))
  const shownPt = String(Math.round(fontSizePt * 100) / 100)
  const fillPx = fit.fillPx ?? null
  const { deck } = notes
  const script = options.templates.script
  if (/<\/script/i.test(script)) throw new TypeError('Unexpected `</script` in the sheet script')

  const maxWeight = Math.max(1, ...deck.domains.map((d) => d.weight))
  const domainNumber = new Map(deck.domains.map((d) => [d.id, d.number]))
  const splits = fit.splits ?? []
  const topics = topicViews(notes, domainNumber, options.fragments, new Set(splits.map(([topic]) => topic)))

  return {
    lang: 'en',
    title: `${deck.title} — one-page sheet`,
    csp: [
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      `script-src '${scriptHash(script)}'`,
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    css: options.templates.css,
    script,
    paper: {
      ...paper,
      boxWidthMm: mm(paper.widthMm - 2 * paper.marginMm),
      boxHeightMm: mm(paper.heightMm - 2 * paper.marginMm - PAGE_SLACK_MM),
    },
    fit: {
      fontSizePt: shownPt,
      columns: fit.columns,
      minPt,
      maxPt: MAX_FONT_SIZE_PT,
      columnChoices: COLUMN_CHOICES.join(' '),
      requestedPages,
      pagesLabel: requestedPages === 1 ? 'exactly one page' : `${requestedPages} pages`,
      style: `--font-size: ${shownPt}pt; --columns: ${fit.columns}${fillPx === null ? '' : `; --fill: ${fillPx}px`}`,
      json: fit.fits === undefined ? null : JSON.stringify(fit),
    },
    deck: { title: deck.title, exam: deck.exam ?? null, examName: deck.examName ?? null },
    domains: deck.domains.map((d) => ({
      number: d.number,
      accent: accent(d.number),
      name: d.name,
      weight: d.weight,
      bar: String(Math.round((d.weight / maxWeight) * 1000) / 10),
    })),
    keyTopics: deck.keyTopics.map((text, i) => ({ number: i + 1, text })),
    topics,
    pages: pageViews(topicBoxes(topics, splits), fit.breaks ?? []),
    footer: {
      buildDate: options.buildDate,
      factCount: notes.facts.length,
      topicCount: notes.topics.length,
      paperLabel: paper.label,
    },
  }
}

/** Every topic's view; a topic not cut whose box `fragments` has takes it instead of its sections. */
function topicViews(notes: Notes, domainNumber: Map<string, number>, fragments: SheetFragments | undefined, cut: ReadonlySet<number>): TopicView[] {
  return sheetTopics(notes).map(({ topic, facts }, i) => {
    const numbers = topic.domains.map((id) => domainNumber.get(id)).filter((n): n is number => n !== undefined)
    const names = [topic.title, topic.name]
    const view: TopicView = {
      id: topic.id,
      name: topic.name,
      domains: numbers.map((n) => `D${n}`).join(' '),
      accent: numbers[0] === undefined ? 0 : accent(numbers[0]),
      sections: [],
      continued: false,
      columnStart: false,
    }
    const html = cut.has(i) ? undefined : fragments?.get(topic.id)
    if (html === undefined) view.sections = sectionViews(facts, names)
    else {
      // The box comes whole: its facts are rendered only if a template of one's own asks for them.
      let sections: SectionView[] | undefined
      Object.defineProperty(view, 'sections', { get: () => (sections ??= sectionViews(facts, names)), enumerable: true })
      view.html = html
    }
    return view
  })
}

/**
 * The topics the sheet prints, in order, each with its facts in document order. A fact whose
 * topic is missing from `notes.topics` still gets printed, under its topic id.
 */
export function sheetTopics(notes: Notes): { topic: Topic; facts: Fact[] }[] {
  const byTopic = new Map<string, Fact[]>()
  for (const fact of [...notes.facts].sort((a, b) => a.order - b.order)) {
    const list = byTopic.get(fact.topic)
    if (list) list.push(fact)
    else byTopic.set(fact.topic, [fact])
  }
  const topics: Topic[] = [...notes.topics].sort((a, b) => a.order - b.order)
  for (const id of byTopic.keys()) {
    if (!topics.some((t) => t.id === id)) {
      topics.push({ id, name: id, title: id, domains: [], file: '', order: topics.length, factCount: 0 })
    }
  }
  return topics.map((topic) => ({ topic, facts: byTopic.get(topic.id) ?? [] }))
}

/** The topics cut where the fit cut them: each followed by its continuations. */
function topicBoxes(topics: TopicView[], splits: readonly (readonly [number, number])[]): TopicView[] {
  const starts = new Map<number, number[]>()
  for (const split of splits) {
    const [topic, fact] = Array.isArray(split) ? split : []
    if (!Number.isInteger(topic) || !Number.isInteger(fact) || topic! < 0 || topic! >= topics.length || fact! < 0) continue
    starts.set(topic!, [...(starts.get(topic!) ?? []), fact!])
  }
  return topics.flatMap((topic, i) => {
    const at = starts.get(i)
    if (!at) return [topic]
    const first = { ...topic, columnStart: at.includes(0) }
    return splitSections(topic.sections, at).map((sections, part) =>
      part === 0 ? { ...first, sections } : { ...topic, sections, continued: true, columnStart: false },
    )
  })
}

function accent(domainNumber: number): number {
  return ((domainNumber - 1) % ACCENTS) + 1
}

/** Splits the topic boxes into pages at the fit's breaks (ignoring any that are out of order). */
function pageViews(topics: TopicView[], breaks: readonly number[]): PageView[] {
  const starts = [0]
  for (const at of breaks) if (Number.isInteger(at) && at > starts.at(-1)! && at < topics.length) starts.push(at)
  return starts.map((start, i) => ({
    number: i + 1,
    total: starts.length,
    first: i === 0,
    topics: topics.slice(start, starts[i + 1] ?? topics.length),
  }))
}

/** The CSP source for an inline script: `sha256-<base64>` of its exact text. */
export function scriptHash(script: string): string {
  return `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`
}

function mm(value: number): string {
  return String(Math.round(value * 100) / 100)
}
