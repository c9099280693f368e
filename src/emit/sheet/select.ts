/**
 * What goes on the sheet: every topic and fact, less topics whose frontmatter says `sheet: false`,
 * narrowed to the topics (`--topics`, deck file `sheet.topics`) and tags (`--tags`,
 * `sheet.tags`) asked for. Entries that match nothing are warned about, never silently ignored.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics.ts'
import { tagRoot, type Fact, type Notes } from '../../facts/model.ts'

export interface SheetSelection {
  /** Topic ids or names (any case). */
  topics?: readonly string[]
  /**
   * Tags, with or without the deck's `<exam>::` root (`domain::iac`, `DOP-C02::topic::kms`); a
   * tag also selects its children (`topic::kms` selects `topic::kms::…`), as Anki's search does.
   */
  tags?: readonly string[]
  /** Where each list was given, for the warnings (`--topics`, `` `sheet.topics` in deck.yaml ``). */
  labels?: { topics?: string; tags?: string }
}

/** The notes narrowed to what the sheet shows, and warnings for entries that matched nothing. */
export function selectForSheet(notes: Notes, selection: SheetSelection = {}): { notes: Notes; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const label = { topics: '`--topics`', tags: '`--tags`', ...selection.labels }
  // Pointed at the deck file: the selection is about the deck, wherever it was given.
  const warn = (message: string) => diagnostics.push(diagnostic('warning', 'sheet-selection', { file: 'deck.yaml', line: 1, column: 1 }, message))

  let topics = notes.topics.filter((t) => t.sheet !== false)
  if (selection.topics?.length) {
    const wanted = selection.topics.map((name) => name.trim().toLowerCase()).filter(Boolean)
    for (const name of wanted) {
      if (!notes.topics.some((t) => t.id.toLowerCase() === name || t.name.toLowerCase() === name)) {
        warn(`Unexpected topic \`${name}\` in ${label.topics}, expected a topic id or name (e.g. \`${notes.topics[0]?.id ?? 'topic'}\`)`)
      }
    }
    topics = topics.filter((t) => wanted.includes(t.id.toLowerCase()) || wanted.includes(t.name.toLowerCase()))
  }
  const kept = new Set(topics.map((t) => t.id))
  let facts = notes.facts.filter((f) => kept.has(f.topic))
  if (selection.tags?.length) {
    const root = `${tagRoot(notes.deck)}::`.toLowerCase()
    const wanted = selection.tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean).map((tag) => (tag.startsWith(root) ? tag : root + tag))
    for (const tag of wanted) {
      if (!notes.facts.some((f) => hasTag(f, tag))) warn(`Unexpected tag \`${tag}\` in ${label.tags}, expected a tag some fact has (e.g. \`${notes.facts[0]?.tags[0] ?? 'topic::…'}\`)`)
    }
    facts = facts.filter((f) => wanted.some((tag) => hasTag(f, tag)))
    const withFacts = new Set(facts.map((f) => f.topic))
    topics = topics.filter((t) => withFacts.has(t.id))
  }
  if (topics.length === 0 && notes.topics.length > 0) {
    warn('Unexpected empty sheet: the topics and tags asked for leave nothing on it, expected at least one topic')
  }
  return { notes: { ...notes, topics, facts }, diagnostics }
}

function hasTag(fact: Fact, tag: string): boolean {
  return fact.tags.some((t) => {
    const own = t.toLowerCase()
    return own === tag || own.startsWith(`${tag}::`)
  })
}
