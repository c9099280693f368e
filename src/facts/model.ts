/**
 * The Fact model: what every emitter (dataset, Anki deck, sheet) reads.
 * Built once from the notes by the pipeline; emitters never re-read markdown.
 */
import { slugify } from './slug.ts'
import type { RuleSettings } from '../rules/settings.ts'
import type { BlockContent, DefinitionContent, Parent, PhrasingContent } from 'mdast'

declare module 'mdast' {
  /** A cloze deletion (remark-cloze): its children are the hidden text. */
  interface Cloze extends Parent {
    type: 'cloze'
    /** The `N` of `{{cN::…}}`; 0 until numbered for `==…==` marks (see `numberClozes`). */
    index: number
    explicit: boolean
    hint?: string
    children: PhrasingContent[]
  }
  interface PhrasingContentMap {
    cloze: Cloze
  }
  interface RootContentMap {
    cloze: Cloze
  }
  interface WikiLink extends Parent {
    type: 'wikiLink'
    /** The note linked to, as written (`Note` of `[[Note#Heading|alias]]`). */
    target: string
    heading?: string
    children: PhrasingContent[]
    data?: WikiLinkData
  }
  interface WikiLinkData extends Data {
    /** The id of the topic the link points at, when it is in the deck (set by the build). */
    topic?: string
  }
  interface PhrasingContentMap {
    wikiLink: WikiLink
  }
  interface RootContentMap {
    wikiLink: WikiLink
  }
  interface ImageData {
    /** `![[file.png|300]]`: the width to show it at, in CSS pixels. */
    width?: number
  }
  interface ImageData {
    /** A file of the notes folder, resolved by the build (src/notes/media.ts). */
    media?: MediaFile
    /** An `http(s)` image: never fetched, shown as its alt text. */
    remote?: boolean
  }
}

/** An image of the notes folder, as every output takes it. */
export interface MediaFile {
  /** Its name in Anki's media folder: the file's name and a hash of its bytes (`chart-1a2b3c4d5e6f.png`). */
  name: string
  /** Where it is, relative to the notes folder. */
  source: string
  mime: string
  data: Uint8Array
}

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
  /** `Question? :: Answer` (or `?` on a line of its own): a Basic note, question on the front. */
  | 'qa'
  /** `Question ::: Answer` (or `??`), or a term when the deck asks for it: two cards, each side asking for the other. */
  | 'reversed'
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
  /** Exam code, e.g. `DOP-C02`, when the notes are for an exam. */
  exam?: string
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
  /** The deck file's `rules:`: warnings turned off or made errors. */
  rules?: RuleSettings
  /** The deck file's `sheet:` settings (the command line overrides each). */
  sheet?: SheetSettings
  /** The deck file's `ignore:`: gitignore-style patterns of files that are not notes. */
  ignore?: string[]
  /** The deck file's `cards:`: headings of this level are questions (unless a file says otherwise). */
  cards?: CardsSetting
  /** The deck file's `tags:`, given to every fact. */
  tags?: string[]
  /** `reverse: terms`: term facts (list items) make a card each way. */
  reverseTerms?: boolean
}

/** What the deck file says about the printed sheet. */
export interface SheetSettings {
  /** Only these topics (ids or names). */
  topics?: string[]
  /** Only facts with one of these tags (with or without the `<exam>::` root). */
  tags?: string[]
  /** The pages to fit on. */
  pages?: number
  /** The type floor, pt. */
  minFont?: number
}

/** A deck of this title and nothing else: no exam, no domains (a folder without a deck file). */
export function deckNamed(title: string): DeckInfo {
  const name = title.trim() || 'Deck'
  const slug = slugify(name) || 'deck'
  return { title: name, slug, namespace: slug, domains: [], keyTopics: [] }
}

/** The first part of every tag the deck makes: the exam code, else the deck's slug. */
export function tagRoot(deck: Pick<DeckInfo, 'exam' | 'slug'>): string {
  return (deck.exam ?? deck.slug).replace(/\s+/g, '_')
}

/** `cards: headings`: each heading of level `headings` is a question, what is under it the answer. */
export interface CardsSetting {
  headings: number
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
  /** `false` when its frontmatter says `sheet: false`: left off the printed sheet (absent otherwise). */
  sheet?: false
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

/** Block content of a fact as mdast (with `cloze` nodes from remark-cloze). */
export type Blocks = (BlockContent | DefinitionContent)[]
/** Inline content of a fact as mdast. */
export type Inline = PhrasingContent[]

export interface ClozeParts {
  /** Plain text with `{{cN::answer}}` / `{{cN::answer::hint}}` marks. */
  text: string
  deletions: ClozeDeletion[]
}

export interface TermParts {
  term: string
  definition: string
  /** The term as a tree (a table row's: its first cell). */
  termTree: Inline
  /** The definition as a tree; absent for a table row, whose definition is its values (`body.row`). */
  definitionTree?: Blocks
}

export interface QuestionParts {
  question: string
  answer: string
  questionTree: Inline
  answerTree: Blocks
}

/** A table row: its caption, its label and its labelled values. */
export interface TableRow {
  /** The table's caption: the section heading above it (or the topic title). */
  caption: string
  /** The first column's header. */
  labelHeader: string
  /** The first cell (the row's name), plain. */
  label: string
  labelTree: Inline
  cells: TableCell[]
}

export interface TableCell {
  header: string
  /** The cell's plain text. */
  value: string
  tree: Inline
}

/** What a fact shows, as mdast: a list item's blocks (pin removed) or a table row. */
export type FactBody = { type: 'item'; blocks: Blocks } | { type: 'row'; row: TableRow }

/** A fact's card form and the parts its card is made of: one member per form. */
export type CardParts =
  | { form: 'cloze'; cloze: ClozeParts }
  | { form: 'term'; term: TermParts }
  | { form: 'qa'; question: QuestionParts }
  /** A question and answer asked both ways: the answer is the front of the second card. */
  | { form: 'reversed'; reversed: QuestionParts }
  | { form: 'none' }

interface FactBase {
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
  /** Plain text of the fact, cloze marks and pin removed. */
  text: string
  /** The fact's markdown, pin removed (cloze marks kept as written). */
  markdown: string
  /** What the fact shows, as a tree: each output renders it in its own idiom. */
  body: FactBody
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
  /** The images it shows (files of the notes folder), in document order. */
  media?: { name: string; source: string }[]
}

/** A fact: discriminated on `form`, so a new form does not compile until every output handles it. */
export type Fact = FactBase & CardParts

/** Joins a section path for people (`Stack policies › Updates`). */
export const SECTION_SEPARATOR = ' › '

/** `file:line:column` of a place in the notes. */
export function formatSource(source: SourcePosition): string {
  return `${source.file}:${source.line}:${source.column}`
}

/**
 * The cards a fact makes, as Anki's 0-based card ordinals: one per cloze number (`c1` → 0), one
 * for a Basic note, two for a Reversed note (forward, reverse), none without card markup. The one place cards are counted.
 */
export function cardOrdinals(card: CardParts): number[] {
  switch (card.form) {
    case 'cloze':
      return [...new Set(card.cloze.deletions.map((d) => d.index).filter((n) => n >= 1))].sort((a, b) => a - b).map((n) => n - 1)
    case 'term':
    case 'qa':
      return [0]
    case 'reversed':
      return [0, 1]
    case 'none':
      return []
    default:
      return assertNever(card)
  }
}

/** For the `default` of a switch that handles every member of a union: fails to compile otherwise. */
export function assertNever(value: never): never {
  throw new Error(`internal: unexpected ${JSON.stringify(value)}`)
}

/** A fact gone from the notes, as the lockfile remembers it: shipped to Anki tagged `<exam>::removed`. */
export interface RemovedFact {
  guid: string
  /** Its last id. */
  id: string
  /** Its topic id. */
  topic: string
  /** Its last plain text. */
  text: string
  /**
   * Its card form, if known. A GUID only updates a note of the same note type, so a removed
   * cloze fact must come back as a Cloze note. Default: a Basic note. `none`: never had a note,
   * so none is shipped.
   */
  form?: CardForm
  /** Unix seconds: when the fact was first seen (its note's id, as when it was in the notes). */
  added: number
  /** Unix seconds: when the build first found it gone. Becomes the note's `mod`. */
  removedAt: number
}

/** Everything the emitters get. */
export interface Notes {
  deck: DeckInfo
  topics: Topic[]
  facts: Fact[]
  /** The images the facts show, once each, by name (absent: none). */
  media?: MediaFile[]
}
