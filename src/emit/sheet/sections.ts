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
