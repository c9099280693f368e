/**
 * weak-cue: a front with too few words besides the blank to point at one answer
 * ("Don't restrict [...].", "Parameter Store parameter?"): many answers fit, so recalling the
 * right one is luck, or the card is learnt by its shape.
 */
import { quote, type CardRule } from './rule.ts'
import { textWords } from './words.ts'

const id = 'weak-cue'

/** Fewer distinct content words than this on a front (the blank and stop words not counted). */
export const MIN_CUE_WORDS = 3

export const weakCue: CardRule<typeof id> = {
  id,
  description: `A cloze or question front with fewer than ${MIN_CUE_WORDS} words besides the blank`,
  check(cards, diagnostics) {
    for (const card of cards) {
      // A term card's front is the term itself: its cue is the name being defined.
      if (card.fact.form !== 'cloze' && card.fact.form !== 'qa') continue
      const cue = textWords(card.front).contentSet
      if (cue.size >= MIN_CUE_WORDS) continue
      diagnostics.warn(
        id,
        card.fact.source,
        `Unexpected front \`${quote(card.front)}\` with ${cue.size === 0 ? 'no word' : cue.size === 1 ? 'one word' : `${cue.size} words`} besides the blank, ` +
          `expected at least ${MIN_CUE_WORDS} to cue one answer (say what is asked: the service, the setting, the situation)`,
      )
    }
  },
}
