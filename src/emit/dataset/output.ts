/**
 * The dataset output: `facts.json` and its JSON Schema. `facts.json` is made while it is written,
 * a topic at a time (memory stays flat however many facts there are), and each topic's part is
 * kept in the build cache under the digests of that topic's facts (but for their place in the deck):
 * a one-file edit renders one topic, even when it adds or removes facts.
 */
import { createHash } from 'node:crypto'
import type { Fact } from '../../facts/model.ts'
import type { Output, OutputCache, OutputContext } from '../output.ts'
import { DATASET_FILE, datasetText, factsFragment, SCHEMA_FILE, schemaText } from './index.ts'

/** Pieces are written in chunks of about this many characters (fewer, larger writes). */
const CHUNK_CHARS = 1 << 16

export const datasetOutput: Output<'dataset'> = {
  id: 'dataset',
  description: 'facts.json and facts.schema.json',
  async emit(context) {
    const schema = await context.timed('dataset', () => Buffer.from(schemaText()))
    return {
      files: [
        { name: DATASET_FILE, data: { [Symbol.asyncIterator]: () => datasetChunks(context) } },
        { name: SCHEMA_FILE, data: schema },
      ],
    }
  },
}

async function* datasetChunks({ notes, timed, cache }: OutputContext): AsyncGenerator<Uint8Array> {
  const fragment = (facts: Fact[]): Promise<string | Uint8Array> => timed('dataset', () => (cache ? cachedFragment(cache, facts) : factsFragment(facts)))
  let pending = ''
  for await (const piece of datasetText(notes, fragment)) {
    if (typeof piece !== 'string') {
      // A kept part is its bytes already: written as they are, not encoded again.
      if (pending) yield Buffer.from(pending)
      pending = ''
      yield piece
      continue
    }
    pending += piece
    if (pending.length < CHUNK_CHARS) continue
    yield Buffer.from(pending)
    pending = ''
  }
  if (pending) yield Buffer.from(pending)
}

/**
 * A topic's fragment from the cache, else made and kept: under the digests of its facts but for
 * their place in the deck, so a fact added above the topic (which moves every later `order`)
 * does not make it again — the kept fragment's `order` values are moved by as much. Kept as
 * UTF-8 bytes: most builds write it as it was.
 */
async function cachedFragment(cache: OutputCache, facts: Fact[]): Promise<string | Uint8Array> {
  if (!consecutive(facts)) return factsFragment(facts)
  const key = cache.key('dataset-topic', createHash('sha256').update(facts.map((fact) => cache.factDigest(fact).whole).join('\n')).digest('hex'))
  const first = facts[0]?.order ?? 0
  const kept = await cache.get<{ first: number; bytes: Uint8Array }>(key)
  if (kept?.bytes instanceof Uint8Array && typeof kept.first === 'number') {
    return first === kept.first ? kept.bytes : moveOrders(Buffer.from(kept.bytes).toString('utf8'), first - kept.first)
  }
  const made = factsFragment(facts)
  await cache.set(key, { first, bytes: Buffer.from(made) })
  return made
}

/** A fact's `order` in a fragment: a key of the fact object itself (its fields are the only ones indented this deep). */
const ORDER_FIELD = /\n {6}"order": (\d+),/g

/** The fragment with every fact's `order` moved by `by`. */
export function moveOrders(fragment: string, by: number): string {
  if (by === 0) return fragment
  return fragment.replace(ORDER_FIELD, (_match, order: string) => `\n      "order": ${Number(order) + by},`)
}

/** A topic's facts follow each other in the deck (always, as compile numbers them; checked, not assumed). */
function consecutive(facts: readonly Fact[]): boolean {
  return facts.every((fact, index) => fact.order === (facts[0]?.order ?? 0) + index)
}
