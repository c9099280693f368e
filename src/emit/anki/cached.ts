/**
 * The `.apkg` through the build's persistent cache, at two levels:
 * - the whole package, under a key of everything it is made from: an unchanged deck is read
 *   back, never made (no SQLite, no zip);
 * - each topic's note records (rows.ts), under a key of that topic's facts — every field, trees
 *   included, all but their place in the whole deck — its name, file and the deck title: after a
 *   one-file edit only that file's notes are made again.
 *
 * What depends on the whole deck (ids, new-queue positions) is never kept: it is assembled again
 * from the records on every build, exactly as a cold build does, so the bytes are the same. A
 * record's `mod` is its fact's `modified`, which its key holds: a changed fact never gets a kept
 * record's older `mod` (Anki would skip the update).
 */
import { createHash } from 'node:crypto'
import type { Notes, RemovedFact } from '../../facts/model.ts'
import type { OutputCache } from '../output.ts'
import type { TopicRecords } from './package.ts'
import { groupFacts, type NoteRecord, type TopicGroup } from './rows.ts'

type Records = (NoteRecord | null)[]

/**
 * The records of the last build in this process, by key (a watch rebuild reads them from memory,
 * not the disk). Only the last build's: an edited topic's old records go with the next build.
 */
let lastBuild = new Map<string, Records>()

export interface CachedApkg {
  /** The key of the whole package, with `inputs` (every other input the package is made from). */
  key: string
  /** Each topic's records from memory or the cache when kept, else made (and kept). */
  records: TopicRecords
  /** Called once the package is made: what this build used is what the next one finds in memory. */
  done(): void
}

export function cachedApkg(cache: OutputCache, notes: Notes, removed: readonly RemovedFact[], inputs: readonly string[]): CachedApkg {
  const groups = groupFacts(notes)
  const keys = new Map(groups.map((group) => [group.topicId, topicKey(cache, notes, group)]))
  const used = new Map<string, Records>()
  const whole = createHash('sha256')
  for (const group of groups) {
    // The places of the facts in the whole deck (their new-queue positions), which the topic keys leave out.
    whole.update(`${keys.get(group.topicId)}\0${group.facts.map((fact) => fact.order).join(',')}\0`)
  }
  // The decks (title, descriptions, folders), the removed facts and the media files.
  whole.update(JSON.stringify({ deck: notes.deck, topics: notes.topics, removed }))
  for (const file of notes.media ?? []) whole.update(`\0${file.name}\0${file.data.byteLength}\0`).update(file.data)
  return {
    key: cache.key('apkg', whole.digest('hex'), ...inputs),
    records: async (group, make) => {
      const key = keys.get(group.topicId) ?? topicKey(cache, notes, group)
      let records = lastBuild.get(key) ?? (await cache.get<Records>(key))
      if (!Array.isArray(records) || records.length !== group.facts.length) {
        records = make()
        await cache.set(key, records)
      }
      used.set(key, records)
      return records
    },
    done: () => {
      lastBuild = used
    },
  }
}

/** A topic's key: its facts as they are, but for their place in the deck (`order`), its name and file, the deck title. */
function topicKey(cache: OutputCache, notes: Notes, group: TopicGroup): string {
  const digest = createHash('sha256').update(group.facts.map((fact) => cache.factDigest(fact).whole).join('\n')).digest('hex')
  const topic = group.topic ? { id: group.topic.id, name: group.topic.name, file: group.topic.file } : null
  return cache.key('apkg-topic', digest, JSON.stringify({ deck: notes.deck.title, topicId: group.topicId, topic }))
}
