/**
 * `Question::Answer` (spaces around `::` optional), or question lines, a line holding only `?`,
 * answer lines (the Obsidian Spaced Repetition plugin's syntaxes): a Basic card, question on the
 * front. Wins over cloze marks and terms.
 */
import { splitCard } from './separators.ts'
import { blocksText, plain } from './text.ts'
import type { FormReader } from './types.ts'

export const qa: FormReader<'qa'> = {
  form: 'qa',
  item({ blocks }) {
    const split = splitCard(blocks, false)
    if (!split) return undefined
    const question = { question: plain(split.question), answer: blocksText(split.answer), questionTree: split.question, answerTree: split.answer }
    return { card: { form: 'qa', question }, text: `${question.question} ${question.answer}`.trim(), keyWords: question.question }
  },
}
