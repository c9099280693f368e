/**
 * notes folder → Notes (deck, topics, facts with ids and GUIDs) + diagnostics + the next lockfile.
 * Reads files, writes nothing.
 */
import path from 'node:path'
import { checkCardsCached, type CardRulesMemory } from './cache/card-rules.ts'
import { parseDeckCached, parseTopicsCached } from './cache/parse.ts'
import { CacheStore } from './cache/store.ts'
import { Diagnostics, sortDiagnostics, type Diagnostic } from './diagnostics.ts'
import { deriveId, sha256 } from './facts/identity.ts'
import { currentTime } from './facts/clock.ts'
import { resolveLockfile } from './facts/lock-stage.ts'
import { serializeLockfile, type Lockfile } from './facts/lockfile.ts'
import { cardOrdinals, deckNamed, SECTION_SEPARATOR, tagRoot, type DeckInfo, type Fact, type Notes, type RemovedFact, type SourcePosition, type Topic } from './facts/model.ts'
import type { Candidate, Changes } from './facts/resolve.ts'
import { slugify } from './facts/slug.ts'
import { applyRuleSettings } from './rules/settings.ts'
import type { ParsedTopic, RawFact } from './notes/parse.ts'
import { LOCKFILE, readDeckFile, readTopicFiles } from './notes/read.ts'
import { reverseTerm } from './notes/forms/index.ts'
import { resolveMedia } from './notes/media.ts'
import { linkTopics } from './notes/wikilinks.ts'

export interface CompileOptions {
  /** The notes folder. */
  notes: string
  /** Unix seconds to stamp new and changed facts with (default: `SOURCE_DATE_EPOCH`, else now). */
  now?: number
  /** Parsed topics of an earlier compile, reused when a file's text is unchanged (watch mode). */
  cache?: ParseCache
  /** What else a watcher keeps between rebuilds (create it empty; compile fills it). */
  memory?: CompileMemory
  /**
   * A folder for the persistent build cache (the CLI's default: `node_modules/.cache/cheatdeck`):
   * parsed files are kept there by content, so the next build parses only what changed. Without
   * it nothing is kept between runs.
   */
  cacheDir?: string
  /** Told what the compile is doing (stage, files parsed of total), for a progress line. */
  progress?: (step: ProgressStep) => void
  /** Accept a deck file `namespace` other than the lockfile's: every fact gets a new GUID. */
  newNamespace?: boolean
}

/** What a build is doing now: `parse` counts the files (`done` of `total`). */
export interface ProgressStep {
  stage: string
  done?: number
  total?: number
}

/** What compile keeps for the next one in the same process, besides the parse. */
export interface CompileMemory {
  /** The card-quality rules' diagnostics per group of unchanged topics. */
  rules?: CardRulesMemory
}

/** file path → its text and parse, so an unchanged file is not parsed again. */
export type ParseCache = Map<string, { value: string; setting: string; parsed: ParsedTopic }>

export interface CompileResult {
  /** No errors (warnings allowed). */
  ok: boolean
  notes: Notes
  diagnostics: Diagnostic[]
  changes: Changes
  removed: RemovedFact[]
  /** The lockfile after this compile, and its text as it is now on disk (undefined: none yet). */
  lock: Lockfile
  lockText: string
  previousLockText: string | undefined
  lockPath: string
  /** Cards the facts make: one per Basic fact, one per cloze number. */
  cards: number
  /** The clock this compile stamped changes with (unix seconds). */
  now: number
  /** Topic files parsed by this compile (the others came from the cache unchanged). */
  parsed: string[]
  /** Milliseconds spent per stage (`read`, `parse`, `facts`; the build adds its own). */
  timings: Record<string, number>
}

export { currentTime }

export async function compile(options: CompileOptions): Promise<CompileResult> {
  const now = options.now ?? currentTime()
  const diagnostics = new Diagnostics()
  const timings: Record<string, number> = {}
  let mark = performance.now()
  const lap = (stage: string): void => {
    const at = performance.now()
    timings[stage] = at - mark
    mark = at
  }
  options.progress?.({ stage: 'read' })
  const store = await openStore(options.cacheDir)
  // The deck file first: its `ignore:` says which files are notes.
  const deckFile = await readDeckFile(options.notes, diagnostics)
  const folderName = path.basename(path.resolve(options.notes))
  const deck = (await parseDeckCached(deckFile, folderName, diagnostics, store)) ?? deckNamed(folderName)
  const folder = { deck: deckFile, topics: await readTopicFiles(options.notes, deck.ignore ?? [], diagnostics) }
  lap('read')

  const total = folder.topics.length
  const onParsed = (done: number): void => options.progress?.({ stage: 'parse', done, total })
  const { parsed, reparsed } = await parseTopicsCached(folder.topics, deck.cards, options.cache, store, onParsed)
  for (const topic of parsed) diagnostics.list.push(...topic.diagnostics)
  lap('parse')
  options.progress?.({ stage: 'facts' })

  const media = await resolveMedia(options.notes, parsed, diagnostics)
  const { topics, drafts } = assemble(parsed, deck, diagnostics)

  const lockPath = path.join(options.notes, LOCKFILE)
  const candidates: Candidate[] = drafts.map((d) => ({ id: d.id, pinned: d.raw.pin !== undefined, topic: d.topic.id, section: d.raw.section.join(SECTION_SEPARATOR), text: d.raw.text, hash: d.hash, form: d.raw.card.form }))
  const stage = { lockPath, lockName: LOCKFILE, deck, deckText: folder.deck?.value, deckFile: folder.deck?.path ?? 'deck.yaml', now, ...(options.newNamespace ? { newNamespace: true } : {}) }
  const { resolved, lock, changes, removed, previousLockText } = await resolveLockfile(candidates, stage, diagnostics)
  // The namespace new GUIDs come from is the lockfile's (renaming the deck changes no GUID).
  deck.namespace = lock.namespace

  const facts = factsOf(drafts, resolved, deck)

  // What a topic's facts are made of besides its name: its file, and the deck settings read into them.
  const texts = new Map(folder.topics.map((file) => [file.path, file.value]))
  const settings = JSON.stringify([deck.cards ?? null, deck.reverseTerms === true])
  const inputs = (topic: Topic): string[] => [topic.file, texts.get(topic.file) ?? '', settings]
  if (options.memory) options.memory.rules ??= new Map()
  await checkCardsCached({ topics, facts }, inputs, diagnostics, options.memory?.rules, store)
  const cards = facts.reduce((sum, fact) => sum + cardOrdinals(fact).length, 0)
  const sorted = sortDiagnostics(applyRuleSettings(diagnostics.list, deck.rules))
  lap('facts')
  return {
    ok: !sorted.some((d) => d.severity === 'error'),
    notes: { deck, topics, facts, ...(media.length ? { media } : {}) },
    diagnostics: sorted,
    changes,
    removed,
    lock,
    lockText: serializeLockfile(lock),
    previousLockText,
    lockPath,
    cards,
    now,
    parsed: reparsed,
    timings,
  }
}

/** The facts as the outputs see them: each draft with the identity the lockfile gave it. */
function factsOf(drafts: readonly Draft[], resolved: ReadonlyMap<string, { guid: string; modified: number; added: number }>, deck: DeckInfo): Fact[] {
  return drafts.map((draft, order): Fact => {
    const identity = resolved.get(draft.id)
    if (!identity) throw new Error(`internal: fact ${draft.id} was not resolved`)
    const { raw, topic } = draft
    return {
      id: draft.id,
      guid: identity.guid,
      topic: topic.id,
      domains: [...topic.domains],
      section: raw.section,
      text: raw.text,
      markdown: raw.markdown,
      body: raw.body,
      tags: tagsFor(deck, topic, raw.section, draft.tags),
      contentHash: draft.hash,
      modified: identity.modified,
      added: identity.added,
      order,
      source: raw.source,
      ...(raw.media ? { media: raw.media } : {}),
      ...raw.card,
    }
  })
}

/** The persistent cache, or none when there is no folder or it cannot be used (then the build is cold). */
async function openStore(dir: string | undefined): Promise<CacheStore | undefined> {
  if (dir === undefined) return undefined
  return CacheStore.open(dir).catch(() => undefined)
}

interface Draft {
  id: string
  raw: RawFact
  topic: Topic
  /** The topic's tags and the fact's own. */
  tags: string[]
  hash: string
  /** Its file may hold `[[links]]`. */
  links: boolean
}

/** Topics and facts across files: ids, duplicate checks, domains against the deck. */
function assemble(parsed: ParsedTopic[], deck: DeckInfo, diagnostics: Diagnostics): { topics: Topic[]; drafts: Draft[] } {
  const topics: Topic[] = []
  const drafts: Draft[] = []
  const topicIds = new Map<string, SourcePosition>()
  const ids = new Map<string, RawFact>()
  const known = new Set(deck.domains.map((d) => d.id))
  for (const file of parsed) {
    // A file without facts (an empty note, a page of links) is no topic: it was warned about.
    if (!file.meta || file.facts.length === 0) continue
    const { meta } = file
    const first = topicIds.get(meta.id)
    if (first !== undefined) {
      diagnostics.error('duplicate-id', meta.idPlace, `Unexpected second topic \`${meta.id}\`, expected one file per topic id (set \`id\` in the frontmatter)`, { ...first, message: 'first defined here' })
      continue
    }
    topicIds.set(meta.id, meta.idPlace)
    if (deck.domains.length) {
      for (const domain of meta.domains) {
        if (!known.has(domain.id)) {
          diagnostics.error('unknown-domain', domain.place, `Unexpected domain \`${domain.id}\`, expected one of ${[...known].map((d) => `\`${d}\``).join(', ')}`)
        }
      }
    }
    const topic: Topic = {
      id: meta.id,
      // Frontmatter `name` or `title`, else the one `# Title`, else the file's name.
      name: meta.name ?? file.title ?? path.posix.basename(file.file).replace(/\.md$/i, ''),
      title: file.title ?? meta.name ?? path.posix.basename(file.file).replace(/\.md$/i, ''),
      domains: meta.domains.map((d) => d.id).filter((d) => known.has(d)),
      file: file.file,
      order: topics.length,
      factCount: 0,
      ...(meta.sheet === false ? { sheet: false as const } : {}),
    }
    const derived = new Map<string, number>()
    const reverse = deck.reverseTerms === true || meta.reverseTerms === true
    for (const parsedFact of file.facts) {
      // The parse is cached per file: the deck's `reverse` applies here, on a copy.
      const raw = reverse ? { ...parsedFact, card: reverseTerm(parsedFact.card) } : parsedFact
      let id: string
      if (raw.pin) {
        id = raw.pin
        const first = ids.get(id)
        if (first) {
          diagnostics.error('duplicate-id', raw.source, `Unexpected second fact with id \`^${id}\`, expected unique ids across all notes`, { ...first.source, message: 'first used here' })
          continue
        }
      } else {
        const base = derivedId(parsedFact, topic.id)
        const count = (derived.get(base) ?? 0) + 1
        derived.set(base, count)
        id = count === 1 ? base : `${base}-${count}`
      }
      ids.set(id, raw)
      drafts.push({ id, raw, topic, hash: contentHash(parsedFact, raw, topic), tags: [...file.tags, ...raw.tags], links: file.holds?.wikiLinks !== false })
      topic.factCount++
    }
    topics.push(topic)
  }
  // `[[Note]]` links point at the topics now known (the sheet links them).
  linkTopics(drafts.filter((d) => d.links).map((d) => d.raw), topics)
  return { topics, drafts }
}

/**
 * A parsed fact's derived id and content hash, kept while its parse is (a watcher keeps the
 * parse of unchanged files: their ids and hashes are not made again) and the topic is the same.
 */
const identities = new WeakMap<RawFact, { topic: string; base: string; shown?: string; hash?: string }>()

function derivedId(parsed: RawFact, topic: string): string {
  let known = identities.get(parsed)
  if (known?.topic !== topic) identities.set(parsed, (known = { topic, base: deriveId(topic, parsed.keyWords) }))
  return known.base
}

function contentHash(parsed: RawFact, raw: RawFact, topic: Topic): string {
  // An image's name comes from its bytes: a changed image is a changed fact (a newer note for Anki).
  const shown = [raw.markdown, raw.card.form, topic.name, raw.section, topic.domains]
  const text = JSON.stringify(raw.media ? [...shown, raw.media.map((m) => m.name)] : shown)
  let known = identities.get(parsed)
  if (!known) identities.set(parsed, (known = { topic: topic.id, base: deriveId(topic.id, parsed.keyWords) }))
  if (known.shown !== text) Object.assign(known, { shown: text, hash: sha256(text) })
  return known.hash ?? sha256(text)
}

/** A heading's slug in a tag (the facts under one heading share it: made once). */
const sectionSlugs = new Map<string, string>()
function sectionSlug(heading: string): string {
  let slug = sectionSlugs.get(heading)
  if (slug === undefined) {
    if (sectionSlugs.size > 100_000) sectionSlugs.clear()
    sectionSlugs.set(heading, (slug = slugify(heading) || 'section'))
  }
  return slug
}

/** The tags the deck makes (topic, domains, section), then the notes' own: deck, topic, fact. */
function tagsFor(deck: DeckInfo, topic: Topic, section: string[], own: readonly string[]): string[] {
  const root = tagRoot(deck)
  const tags = [`${root}::topic::${topic.id}`, ...topic.domains.map((d) => `${root}::domain::${d}`)]
  if (section.length) tags.push(`${root}::section::${topic.id}::${section.map(sectionSlug).join('::')}`)
  for (const tag of [...(deck.tags ?? []), ...own]) if (!tags.includes(tag)) tags.push(tag)
  return tags
}
