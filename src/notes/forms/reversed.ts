/**
 * `Question:::Answer`, or question lines, a line holding only `??`, answer lines (the Obsidian
 * Spaced Repetition plugin's reversed syntaxes): a Reversed note, one card each way. A term fact
 * becomes one too when the deck or its file says `reverse: terms` (see `reverseTerm`).
 */
import type { CardParts } from '../../facts/model.ts'
import { splitCard } from './separators.ts'
import { blocksText, plain } from './text.ts'
import type { FormReader } from './types.ts'

export const reversed: FormReader<'reversed'> = {
  form: 'reversed',
  item({ blocks }) {
    const split = splitCard(blocks, true)
    if (!split) return undefined
    const parts = { question: plain(split.question), answer: blocksText(split.answer), questionTree: split.question, answerTree: split.answer }
    return { card: { form: 'reversed', reversed: parts }, text: `${parts.question} ${parts.answer}`.trim(), keyWords: parts.question }
  },
}

/** A list item's term card asked both ways (`reverse: terms`); anything else as it is. */
export function reverseTerm(card: CardParts): CardParts {
  if (card.form !== 'term' || !card.term.definitionTree?.length) return card
  const { term, definition, termTree, definitionTree } = card.term
  return { form: 'reversed', reversed: { question: term, answer: definition, questionTree: termTree, answerTree: definitionTree } }
}
