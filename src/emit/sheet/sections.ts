/** The sheet's view of the facts: sections of lists and tables, each fact as HTML. */
import { assertNever, SECTION_SEPARATOR, type Blocks, type Fact } from '../../facts/model.ts'
import { clozeAsStrong, renderBlocks, renderInline, type RenderOptions } from '../../render/html.ts'
import { highlightedCode, inlineStyles } from '../../render/highlight.ts'
import { mathml, texHandlers } from '../../render/math.ts'
import { imageStyles, sheetMediaHandlers } from '../../render/media.ts'
import { markLongTokens } from './tokens.ts'

export interface SectionView {
  /** The headings path (`Stack policies › Updates`), null for facts right under the title. */
  heading: string | null
  /** The heading starts the first line of its facts (saves a line); not before a table. */
  runIn: boolean
  blocks: BlockView[]
  /** The rest of a section cut at a column's or page's end (its heading printed again). */
  continued: boolean
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
  /** Each row's label and cells as HTML (escaped, long tokens marked). */
  rows: { id: string; labelHtml: string; cells: { html: string }[] }[]
  /** The rest of a table cut at a column's or page's end (caption and header row printed again). */
  continued: boolean
}

/** Consecutive facts of one section make a section; consecutive rows of one table, a table. */
export function sectionViews(facts: Fact[], topicNames: string[]): SectionView[] {
  const sections: SectionView[] = []
  let sectionKey: string | undefined
  let tableKey: string | undefined
  for (const fact of facts) {
    const key = JSON.stringify(fact.section)
    let section = sections.at(-1)
    if (!section || key !== sectionKey) {
      const heading = fact.section.length > 0 ? fact.section.join(SECTION_SEPARATOR) : null
      section = { heading, runIn: fact.body.type !== 'row', blocks: [], continued: false }
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
        last.table.rows.push({ id: fact.id, labelHtml: renderInline([{ type: 'text', value: row.label }], DISPLAY), cells })
      } else {
        // The caption is the heading above the table: printed already, as the section or topic.
        const printed = [...topicNames, fact.section.at(-1), '']
        section.blocks.push({
          list: null,
          table: {
            caption: printed.includes(row.caption) ? null : row.caption,
            headers,
            rows: [{ id: fact.id, labelHtml: renderInline([{ type: 'text', value: row.label }], DISPLAY), cells }],
            continued: false,
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

/**
 * A topic's sections cut into parts before the facts at `starts` (indices in print order, as the
 * fit found them, see `templates/sheet/fit.js`): a part that starts inside a section or a table
 * repeats its heading, or its caption and header row, just as the page's own script cuts them.
 */
export function splitSections(sections: readonly SectionView[], starts: readonly number[]): SectionView[][] {
  const cuts = new Set(starts)
  const parts: SectionView[][] = [[]]
  let index = 0
  for (const section of sections) {
    let into: SectionView | undefined
    const open = (continued: boolean): SectionView => {
      into = { ...section, blocks: [], continued }
      parts.at(-1)!.push(into)
      return into
    }
    for (const block of section.blocks) {
      const items: readonly unknown[] = block.list ?? block.table.rows
      let target: BlockView | undefined
      items.forEach((item, i) => {
        if (cuts.has(index) && index > 0) {
          parts.push([])
          into = undefined
          target = undefined
        }
        into ??= open(parts.at(-1)!.length === 0 && (block !== section.blocks[0] || i > 0))
        if (!target) {
          target = block.list
            ? { list: [], table: null }
            : { list: null, table: { ...block.table, rows: [], continued: i > 0 } }
          into.blocks.push(target)
        }
        if (target.list) target.list.push(item as FactView)
        else target.table.rows.push(item as TableView['rows'][number])
        index++
      })
    }
  }
  return parts
}

/**
 * A cloze answer is bold on the sheet, like a defined term; math is MathML, made here; code is
 * highlighted in the print theme's inline colours (the stylesheet stays as it is); long tokens
 * may break. The transforms run after sanitizing: trusted markup the sanitizer would drop.
 */
const DISPLAY: RenderOptions = {
  handlers: { ...texHandlers, ...sheetMediaHandlers, code: highlightedCode, cloze: clozeAsStrong() },
  transform: (tree) => {
    inlineStyles(tree)
    mathml(tree)
    imageStyles(tree)
    markLongTokens(tree)
  },
}

/** A list item fact as the sheet prints it. */
function factHtml(fact: Fact, blocks: Blocks): string {
  switch (fact.form) {
    case 'cloze':
    case 'term':
    case 'none':
      return renderBlocks(blocks, DISPLAY)
    case 'qa':
    case 'reversed': {
      // The separator is markup: the question, then its answer.
      const parts = fact.form === 'qa' ? fact.question : fact.reversed
      return `${renderInline(parts.questionTree, DISPLAY)} ${renderBlocks(parts.answerTree, DISPLAY)}`
    }
    default:
      return assertNever(fact)
  }
}
