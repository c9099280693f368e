/**
 * The printable sheet: every topic of the notes on one landscape page.
 *
 * `renderSheet` is pure: notes and template texts in, one self-contained HTML document out.
 * The data is shaped here into a view model; the Handlebars templates in `templates/sheet/`
 * only loop and print it. The page sizes its own type (the inline `fit.js`); the build can
 * measure that in Chromium (`./browser.ts`, loaded lazily) and bake the result in with `fit`.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import Handlebars from 'handlebars'
import { assertNever, SECTION_SEPARATOR, type Blocks, type Fact, type Notes, type Topic } from '../../facts/model.ts'
import { clozeAsStrong, renderBlocks, renderInline, type RenderOptions } from '../../render/html.ts'

export type { FitResult, SheetBrowser, SheetBrowserOptions } from './browser.ts'

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
}

/** A type size and column count found by fitting (the `fit.js` result, see `./browser.ts`). */
export interface SheetFit {
  fontSizePt: number
  columns: number
}

export interface SheetOptions {
  templates: SheetTemplates
  paper: Paper
  /** `YYYY-MM-DD`, given by the build (from SOURCE_DATE_EPOCH, else today). */
  buildDate: string
  /** A fit measured in a browser, baked in so that printing doesn't depend on the script. */
  fit?: SheetFit
}

/** Body text never gets smaller than this, whatever the amount of notes. */
export const MIN_FONT_SIZE_PT = 6
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
    marginMm: 7,
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
  const hbs = Handlebars.create()
  for (const [name, text] of Object.entries(options.templates.partials)) {
    hbs.registerPartial(name, text)
  }
  const template = hbs.compile(options.templates.layout, { strict: true, noEscape: false })
  return template(view)
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
  fit: { fontSizePt: string; columns: number; minPt: number; maxPt: number; columnChoices: string }
  deck: { title: string; exam: string; examName: string | null }
  domains: DomainView[]
  keyTopics: { number: number; text: string }[]
  topics: TopicView[]
  footer: { buildDate: string; factCount: number; topicCount: number; paperLabel: string }
}

export interface DomainView {
  number: number
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
  sections: SectionView[]
}

export interface SectionView {
  /** The headings path (`Stack policies › Updates`), null for facts right under the title. */
  heading: string | null
  /** The heading starts the first line of its facts (saves a line); not before a table. */
  runIn: boolean
  blocks: BlockView[]
}

export type BlockView = { list: FactView[]; table: null } | { list: null; table: TableView }

export interface FactView {
  id: string
  /** The fact as HTML, escaped here: printed raw. */
  html: string
}

export interface TableView {
  /** Shown only when it says more than the section heading above. */
  caption: string | null
  headers: string[]
  rows: { id: string; label: string; cells: { html: string }[] }[]
}

export function sheetView(notes: Notes, options: SheetOptions): SheetView {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.buildDate)) {
    throw new TypeError(`Unexpected build date \`${options.buildDate}\`, expected YYYY-MM-DD`)
  }
  const paper = PAPERS[options.paper]
  if (!paper) throw new TypeError(`Unexpected paper \`${String(options.paper)}\`, expected a4 or letter`)
  const fit = options.fit ?? DEFAULT_FIT
  const fontSizePt = Math.min(MAX_FONT_SIZE_PT, Math.max(MIN_FONT_SIZE_PT, fit.fontSizePt))
  const { deck } = notes
  const script = options.templates.script
  if (/<\/script/i.test(script)) throw new TypeError('Unexpected `</script` in the sheet script')

  const maxWeight = Math.max(1, ...deck.domains.map((d) => d.weight))
  const domainNumber = new Map(deck.domains.map((d) => [d.id, d.number]))

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
      fontSizePt: String(Math.round(fontSizePt * 100) / 100),
      columns: fit.columns,
      minPt: MIN_FONT_SIZE_PT,
      maxPt: MAX_FONT_SIZE_PT,
      columnChoices: COLUMN_CHOICES.join(' '),
    },
    deck: { title: deck.title, exam: deck.exam, examName: deck.examName ?? null },
    domains: deck.domains.map((d) => ({
      number: d.number,
      name: d.name,
      weight: d.weight,
      bar: String(Math.round((d.weight / maxWeight) * 1000) / 10),
    })),
    keyTopics: deck.keyTopics.map((text, i) => ({ number: i + 1, text })),
    topics: topicViews(notes, domainNumber),
    footer: {
      buildDate: options.buildDate,
      factCount: notes.facts.length,
      topicCount: notes.topics.length,
      paperLabel: paper.label,
    },
  }
}

function topicViews(notes: Notes, domainNumber: Map<string, number>): TopicView[] {
  const byTopic = new Map<string, Fact[]>()
  for (const fact of [...notes.facts].sort((a, b) => a.order - b.order)) {
    const list = byTopic.get(fact.topic)
    if (list) list.push(fact)
    else byTopic.set(fact.topic, [fact])
  }
  const topics: Topic[] = [...notes.topics].sort((a, b) => a.order - b.order)
  // A fact whose topic is missing from `topics` still gets printed, under its topic id.
  for (const id of byTopic.keys()) {
    if (!topics.some((t) => t.id === id)) {
      topics.push({ id, name: id, title: id, domains: [], file: '', order: topics.length, factCount: 0 })
    }
  }
  return topics.map((topic) => ({
    id: topic.id,
    name: topic.name,
    domains: topic.domains
      .map((id) => domainNumber.get(id))
      .filter((n): n is number => n !== undefined)
      .map((n) => `D${n}`)
      .join(' '),
    sections: sectionViews(byTopic.get(topic.id) ?? [], [topic.title, topic.name]),
  }))
}

/** Consecutive facts of one section make a section; consecutive rows of one table, a table. */
function sectionViews(facts: Fact[], topicNames: string[]): SectionView[] {
  const sections: SectionView[] = []
  let sectionKey: string | undefined
  let tableKey: string | undefined
  for (const fact of facts) {
    const key = JSON.stringify(fact.section)
    let section = sections.at(-1)
    if (!section || key !== sectionKey) {
      const heading = fact.section.length > 0 ? fact.section.join(SECTION_SEPARATOR) : null
      section = { heading, runIn: fact.body.type !== 'row', blocks: [] }
      sections.push(section)
      sectionKey = key
      tableKey = undefined
    }
    const last = section.blocks.at(-1)
    if (fact.body.type === 'row') {
      const { row } = fact.body
      const headers = [row.labelHeader, ...row.cells.map((c) => c.header)]
      const key = JSON.stringify([row.caption, headers])
      const cells = row.cells.map((c) => ({ html: renderInline(c.tree, DISPLAY) }))
      if (last?.table && key === tableKey) {
        last.table.rows.push({ id: fact.id, label: row.label, cells })
      } else {
        // The caption is the heading above the table: printed already, as the section or topic.
        const printed = [...topicNames, fact.section.at(-1), '']
        section.blocks.push({
          list: null,
          table: {
            caption: printed.includes(row.caption) ? null : row.caption,
            headers,
            rows: [{ id: fact.id, label: row.label, cells }],
          },
        })
        tableKey = key
      }
    } else {
      const view = { id: fact.id, html: factHtml(fact, fact.body.blocks) }
      if (last?.list) last.list.push(view)
      else section.blocks.push({ list: [view], table: null })
      tableKey = undefined
    }
  }
  return sections
}

/** A cloze answer is bold on the sheet, like a defined term. */
const DISPLAY: RenderOptions = { handlers: { cloze: clozeAsStrong() } }

/** A list item fact as the sheet prints it. */
function factHtml(fact: Fact, blocks: Blocks): string {
  switch (fact.form) {
    case 'cloze':
    case 'term':
    case 'none':
      return renderBlocks(blocks, DISPLAY)
    case 'qa': {
      // The `::` is markup: the question, then its answer.
      return `${renderInline(fact.question.questionTree, DISPLAY)} ${renderBlocks(fact.question.answerTree, DISPLAY)}`
    }
    default:
      return assertNever(fact)
  }
}

/** The CSP source for an inline script: `sha256-<base64>` of its exact text. */
export function scriptHash(script: string): string {
  return `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`
}

function mm(value: number): string {
  return String(Math.round(value * 100) / 100)
}
