/**
 * A fact as `facts.json` shows it: its plain text and parts, plus HTML renderings (display HTML
 * with `<strong class="cloze">`, and the Anki fields its card is made of). Field order is part of
 * the published format.
 */
import { assertNever, type Fact, type TableRow } from '../../facts/model.ts'
import { clozeAsStrong, renderBlocks, renderInline, type RenderOptions } from '../../render/html.ts'
import { highlightedCode } from '../../render/highlight.ts'
import { datasetMediaHandlers } from '../../render/media.ts'
import { basicSides, clozeField, displayRowValues } from '../anki/fields.ts'
import type { DatasetFact } from './schema.ts'

/** Display HTML: cloze answers bold, code highlighted (classes), math as its TeX source. */
const DISPLAY: RenderOptions = { handlers: { ...datasetMediaHandlers, code: highlightedCode, cloze: clozeAsStrong('cloze') } }

export function datasetFact(fact: Fact): DatasetFact {
  const table = fact.body.type === 'row' ? { table: tableParts(fact.body.row) } : {}
  switch (fact.form) {
    case 'cloze':
      return { ...shown(fact, displayHtml(fact)), cloze: { text: fact.cloze.text, html: clozeField(fact), deletions: fact.cloze.deletions }, ...table }
    case 'term': {
      const sides = basicSides(fact)
      const term = { term: fact.term.term, definition: fact.term.definition, termHtml: sides.front, definitionHtml: sides.back }
      return { ...shown(fact, displayHtml(fact, sides)), term, ...table }
    }
    case 'qa': {
      const sides = basicSides(fact)
      const { question, answer } = fact.question
      return { ...shown(fact, displayHtml(fact, sides)), question: { question, answer, questionHtml: sides.front, answerHtml: sides.back }, ...table }
    }
    case 'reversed': {
      const sides = basicSides(fact)
      const { question, answer } = fact.reversed
      return { ...shown(fact, displayHtml(fact, sides)), reversed: { question, answer, questionHtml: sides.front, answerHtml: sides.back } }
    }
    case 'none':
      return { ...shown(fact, displayHtml(fact)), ...table }
    default:
      return assertNever(fact)
  }
}

/** The fields every fact shows, in the published order (`form` narrowed to the fact's). */
function shown<F extends Fact>(fact: F, html: string) {
  const { id, guid, topic, domains, section, form, text, markdown, tags, contentHash, modified, added, order, source } = fact
  const media = fact.media ? { media: fact.media } : {}
  return { id, guid, topic, domains, section, form: form as F['form'], text, markdown, html, tags, contentHash, modified, added, order, source, ...media }
}

/**
 * The whole fact as display HTML: cloze answers and defined terms in `<strong>`. `sides`: the
 * card's sides, when rendered already (a row's term and values, a question and its answer).
 */
function displayHtml(fact: Fact, sides?: { front: string; back: string }): string {
  if (fact.body.type === 'row') {
    const { row } = fact.body
    const { front, back } = sides ?? { front: renderInline(row.labelTree, DISPLAY), back: displayRowValues(row) }
    return `<strong>${front}</strong>${back}`
  }
  const { blocks } = fact.body
  switch (fact.form) {
    case 'cloze':
    case 'term':
    case 'none':
      return renderBlocks(blocks, DISPLAY)
    case 'qa':
    case 'reversed': {
      const { front, back } = sides ?? basicSides(fact)
      return `<span class="question">${front}</span> <span class="answer">${back}</span>`
    }
    default:
      return assertNever(fact)
  }
}

function tableParts(row: TableRow) {
  return {
    caption: row.caption,
    labelHeader: row.labelHeader,
    label: row.label,
    cells: row.cells.map((c) => ({ header: c.header, value: c.value, valueHtml: renderInline(c.tree, DISPLAY) })),
  }
}
