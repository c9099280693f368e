/**
 * ambiguous-cloze: two cards whose fronts, blank included, read the same ("Don't restrict [...]."
 * and "Don't restrict the [...]."): the front cannot say which answer it wants, so one of them
 * is always "wrong".
 */
import type { CardText } from '../../cards/text.ts'
import { BLANK } from '../../cards/text.ts'
import { quote, type CardRule } from './rule.ts'
import { isContent, splitWords, textWords } from './words.ts'

const id = 'ambiguous-cloze'

/**
 * What a front asks, as people tell fronts apart: its content words in order, the blank kept as
 * a word, words of the breadcrumb dropped (both cards show it). Case, plurals, punctuation, stop
 * words and vendor names never tell two fronts apart.
 */
function shape(card: CardText): string {
  const shown = textWords(card.context).contentSet
  // The parts between blanks are this card's own: split, not kept (see textWords).
  return card.front
    .split(BLANK)
    .map((part) => splitWords(part).filter((w) => isContent(w) && !shown.has(w)).join(' '))
    .join(' _ ')
    .trim()
}

/**
 * The breadcrumb two cloze cards must share to be compared: the only way a card-quality rule
 * reads another card (src/cache/card-rules.ts checks topics apart when none of them share one).
 */
export function comparedUnder(context: string): string {
  return quote(context)
}

export const ambiguousCloze: CardRule<typeof id> = {
  id,
  description: 'Two cloze cards whose fronts, with the blank, are identical or differ only in small words',
  check(cards, diagnostics) {
    const first = new Map<string, CardText>()
    for (const card of cards) {
      if (card.fact.form !== 'cloze') continue
      const key = `${comparedUnder(card.context)}\n${shape(card)}`
      const earlier = first.get(key)
      if (!earlier) {
        first.set(key, card)
        continue
      }
      if (earlier.fact === card.fact) continue
      diagnostics.warn(
        id,
        card.fact.source,
        `Unexpected front \`${quote(card.front)}\` that reads like another card's \`${quote(earlier.front)}\`, ` +
          'expected fronts that ask for one answer each (add what tells them apart)',
        { ...earlier.fact.source, message: 'the other card' },
      )
    }
  },
}
