/**
 * overloaded-card: one card asks for several independent answers — a table row whose back is
 * three yes/no values, or one cloze number hiding unrelated blanks. Each answer should be its
 * own card (the minimum-information principle): recalled together, they are half-remembered.
 */
import { quote, type CardRule } from './rule.ts'
import { textWords } from './words.ts'

const id = 'overloaded-card'

export const overloadedCard: CardRule<typeof id> = {
  id,
  description: 'A card asks for more than one independent answer (table row values, one cloze number on unrelated blanks)',
  check(cards, diagnostics) {
    for (const card of cards) {
      if (card.values.length >= 2) {
        const labels = card.values.map((v) => v.label || '(no header)').join(', ')
        diagnostics.warn(
          id,
          card.fact.source,
          `Unexpected table row \`${quote(card.front)}\` asking for ${card.values.length} values at once (${labels}), ` +
            'expected one answer per card (mark the values to learn as `==…==`, each its own card, or split the row)',
        )
        continue
      }
      const distinct = new Map(card.answers.map((a) => [textWords(a).spaced, a]))
      if (distinct.size < 2) continue
      diagnostics.warn(
        id,
        card.fact.source,
        `Unexpected cloze number c${card.card} hiding ${distinct.size} different answers (${[...distinct.values()].map((a) => `\`${quote(a)}\``).join(', ')}), ` +
          'expected one answer per card (give each blank its own number, e.g. `==…==`)',
      )
    }
  },
}
