/**
 * The card forms. Each module finds its markup in a list item (and a table row) and returns the
 * parts of its card; the first form in this list that reads a fact makes its card. A new form is
 * a module here plus a member of `CardParts` (src/facts/model.ts): each output's switch over
 * `form` then fails to compile until it renders the new form.
 */
import type { CardForm, CardParts } from '../../facts/model.ts'
import { cloze } from './cloze.ts'
import { none } from './none.ts'
import { qa } from './qa.ts'
import { reversed } from './reversed.ts'
import { term } from './term.ts'
import type { FormReader, ItemInput, ItemReading, RowInput } from './types.ts'

export { reverseTerm } from './reversed.ts'
export type { FormProblem, FormReader, ItemInput, ItemReading, RowInput } from './types.ts'

/**
 * Every form, in priority order: the first separator of the fact (`:::`/`??` reversed, `::`/`?`)
 * wins, then cloze marks, then a leading `**Term**:`.
 */
export const FORMS = { reversed, qa, cloze, term, none } satisfies { [F in CardForm]: FormReader<F> }

const PRIORITY: FormReader[] = Object.values(FORMS)

/** The card a list item makes. */
export function readItem(input: ItemInput): ItemReading {
  for (const form of PRIORITY) {
    const reading = form.item?.(input)
    if (reading) return reading
  }
  throw new Error('internal: no card form read a list item (`none` reads every item)')
}

/** The card a table row makes. */
export function readRow(input: RowInput): CardParts {
  for (const form of PRIORITY) {
    const card = form.row?.(input)
    if (card) return card
  }
  throw new Error('internal: no card form read a table row (`term` reads every row)')
}
