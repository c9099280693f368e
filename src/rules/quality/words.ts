/**
 * Words as the card-quality rules compare them: lower case, accents and punctuation gone, a
 * light plural stemming, so "Stack policies" and "stack policy" are the same words.
 */

/** Words that carry no cue of their own. */
const STOP_WORDS = new Set(
  `a an the of for to in on at by via per with without from into onto as and or nor but if then than
  so is are was were be been being it its this that these those there their them they you your we
  our can may must not no yes only also each every all any some one e g eg etc vs
  do does did don doesn didn isn aren wasn can cannot won t s what which who whom how when where why`.split(/\s+/),
)

/** Words the shipped notes repeat everywhere (vendor names): they neither cue nor give away. */
const GENERIC_WORDS = new Set(['aws', 'amazon'])

/**
 * Texts already split: the rules ask about the same breadcrumbs, sections and answers for card
 * after card (a topic's 50 facts share a handful of sections), and splitting was most of their time.
 */
const split = new Map<string, readonly string[]>()
const MAX_REMEMBERED = 100_000

/** The words of a text, normalised (see the module comment); the blank `[...]` is dropped. */
export function words(text: string): readonly string[] {
  let found = split.get(text)
  if (!found) {
    if (split.size >= MAX_REMEMBERED) split.clear()
    split.set(text, (found = Object.freeze(splitWords(text))))
  }
  return found
}

function splitWords(text: string): string[] {
  return (
    text
      .replace(/\[\.\.\.\]/g, ' ')
      // `table-level`, `CODEBUILD_SOURCE_VERSION` and `AWSControlTowerExecution` stay one word
      // ("item-level" is not given away by "table-level"); `a/b` and `AWS::SSM` are two.
      .split(/[^\p{L}\p{M}\p{N}_-]+/u)
      .flatMap(spaceless)
      .map((w) => w.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/^[-_]+|[-_]+$/g, ''))
      .filter((w) => w !== '')
      .map(stem)
  )
}

// Dictionary-based word breaks (ICU) for scripts written without spaces (Thai, Japanese, Chinese).
const segmenter = new Intl.Segmenter('und', { granularity: 'word' })

/** A run of letters split at its word breaks when it is not ASCII (a Thai sentence is one run). */
function spaceless(run: string): string[] {
  if (/^[\x00-\x7f]*$/.test(run)) return [run]
  return [...segmenter.segment(run)].filter((s) => s.isWordLike).map((s) => s.segment)
}

/** The words that cue or give away an answer: stop words and vendor names left out. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP_WORDS.has(w) && !GENERIC_WORDS.has(w))
}

function stem(word: string): string {
  const w = word.toLowerCase()
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`
  if (w.length > 4 && /(s|x|ch|sh)es$/.test(w)) return w.slice(0, -2)
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1)
  return w
}

/** Words that end the head of a noun phrase: "Customizations *for* AWS Control Tower". */
const PREPOSITIONS = new Set(['for', 'of', 'with', 'to', 'in', 'on', 'by', 'via', 'from', 'at', 'per', 'into'])

/**
 * The word an answer turns on: the head of its noun phrase, i.e. its last content word before a
 * preposition ("service *role*", "Account *Factory* for Terraform"). Undefined when the answer
 * has no content word (`==no==`).
 */
export function mainWord(answer: string): string | undefined {
  const all = words(answer)
  const cut = all.findIndex((w, i) => i > 0 && PREPOSITIONS.has(w))
  const content = (list: readonly string[]) => list.filter((w) => !STOP_WORDS.has(w) && !GENERIC_WORDS.has(w))
  const before = content(cut < 0 ? all : all.slice(0, cut))
  return (before.length ? before : content(all)).at(-1)
}

/**
 * The acronyms a phrase can be written as: the initials of its words, with and without its
 * stop words and vendor names (`Customizations for AWS Control Tower` → `cfact`, `cact`, `cfct`,
 * `cct`). Only for phrases of two words or more.
 */
export function acronymsOf(phrase: string): string[] {
  const all = phrase
    .normalize('NFKD')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase())
  if (all.length < 2) return []
  const keep = (dropStop: boolean, dropGeneric: boolean) =>
    all.filter((w) => !(dropStop && STOP_WORDS.has(w)) && !(dropGeneric && GENERIC_WORDS.has(w))).map((w) => w[0]).join('')
  return [...new Set([keep(false, false), keep(true, false), keep(false, true), keep(true, true)])].filter((a) => a.length >= 2)
}

/** Whether a token looks like an acronym as written (`DHMC`, `CfCT`, `AFT`): 2+ capitals, short. */
export function isAcronym(token: string): boolean {
  return /^[A-Z][A-Za-z]{1,7}$/.test(token) && (token.match(/[A-Z]/g) ?? []).length >= 2
}

/** Whether a word is written in capitals, like a name that cues by itself (`VPC`, `IAM`, `AZ`). */
export function isCapitalised(token: string): boolean {
  return /^[A-Z][A-Z0-9]{1,5}$/.test(token) && !GENERIC_WORDS.has(token.toLowerCase())
}

/** The tokens of a text as written (case kept), for finding acronyms. */
export function rawTokens(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '')
}
