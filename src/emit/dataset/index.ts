/**
 * Notes → `facts.json` and `facts.schema.json`. Pure: same notes, same bytes.
 *
 * `facts.json` is made in pieces — the document around the facts, then one fragment per topic —
 * so it never lies in memory whole (`JSON.stringify` of a 50 000-fact dataset was an 87 MB string
 * plus its encoded copy) and a topic's fragment can be kept in the build cache. The pieces join to
 * exactly the text `JSON.stringify(document, null, 2)` gives.
 */
import type { Fact, Notes } from '../../facts/model.ts'
import { datasetFact } from './fact.ts'
import { factsJsonSchema, SCHEMA_VERSION, type Dataset } from './schema.ts'

export { datasetFact } from './fact.ts'
export { datasetSchema, factsJsonSchema, SCHEMA_ID, SCHEMA_VERSION, type Dataset, type DatasetFact } from './schema.ts'

export const DATASET_FILE = 'facts.json'
export const SCHEMA_FILE = 'facts.schema.json'

/** A fact's indentation inside the document's `facts` array. */
const FACT_INDENT = '\n    '

/** The document without its facts: the text before the first fact and after the last. */
export function datasetFrame(notes: Notes): { open: string; close: string } {
  const { deck } = notes
  const document: Omit<Dataset, 'facts'> & { facts: [] } = {
    $schema: `./${SCHEMA_FILE}`,
    schemaVersion: SCHEMA_VERSION,
    deck: { title: deck.title, slug: deck.slug, ...(deck.exam ? { exam: deck.exam } : {}), ...(deck.examName ? { examName: deck.examName } : {}), namespace: deck.namespace },
    domains: deck.domains,
    keyTopics: deck.keyTopics,
    topics: notes.topics,
    facts: [],
  }
  const empty = `${JSON.stringify(document, null, 2)}\n`
  // `facts` is the last key: its `[]` is where the facts go.
  const at = empty.lastIndexOf('[]')
  return { open: empty.slice(0, at + 1), close: `\n  ${empty.slice(at + 1)}` }
}

const WRAPPER_OPEN = `{\n  "facts": [${FACT_INDENT}`
const WRAPPER_CLOSE = '\n  ]\n}'

/** Facts as they stand in the document's array, without the separator before the first. */
export function factsFragment(facts: readonly Fact[]): string {
  if (!facts.length) return ''
  // Inside `{ facts }` they are indented as deep as in the document: one native stringify, no re-indenting.
  return JSON.stringify({ facts: facts.map(datasetFact) }, null, 2).slice(WRAPPER_OPEN.length, -WRAPPER_CLOSE.length)
}

/** The facts in runs of one topic each (a topic's facts are consecutive in the notes). */
export function topicRuns(facts: readonly Fact[]): Fact[][] {
  const runs: Fact[][] = []
  for (const fact of facts) {
    const last = runs.at(-1)
    if (last && last[0]?.topic === fact.topic) last.push(fact)
    else runs.push([fact])
  }
  return runs
}

/**
 * `facts.json`'s text in pieces, in order: `fragment` gives each topic's facts as `factsFragment`
 * would (it may take them from a cache, as their UTF-8 bytes).
 */
export async function* datasetText<Piece extends string | Uint8Array = string>(notes: Notes, fragment: (facts: Fact[]) => Promise<Piece | string> | Piece | string = factsFragment): AsyncGenerator<Piece | string> {
  const { open, close } = datasetFrame(notes)
  if (!notes.facts.length) {
    yield `${open}]\n}\n`
    return
  }
  yield open
  let separator = FACT_INDENT
  for (const run of topicRuns(notes.facts)) {
    yield separator
    yield await fragment(run)
    separator = `,${FACT_INDENT}`
  }
  yield close
}

const encoder = new TextEncoder()

export function schemaText(): string {
  return `${JSON.stringify(factsJsonSchema(), null, 2)}\n`
}

/** Both files whole, as bytes (the build streams `facts.json` instead: see ./output.ts). */
export async function emitDataset(notes: Notes): Promise<{ dataset: Uint8Array; schema: Uint8Array }> {
  let text = ''
  for await (const piece of datasetText(notes)) text += piece
  return { dataset: encoder.encode(text), schema: encoder.encode(schemaText()) }
}
