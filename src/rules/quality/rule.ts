/** The shape of a card-quality rule: one module each, run on the cards of the compiled facts. */
import type { CardText } from '../../cards/text.ts'
import type { Diagnostics } from '../../diagnostics.ts'

export interface CardRule<Id extends string = string> {
  /** Stable kebab-case id, shown after each message and used to configure the rule. */
  id: Id
  /** One line: what the rule finds. */
  description: string
  /**
   * Reports through `diagnostics.warn(id, place, message)`; reads the cards, changes nothing. A
   * rule reads each card on its own, or compares cloze cards under one breadcrumb (see
   * `comparedUnder` in ambiguous-cloze.ts): the build checks topics apart on that promise.
   */
  check(cards: readonly CardText[], diagnostics: Diagnostics): void
}

/** Text quoted in a message: on one line, and short (a fact can hold a nested list). */
export function quote(text: string, max = 100): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
