/**
 * `Question:::Answer`, or question lines, a line holding only `??`, answer lines (the Obsidian
 * Spaced Repetition plugin's reversed syntaxes): a Reversed note, one card each way. A term fact
 * becomes one too when the deck or its file says `reverse: terms` (see `reverseTerm`).
 */
import type { CardParts } from '../../facts/model.ts'
import { questionAnswer } from './separators.ts'
import type { FormReader } from './types.ts'

export const reversed: FormReader<'reversed'> = {
  form: 'reversed',
  item({ blocks }) {
    const read = questionAnswer(blocks, true)
    return read && { card: { form: 'reversed', reversed: read.parts }, text: read.text, keyWords: read.keyWords }
  },
}

/** A list item's term card asked both ways (`reverse: terms`); anything else as it is. */
export function reverseTerm(card: CardParts): CardParts {
  if (card.form !== 'term' || !card.term.definitionTree?.length) return card
  const { term, definition, termTree, definitionTree } = card.term
  return { form: 'reversed', reversed: { question: term, answer: definition, questionTree: termTree, answerTree: definitionTree } }
}
