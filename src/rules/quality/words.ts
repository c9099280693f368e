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
 * A text's words in each form the rules ask for, each made on first use and then kept: the rules
 * ask about the same breadcrumbs, sections, fronts and answers for rule after rule and card after
 * card (a topic's 50 facts share a handful of sections), and remaking them was most of their time.
 */
export class TextWords {
  #content?: readonly string[]
  #contentSet?: ReadonlySet<string>
  #set?: ReadonlySet<string>
  #spaced?: string
  #tokens?: readonly string[]
  #tokenSet?: ReadonlySet<string>
  #capitals?: readonly string[]
  #acronymTokens?: readonly string[]
  #main?: { word: string | undefined }
  #acronyms?: ReadonlySet<string>

  constructor(
    readonly text: string,
    /** `words(text)`. */
    readonly all: readonly string[],
  ) {}

  /** `contentWords(text)`. */
  get content(): readonly string[] {
    return (this.#content ??= Object.freeze(this.all.filter(isContent)))
  }

  /** The distinct content words. */
  get contentSet(): ReadonlySet<string> {
    return (this.#contentSet ??= new Set(this.content))
  }

  /** The distinct words. */
  get set(): ReadonlySet<string> {
    return (this.#set ??= new Set(this.all))
  }

  /** The words joined by spaces, with a space before and after: a phrase is found as ` a b `. */
  get spaced(): string {
    return (this.#spaced ??= ` ${this.all.join(' ')} `)
  }

  /** `rawTokens(text)`. */
  get tokens(): readonly string[] {
    return (this.#tokens ??= Object.freeze(rawTokens(this.text)))
  }

  get tokenSet(): ReadonlySet<string> {
    return (this.#tokenSet ??= new Set(this.tokens))
  }

  /** The tokens written in capitals (`isCapitalised`), in order. */
  get capitals(): readonly string[] {
    return (this.#capitals ??= Object.freeze(this.tokens.filter(isCapitalised)))
  }

  /** The tokens that look like acronyms (`isAcronym`), in order. */
  get acronymTokens(): readonly string[] {
    return (this.#acronymTokens ??= Object.freeze(this.tokens.filter(isAcronym)))
  }

  /** `mainWord(text)`. */
  get main(): string | undefined {
    return (this.#main ??= { word: mainWordOf(this.all) }).word
  }

  /** `acronymsOf(text)`. */
  get acronyms(): ReadonlySet<string> {
    return (this.#acronyms ??= new Set(acronymsOf(this.text)))
  }
}

const known = new Map<string, TextWords>()
const MAX_REMEMBERED = 100_000

/** Lets go of the texts' words: a check is done (a 10 000-fact deck's take tens of MB). */
export function forgetWords(): void {
  known.clear()
}

/** The words of a text in every form (see TextWords), made once per text until `forgetWords`. */
export function textWords(text: string): TextWords {
  let found = known.get(text)
  if (!found) {
    if (known.size >= MAX_REMEMBERED) known.clear()
    known.set(text, (found = new TextWords(text, Object.freeze(splitWords(text)))))
  }
  return found
}

/** The words of a text, normalised (see the module comment); the blank `[...]` is dropped. */
export function words(text: string): readonly string[] {
  return textWords(text).all
}

/** `words(text)` without keeping them: for a text no other card or rule asks about. */
export function splitWords(text: string): string[] {
  const found: string[] = []
  // `table-level`, `CODEBUILD_SOURCE_VERSION` and `AWSControlTowerExecution` stay one word
  // ("item-level" is not given away by "table-level"); `a/b` and `AWS::SSM` are two. The blank
  // `[...]` is punctuation, so it splits like any other.
  if (ASCII.test(text)) {
    // Most texts: no accents to strip, no word breaks to find, and case folded in one go.
    for (const run of text.toLowerCase().split(/[^a-z0-9_-]+/)) if (run !== '') keep(found, run)
    return found
  }
  for (const run of text.split(/[^\p{L}\p{M}\p{N}_-]+/u)) {
    if (run === '') continue
    if (ASCII.test(run)) keep(found, run.toLowerCase())
    else for (const word of spaceless(run)) keep(found, word.normalize('NFKD').replace(/\p{M}+/gu, ''), true)
  }
  return found
}

const ASCII = /^[\x00-\x7f]*$/

/** Adds a word, its leading and trailing `-` and `_` cut, stemmed; `fold`: lower-cased first. */
function keep(found: string[], word: string, fold = false): void {
  const w = /^[-_]|[-_]$/.test(word) ? word.replace(/^[-_]+|[-_]+$/g, '') : word
  if (w !== '') found.push(stem(fold ? w.toLowerCase() : w))
}

// Dictionary-based word breaks (ICU) for scripts written without spaces (Thai, Japanese, Chinese).
const segmenter = new Intl.Segmenter('und', { granularity: 'word' })

/** A run of letters split at its word breaks (a Thai sentence is one run). */
function spaceless(run: string): string[] {
  return [...segmenter.segment(run)].filter((s) => s.isWordLike).map((s) => s.segment)
}

/** The words that cue or give away an answer: stop words and vendor names left out. */
export function contentWords(text: string): readonly string[] {
  return textWords(text).content
}

/** Whether a word cues or gives away (see contentWords). */
export function isContent(word: string): boolean {
  return !STOP_WORDS.has(word) && !GENERIC_WORDS.has(word)
}

/** A lower-case word without its plural ending. */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`
  if (!w.endsWith('s')) return w
  if (w.length > 4 && /(s|x|ch|sh)es$/.test(w)) return w.slice(0, -2)
  if (w.length > 3 && !/(ss|us|is)$/.test(w)) return w.slice(0, -1)
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
  return textWords(answer).main
}

function mainWordOf(all: readonly string[]): string | undefined {
  const cut = all.findIndex((w, i) => i > 0 && PREPOSITIONS.has(w))
  const before = (cut < 0 ? all : all.slice(0, cut)).filter(isContent)
  return (before.length ? before : all.filter(isContent)).at(-1)
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
