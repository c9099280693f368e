/**
 * cloze-answer-in-text: a cloze answer appears elsewhere on the same front — repeated, spelled
 * out as an acronym beside it, or as another blank's visible answer: "Local DynamoDB: run [...]".
 */
import { quote, type CardRule } from './rule.ts'
import { givesAway } from './give-away.ts'

const id = 'cloze-answer-in-text'

export const clozeAnswerInText: CardRule<typeof id> = {
  id,
  description: 'A cloze answer appears elsewhere in the visible text of the same card',
  check(cards, diagnostics) {
    for (const card of cards) {
      for (const answer of card.answers) {
        const how = givesAway(answer, card.front)
        if (!how) continue
        diagnostics.warn(
          id,
          card.fact.source,
          `Unexpected cloze answer \`${quote(answer)}\` given away by ${how} on the front \`${quote(card.front)}\`, ` +
            'expected the rest of the card to cue the answer without showing it (reword, or hide the repeated word)',
        )
      }
    }
  },
}
