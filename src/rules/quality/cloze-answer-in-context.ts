/**
 * cloze-answer-in-context: a cloze answer appears in the breadcrumb (`Topic › Section`) shown
 * above the card, so the front answers itself: "Automation › … runs [...] runbooks".
 */
import { quote, type CardRule } from './rule.ts'
import { givesAway } from './give-away.ts'

const id = 'cloze-answer-in-context'

export const clozeAnswerInContext: CardRule<typeof id> = {
  id,
  description: 'A cloze answer appears in the topic or section breadcrumb shown on the front',
  check(cards, diagnostics) {
    for (const card of cards) {
      for (const answer of card.answers) {
        // The section names what the card is about; the topic only names the service.
        const how = givesAway(answer, card.section) ?? givesAway(answer, card.topicName, { wholeOnly: true })
        if (!how) continue
        diagnostics.warn(
          id,
          card.fact.source,
          `Unexpected cloze answer \`${quote(answer)}\` given away by ${how} in the card's context \`${quote(card.context)}\`, ` +
            'expected a breadcrumb that does not name the answer (rename the section, or hide another word)',
        )
      }
    }
  },
}
