/**
 * The cards a fact makes, as plain text: what Anki shows on the front and on the back. The
 * card-quality rules read these, and `cheatdeck cards` prints them, so a person can read the
 * deck as Anki will show it without importing it.
 */
import { assertNever, cardOrdinals, SECTION_SEPARATOR, type Fact, type Notes } from '../facts/model.ts'

/** What Anki puts in place of the hidden text on the front (unless the cloze has a hint). */
export const BLANK = '[...]'

export interface CardText {
  fact: Fact
  /** 1-based card number within its note: the cloze number, or 1 for a Basic note. */
  card: number
  /** The breadcrumb shown above the card: `Topic › Section › Subsection`. */
  context: string
  /** The topic's name, first in the breadcrumb. */
  topicName: string
  /** The section path of the breadcrumb (`Section › Subsection`), empty under the title. */
  section: string
  /** The front, plain: the question, the term, or the cloze text with this card's blanks. */
  front: string
  /** The back, plain: the answer, the definition, or the cloze text with the answers in brackets. */
  back: string
  /** What this card hides on its front (the cloze answers of this number); empty for Basic cards. */
  answers: string[]
  /** How many values the back asks for at once (a table row's cells; 1 otherwise). */
  values: { label: string; value: string }[]
}

/** Every card of the notes, in note order, then card number. */
export function cardTexts(notes: Pick<Notes, 'topics' | 'facts'>): CardText[] {
  const names = new Map(notes.topics.map((t) => [t.id, t.name]))
  return notes.facts.flatMap((fact) => cardsOf(fact, names.get(fact.topic) ?? fact.topic))
}

/** The cards of one fact (none for a fact without card markup). */
export function cardsOf(fact: Fact, topicName: string): CardText[] {
  const context = [topicName, ...fact.section].join(SECTION_SEPARATOR)
  const section = fact.section.join(SECTION_SEPARATOR)
  // Each card written out whole: spreading a shared base into every card was most of the time here.
  const card = (card: number, front: string, back: string, answers: string[] = [], values: CardText['values'] = []): CardText => ({
    fact,
    context,
    topicName,
    section,
    card,
    front,
    back,
    answers,
    values,
  })
  switch (fact.form) {
    case 'none':
      return []
    case 'cloze': {
      const parts = splitCloze(fact.cloze.text, fact.cloze.deletions)
      return cardOrdinals(fact).map((ord) => {
        const number = ord + 1
        const answers = fact.cloze.deletions.filter((d) => d.index === number).map((d) => d.answer)
        return card(number, showCloze(parts, number, 'front'), showCloze(parts, number, 'back'), answers)
      })
    }
    case 'term': {
      const { term } = fact
      const values = fact.body.type === 'row' ? fact.body.row.cells.map((c) => ({ label: c.header, value: c.value })) : []
      return [card(1, term.term, term.definition, [], values)]
    }
    case 'qa':
      return [card(1, fact.question.question, fact.question.answer)]
    case 'reversed': {
      const { question, answer } = fact.reversed
      return [card(1, question, answer), card(2, answer, question)]
    }
    default:
      return assertNever(fact)
  }
}

type Part = string | { index: number; answer: string; hint?: string }

/**
 * Cuts a cloze text (`… {{c1::answer::hint}} …`) into plain runs and deletions. The deletions
 * come in document order, so each is found literally after the one before: answers holding
 * `::` or `}}` (in code) are never misread as marks.
 */
function splitCloze(text: string, deletions: readonly { index: number; answer: string; hint?: string }[]): Part[] {
  const parts: Part[] = []
  let at = 0
  for (const deletion of deletions) {
    const mark = `{{c${deletion.index}::`
    const start = text.indexOf(mark, at)
    if (start < 0) break
    const answerEnd = text.indexOf(deletion.answer, start + mark.length)
    const close = text.indexOf('}}', answerEnd < 0 ? start : answerEnd + deletion.answer.length)
    if (close < 0) break
    parts.push(text.slice(at, start), deletion)
    at = close + 2
  }
  parts.push(text.slice(at))
  return parts
}

function showCloze(parts: readonly Part[], card: number, side: 'front' | 'back'): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part
      if (part.index !== card) return part.answer
      if (side === 'back') return `[${part.answer}]`
      return part.hint ? `[${part.hint}]` : BLANK
    })
    .join('')
}
