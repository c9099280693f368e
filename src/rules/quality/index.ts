/**
 * Card-quality rules: warnings about cards that are poor to study from, found on the cards as
 * Anki will show them (`cards/text.ts`). Run by `compile`, so `check` and `build` both report them.
 */
import { cardTexts } from '../../cards/text.ts'
import type { Diagnostics } from '../../diagnostics.ts'
import type { Notes } from '../../facts/model.ts'
import { ambiguousCloze } from './ambiguous-cloze.ts'
import { clozeAnswerInContext } from './cloze-answer-in-context.ts'
import { clozeAnswerInText } from './cloze-answer-in-text.ts'
import { overloadedCard } from './overloaded-card.ts'
import type { CardRule } from './rule.ts'
import { weakCue } from './weak-cue.ts'
import { forgetWords } from './words.ts'

export type { CardRule } from './rule.ts'

/** Every card-quality rule, in the order their docs list them. */
export const CARD_RULES = [clozeAnswerInContext, clozeAnswerInText, ambiguousCloze, overloadedCard, weakCue] as const satisfies readonly CardRule[]

/** Runs the card-quality rules on the cards of the notes' facts. */
export function checkCards(notes: Pick<Notes, 'topics' | 'facts'>, diagnostics: Diagnostics, rules: readonly CardRule[] = CARD_RULES): void {
  const cards = cardTexts(notes)
  try {
    for (const rule of rules) rule.check(cards, diagnostics)
  } finally {
    forgetWords()
  }
}
