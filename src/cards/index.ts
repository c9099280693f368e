/**
 * The review aid: every card of the notes as text, front and back, as Anki will show it — to
 * read the deck without importing it (`cheatdeck cards`).
 */
import { compile, type CompileOptions } from '../compile.ts'
import type { Diagnostic } from '../diagnostics.ts'
import { cardOrdinals, formatSource } from '../facts/model.ts'
import { cardTexts, type CardText } from './text.ts'

export { BLANK, type CardText } from './text.ts'

export type CardsOptions = Pick<CompileOptions, 'notes'>

export interface CardsResult {
  /** No errors in the notes (warnings allowed). */
  ok: boolean
  diagnostics: Diagnostic[]
  cards: CardText[]
}

/** Compiles the notes (writing nothing) and lists their cards in note order. */
export async function cards(options: CardsOptions): Promise<CardsResult> {
  const result = await compile({ notes: options.notes })
  return { ok: result.ok, diagnostics: result.diagnostics, cards: cardTexts(result.notes) }
}

/**
 * One card for people: where it comes from, the breadcrumb, then the front (`Q`) and the back
 * (`A`). A cloze card's blank is `[...]` (or its hint in brackets) on the front, its answer in
 * brackets on the back.
 */
export function formatCard(card: CardText): string {
  const { fact } = card
  const count = cardOrdinals(fact).length
  const which = count > 1 ? ` card ${card.card} of ${count}` : ''
  return [
    `${fact.source.file}:${fact.source.line}  ${fact.id} (${fact.form}${which})`,
    `  ${card.context}`,
    `  Q: ${indent(card.front)}`,
    `  A: ${indent(card.back)}`,
  ].join('\n')
}

/** A multi-line side (a fact with a nested list) stays under its `Q:`/`A:`. */
function indent(text: string): string {
  return text.replace(/\n/g, '\n     ')
}

/** The cards as JSON-ready records: what `cheatdeck cards --json` prints. */
export function cardRecords(list: readonly CardText[]): { id: string; card: number; form: string; source: string; context: string; front: string; back: string }[] {
  return list.map((c) => ({
    id: c.fact.id,
    card: c.card,
    form: c.fact.form,
    source: formatSource(c.fact.source),
    context: c.context,
    front: c.front,
    back: c.back,
  }))
}
