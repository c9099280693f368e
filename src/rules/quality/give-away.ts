/**
 * Whether text a card shows gives its hidden answer away: the two "answer visible" rules
 * (`cloze-answer-in-context`, `cloze-answer-in-text`) ask the same question of different text.
 */
import { quote } from './rule.ts'
import { isAcronym, textWords } from './words.ts'

export interface GiveAwayOptions {
  /**
   * Only the whole answer counts (for the topic's name: an answer that shares a word with its
   * service, "file system policy" in "Elastic File System", is not given away by it).
   */
  wholeOnly?: boolean
}

/**
 * How `shown` gives `answer` away, as words to quote in a message, or undefined when it
 * doesn't. It does when it holds:
 * - the whole answer (normalised: case, plurals, punctuation): "Automation";
 * - the answer's main word, the head of its noun phrase: "Account *Factory* for Terraform";
 * - half or more of its content words: "[...]: … → canary, rest → production" (Canary release);
 * - a word of the answer written in capitals (`VPC`, `AZ`): "[...] (VPC, subnets, SGs)";
 * - the answer as an acronym ("AFC" beside "Account Factory Customization"), or the answer
 *   spelled out when it is an acronym.
 * One shared word of a longer answer ("Account Factory for *Terraform*") cues without answering.
 */
export function givesAway(answer: string, shown: string, options: GiveAwayOptions = {}): string | undefined {
  const hidden = textWords(answer)
  // "Yes", "No", "one": no word of their own to give away (stop words), only a choice.
  if (hidden.content.length === 0) return undefined
  const seen = textWords(shown)
  if (seen.spaced.includes(hidden.spaced)) return `"${quote(answer)}"`
  if (options.wholeOnly) return undefined
  const main = hidden.main
  if (main && seen.set.has(main)) return `its main word "${main}"`
  const target = hidden.contentSet
  if (target.size >= 2) {
    const common = [...target].filter((w) => seen.set.has(w))
    if (common.length * 2 >= target.size) return `its words ${common.map((w) => `"${w}"`).join(', ')}`
  }
  const capital = hidden.capitals.find((t) => seen.tokenSet.has(t))
  if (capital) return `its word "${capital}"`
  const acronym = seen.acronymTokens.find((t) => hidden.acronyms.has(t.toLowerCase()))
  if (acronym) return `its acronym "${acronym}"`
  const single = hidden.tokens
  if (single.length === 1 && single[0] && isAcronym(single[0]) && spellsOut(single[0].toLowerCase(), seen.tokens)) {
    return `"${single[0]}" spelled out`
  }
  return undefined
}

/** Whether consecutive capitalised words of `tokens` have the acronym's letters as initials. */
function spellsOut(acronym: string, tokens: readonly string[]): boolean {
  for (let start = 0; start + acronym.length <= tokens.length; start++) {
    const run = tokens.slice(start, start + acronym.length)
    // "Default Host Management Configuration", not four words that happen to start so.
    if (run.every((t) => /^[A-Z]/.test(t)) && run.map((t) => t[0]?.toLowerCase()).join('') === acronym) return true
  }
  return false
}
