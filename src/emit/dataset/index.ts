/** Notes → `facts.json` and `facts.schema.json`. Pure: same notes, same bytes. */
import type { Notes } from '../../facts/model.ts'
import { datasetFact } from './fact.ts'
import { factsJsonSchema, SCHEMA_VERSION, type Dataset } from './schema.ts'

export { datasetFact } from './fact.ts'
export { datasetSchema, factsJsonSchema, SCHEMA_ID, SCHEMA_VERSION, type Dataset, type DatasetFact } from './schema.ts'

export const DATASET_FILE = 'facts.json'
export const SCHEMA_FILE = 'facts.schema.json'

const encoder = new TextEncoder()

export function emitDataset(notes: Notes): { dataset: Uint8Array; schema: Uint8Array } {
  const { deck } = notes
  const document: Dataset = {
    $schema: `./${SCHEMA_FILE}`,
    schemaVersion: SCHEMA_VERSION,
    deck: { title: deck.title, slug: deck.slug, ...(deck.exam ? { exam: deck.exam } : {}), ...(deck.examName ? { examName: deck.examName } : {}), namespace: deck.namespace },
    domains: deck.domains,
    keyTopics: deck.keyTopics,
    topics: notes.topics,
    facts: notes.facts.map(datasetFact),
  }
  return {
    dataset: encoder.encode(`${JSON.stringify(document, null, 2)}\n`),
    schema: encoder.encode(`${JSON.stringify(factsJsonSchema(), null, 2)}\n`),
  }
}
