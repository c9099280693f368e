/**
 * The sheet's per-topic fragments: the HTML of each topic's box, kept in the build cache under a
 * digest of everything the box is made from — the topic, its facts, the exam domains' numbers and
 * the templates (the cache's key adds cheatdeck's code) — so a build after a one-file edit renders
 * that topic's facts and box again and takes every other box back as it was. Only a whole box is
 * kept: a topic the fit cut over columns is rendered from its facts every time.
 */
import { createHash } from 'node:crypto'
import type { Fact, Notes } from '../../facts/model.ts'
import type { OutputCache } from '../output.ts'
import { sheetTopics, type SheetTemplates } from './index.ts'

/** What `renderSheet` takes topic boxes from and gives new ones to. */
export interface SheetFragments {
  /** The box of topic `topicId`, whole, when known. */
  get(topicId: string): string | undefined
  /** A box just rendered, whole. */
  put(topicId: string, html: string): void
}

export interface CachedFragments {
  fragments: SheetFragments
  /** The topics whose boxes were rendered, not taken back (ids, in the order rendered). */
  rendered(): string[]
  /** Keeps the boxes rendered in the cache. */
  save(): Promise<void>
}

/** The fragments of `notes` kept in `cache`; none when a template's box could depend on more than its topic. */
export async function cachedFragments(notes: Notes, templates: SheetTemplates, cache: OutputCache | undefined): Promise<CachedFragments | undefined> {
  if (!cache || !selfContained(templates)) return undefined
  const keys = new Map<string, string>()
  for (const [id, digest] of topicDigests(notes, templates, (fact) => cache.factDigest(fact).printed)) keys.set(id, cache.key('sheet-topic', digest))
  const kept = new Map<string, string>()
  await Promise.all(
    [...keys].map(async ([id, key]) => {
      const html = await cache.get<string>(key)
      if (typeof html === 'string') kept.set(id, html)
    }),
  )
  const fresh = new Map<string, string>()
  return {
    fragments: {
      get: (id) => kept.get(id) ?? fresh.get(id),
      put: (id, html) => {
        if (keys.has(id) && !kept.has(id)) fresh.set(id, html)
      },
    },
    rendered: () => [...fresh.keys()],
    save: async () => {
      await Promise.all([...fresh].map(([id, html]) => cache.set(keys.get(id)!, html)))
    },
  }
}

/**
 * A digest per topic id of what its box prints: the topic, and each of its facts but for its
 * place in the deck (`order`, `source`), its dates and GUID (`printed`), which do not print — a
 * topic whose facts only moved keeps its box.
 */
export function topicDigests(notes: Notes, templates: SheetTemplates, printed: (fact: Fact) => string): Map<string, string> {
  const shared = JSON.stringify({ partials: templates.partials, domains: notes.deck.domains.map((d) => [d.id, d.number]) })
  const digests = new Map<string, string>()
  for (const { topic, facts } of sheetTopics(notes)) {
    const shown = JSON.stringify({ id: topic.id, name: topic.name, title: topic.title, domains: topic.domains })
    digests.set(topic.id, createHash('sha256').update(shared).update(shown).update(facts.map(printed).join('\n')).digest('hex'))
  }
  return digests
}

/**
 * Whether every template a topic's box is made of prints only from the topic: none that it
 * reaches (`{{> name}}`) looks outside it (`@root`, `../`, or any other `@` data). A folder of
 * templates that does gets no fragments: every box is rendered every time.
 */
function selfContained(templates: SheetTemplates): boolean {
  if (templates.partials['topic'] === undefined) return false
  const seen = new Set<string>()
  const visit = (name: string): boolean => {
    if (seen.has(name)) return true
    seen.add(name)
    const text = templates.partials[name]
    if (text === undefined) return true
    if (/@|\.\.\//.test(text.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, ''))) return false
    return [...text.matchAll(/\{\{~?#?>\s*([\w./-]+)/g)].every((m) => visit(m[1]!))
  }
  return visit('topic')
}
