/**
 * The dataset output: `facts.json` and its JSON Schema. `facts.json` is made while it is written,
 * a topic at a time (memory stays flat however many facts there are), and each topic's part is
 * kept in the build cache under a digest of that topic's facts: a one-file edit renders one topic.
 */
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
  const fragment = (facts: Fact[]): Promise<string> => timed('dataset', () => (cache ? cachedFragment(cache, facts) : factsFragment(facts)))
  let pending = ''
  for await (const piece of datasetText(notes, fragment)) {
    pending += piece
    if (pending.length < CHUNK_CHARS) continue
    yield Buffer.from(pending)
    pending = ''
  }
  if (pending) yield Buffer.from(pending)
}

/** A topic's fragment from the cache, else made and kept (under a digest of every field of its facts). */
async function cachedFragment(cache: OutputCache, facts: Fact[]): Promise<string> {
  const key = cache.key('dataset-topic', cache.digestOf(facts))
  const kept = await cache.get<string>(key)
  if (typeof kept === 'string') return kept
  const made = factsFragment(facts)
  await cache.set(key, made)
  return made
}
