/**
 * A fact's tree → Anki field HTML: a Cloze note's `Text` field (with `{{cN::…}}` marks escaped so
 * that only the marks made here can open a cloze) and a Basic note's `Front` and `Back`. The
 * classes used here are styled by `templates/anki/style.css`.
 */
import type { Nodes as HastNodes } from 'hast'
import type { Cloze, PhrasingContent } from 'mdast'
import { assertNever, type Fact, type TableRow } from '../../facts/model.ts'
import { clozeAsStrong, escapeHtml, renderBlocks, renderInline, type Handler, type RenderOptions } from '../../render/html.ts'
import { highlightedCode } from '../../render/highlight.ts'
import { ankiMathHandlers } from '../../render/math.ts'
import { ankiMediaHandlers } from '../../render/media.ts'

/** Placeholders for `:` and `}` inside an Anki cloze, so `AWS::AccountId` can't end the cloze early. */
const COLON = '\uE000'
const BRACE = '\uE001'
/**
 * In a cloze field every `{` of the notes (text, code, alt, URLs) becomes `&#x7B;`, so only the
 * cloze marks made here can open a `{{cN::…}}` (a `{{c5::x}}` in inline code would be a card).
 * The marks' own braces travel as MARK_OPEN.
 */
const OPEN = '\uE002'
const MARK_OPEN = '\uE003'

const clozeMark: Handler = (state, node: Cloze) => {
  const children = state.all(node)
  for (const child of children) protect(child)
  const hint = node.hint ? `::${node.hint.replaceAll(':', COLON).replaceAll('}', BRACE).replaceAll('{', OPEN)}` : ''
  return [{ type: 'text', value: `${MARK_OPEN}${MARK_OPEN}c${node.index}::` }, ...children, { type: 'text', value: `${hint}}}` }]
}

// Plain walks: they run on every rendering of a cloze field.
function protect(node: HastNodes): void {
  if (node.type === 'text') node.value = node.value.replaceAll(':', COLON).replaceAll('}', BRACE)
  else if ('children' in node) for (const child of node.children) protect(child)
}

/** Every `{` of the notes in text and attribute values → OPEN. */
function protectOpeners(node: HastNodes): void {
  if (node.type === 'text') node.value = node.value.replaceAll('{', OPEN)
  if (node.type === 'element') {
    for (const [key, value] of Object.entries(node.properties)) {
      if (typeof value === 'string') node.properties[key] = value.replaceAll('{', OPEN)
      else if (Array.isArray(value)) node.properties[key] = value.map((v) => (typeof v === 'string' ? v.replaceAll('{', OPEN) : v))
    }
  }
  if ('children' in node) for (const child of node.children) protectOpeners(child)
}

const CLOZE_FIELD: RenderOptions = {
  handlers: { ...ankiMathHandlers, ...ankiMediaHandlers, code: highlightedCode, cloze: clozeMark },
  transform: protectOpeners,
  finish: (html) => html.replaceAll(COLON, '&#x3A;').replaceAll(BRACE, '&#x7D;').replaceAll(OPEN, '&#x7B;').replaceAll(MARK_OPEN, '{'),
}

/** A Basic card shows a cloze of its text in bold, styled as Anki styles its own clozes. */
const DISPLAY: RenderOptions = { handlers: { ...ankiMathHandlers, ...ankiMediaHandlers, code: highlightedCode, cloze: clozeAsStrong('cloze') } }

/** Escapes text for a cloze field's HTML: also `{`, so the text can't open a cloze. */
export function escapeClozeHtml(text: string): string {
  return escapeHtml(text).replaceAll('{', '&#x7B;')
}

/** A table row's values, one `Header: value` per line. */
function rowValues(row: TableRow, cell: (children: PhrasingContent[]) => string, escape: (text: string) => string): string {
  return `<ul class="row-values">${row.cells.map((c) => `<li><span class="row-header">${escape(c.header)}</span>: ${cell(c.tree)}</li>`).join('')}</ul>`
}

/**
 * Each fact's fields, once per build: the `.apkg` and the dataset both show them (a new compile
 * makes new fact objects, so nothing outlives the build that rendered it).
 */
const clozeFields = new WeakMap<Fact, string>()
const sides = new WeakMap<Fact, { readonly front: string; readonly back: string }>()

/** A cloze fact's `Text` field: its content with `{{cN::answer::hint}}` marks. */
export function clozeField(fact: Fact & { form: 'cloze' }): string {
  let field = clozeFields.get(fact)
  if (field === undefined) clozeFields.set(fact, (field = renderClozeField(fact)))
  return field
}

function renderClozeField(fact: Fact & { form: 'cloze' }): string {
  const { body } = fact
  if (body.type === 'item') return renderBlocks(body.blocks, CLOZE_FIELD)
  const cell = (children: PhrasingContent[]): string => renderInline(children, CLOZE_FIELD)
  return `${cell(body.row.labelTree)}${rowValues(body.row, cell, escapeClozeHtml)}`
}

/**
 * A Basic (or Reversed) note's front and back: term → definition, question → answer, row name →
 * its values.
 */
export function basicSides(fact: Fact & { form: 'term' | 'qa' | 'reversed' }): { readonly front: string; readonly back: string } {
  let found = sides.get(fact)
  if (!found) sides.set(fact, (found = renderSides(fact)))
  return found
}

function renderSides(fact: Fact & { form: 'term' | 'qa' | 'reversed' }): { front: string; back: string } {
  switch (fact.form) {
    case 'term': {
      const front = renderInline(fact.term.termTree, DISPLAY)
      if (fact.body.type === 'row') return { front, back: displayRowValues(fact.body.row) }
      return { front, back: renderBlocks(fact.term.definitionTree ?? [], DISPLAY) }
    }
    case 'qa':
      return { front: renderInline(fact.question.questionTree, DISPLAY), back: renderBlocks(fact.question.answerTree, DISPLAY) }
    case 'reversed':
      return { front: renderInline(fact.reversed.questionTree, DISPLAY), back: renderBlocks(fact.reversed.answerTree, DISPLAY) }
    default:
      return assertNever(fact)
  }
}

/** A table row's values as display HTML (a Basic card's back). */
export function displayRowValues(row: TableRow): string {
  return rowValues(row, (children) => renderInline(children, DISPLAY), escapeHtml)
}
