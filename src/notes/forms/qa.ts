/**
 * `Question::Answer` (spaces around `::` optional), or question lines, a line holding only `?`,
 * answer lines (the Obsidian Spaced Repetition plugin's syntaxes): a Basic card, question on the
 * front. Wins over cloze marks and terms.
 */
import { questionAnswer } from './separators.ts'
import type { FormReader } from './types.ts'

export const qa: FormReader<'qa'> = {
  form: 'qa',
  item({ blocks }) {
    const read = questionAnswer(blocks, false)
    return read && { card: { form: 'qa', question: read.parts }, text: read.text, keyWords: read.keyWords }
  },
}
