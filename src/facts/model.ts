/**
 * The Fact model: what every emitter (dataset, Anki deck, sheet) reads.
 * Built once from the notes by the pipeline; emitters never re-read markdown.
 */

/** Where something came from, 1-based, with `file` relative to the notes folder (POSIX separators). */
export interface SourcePosition {
  file: string
  line: number
  column: number
}

/** The card a fact makes, chosen from its markup. */
export type CardForm =
  /** `==term==` or `{{c1::term}}` marks: an Anki cloze note. */
  | 'cloze'
  /** `**Term**: definition`, or a table row: a Basic note, term on the front. */
  | 'term'
  /** `Question? :: Answer`: a Basic note, question on the front. */
  | 'qa'
  /** No card markup: still a fact for the sheet and the dataset, but no card. */
  | 'none'

export interface Domain {
  /** Stable id used in frontmatter, e.g. `sdlc`. */
  id: string
  /** 1-based number of the domain in the exam guide. */
  number: number
  name: string
  /** Share of the scored content, in percent. */
  weight: number
}

export interface DeckInfo {
  /** Deck title, the Anki parent deck's name, e.g. `AWS DevOps Pro DOP-C02`. */
  title: string
  /** File-name-safe slug of the title, e.g. `aws-devops-pro-dop-c02`. */
  slug: string
  /** Exam code, e.g. `DOP-C02`. */
  exam: string
  /** Long exam name, when the deck file gives one. */
  examName?: string
  /**
   * Namespace that new GUIDs are derived from: the lockfile's once there is one; for a first build
   * the deck file's `namespace`, default the slug of the title.
   */
  namespace: string
  /** The deck file sets `namespace` (a change of it is then a change on purpose). */
  explicitNamespace?: boolean
  domains: Domain[]
  /** The key technical topics of the exam, in order. */
  keyTopics: string[]
}

/** One notes file: a topic (an AWS service in the shipped notes). */
export interface Topic {
  /** Stable id: frontmatter `id`, else the slug of the file name. */
  id: string
  /** Frontmatter `name`. */
  name: string
  /** The `# Title` heading's text. */
  title: string
  /** Domain ids, in the order the frontmatter lists them. */
  domains: string[]
  /** Notes file, relative to the notes folder. */
  file: string
  /** 0-based position of the topic in build order (files sorted by path). */
  order: number
  /** Number of facts in this topic. */
  factCount: number
}

/** A cloze deletion in a fact, numbered as Anki numbers them. */
export interface ClozeDeletion {
  /** The `N` of `{{cN::…}}`, from 1. */
  index: number
  /** The hidden text, plain. */
  answer: string
  /** Optional hint (`{{c1::answer::hint}}`). */
  hint?: string
}

export interface ClozeParts {
  /** Plain text with `{{cN::answer}}` / `{{cN::answer::hint}}` marks. */
  text: string
  /** HTML with `{{cN::…}}` marks around the rendered (escaped) answers: an Anki cloze field. */
  html: string
  deletions: ClozeDeletion[]
}

export interface TermParts {
  term: string
  definition: string
  termHtml: string
  definitionHtml: string
}

export interface QuestionParts {
  question: string
  answer: string
  questionHtml: string
  answerHtml: string
}

/** For a fact that is a table row: the row's label and its labelled values. */
export interface TableRowParts {
  /** The table's caption: the section heading above it (or the topic title). */
  caption: string
  /** The first column's header. */
  labelHeader: string
  /** The first cell (the row's name). */
  label: string
  cells: { header: string; value: string; valueHtml: string }[]
}

export interface Fact {
  /** Readable identity: a pin (`^my-id`) or derived (`topic/key-words`). */
  id: string
  /** Anki note GUID: a hash of the deck namespace and the lockfile's identity of the fact. */
  guid: string
  /** Topic id. */
  topic: string
  /** Domain ids (the topic's). */
  domains: string[]
  /** Headings between the topic title and the fact (`##`, `###` …); empty for facts under the title. */
  section: string[]
  form: CardForm
  /** Plain text of the fact, cloze marks and pin removed. */
  text: string
  /** The fact's markdown, pin removed (cloze marks kept as written). */
  markdown: string
  /** Display HTML: cloze answers and defined terms in `<strong>`; raw HTML escaped. */
  html: string
  cloze?: ClozeParts
  term?: TermParts
  question?: QuestionParts
  table?: TableRowParts
  /** Hierarchical tags (`DOP-C02::topic::cloudformation`, …). */
  tags: string[]
  /** sha256 (hex) of what the fact shows: markdown, form, topic, section, domains. Not its line. */
  contentHash: string
  /** Unix seconds when the content last changed (from the lockfile). */
  modified: number
  /** Unix seconds when the fact was first seen (from the lockfile): its Anki note's "Added" date. */
  added: number
  /** 0-based position of the fact across the whole deck, in document order. */
  order: number
  source: SourcePosition
}

/** Everything the emitters get. */
export interface Notes {
  deck: DeckInfo
  topics: Topic[]
  facts: Fact[]
}
