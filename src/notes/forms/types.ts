/** What a card form module reads and returns (see `./index.ts` for the registry). */
import type { Cloze } from 'mdast'
import type { Blocks, CardForm, CardParts, TableRow } from '../../facts/model.ts'
import type { RuleId } from '../../rules/index.ts'

/** A list item, pin removed, its clozes numbered. */
export interface ItemInput {
  blocks: Blocks
  /** Every cloze node in the item, in document order. */
  clozes: Cloze[]
}

/** A table row, pin removed, its clozes numbered. */
export interface RowInput {
  row: TableRow
  clozes: Cloze[]
}

/** A problem to report at the fact (a warning: the fact is kept). */
export interface FormProblem {
  ruleId: RuleId
  reason: string
}

/** What a form reads from a list item. */
export interface ItemReading {
  card: CardParts
  /** Plain text of the fact. */
  text: string
  /** The words a derived id is made of. */
  keyWords: string
  problem?: FormProblem
}

/** One card form: how to find its markup in a list item and in a table row, and the card it makes. */
export interface FormReader<F extends CardForm = CardForm> {
  form: F
  /** The item's card when it has this form's markup, else undefined. */
  item?(input: ItemInput): ItemReading | undefined
  /** The row's card when it has this form's markup, else undefined. */
  row?(input: RowInput): CardParts | undefined
}
