/** The dataset output: `facts.json` and its JSON Schema. */
import type { Output } from '../output.ts'
import { DATASET_FILE, emitDataset, SCHEMA_FILE } from './index.ts'

export const datasetOutput: Output<'dataset'> = {
  id: 'dataset',
  description: 'facts.json and facts.schema.json',
  async emit({ notes, timed }) {
    const { dataset, schema } = await timed('dataset', () => emitDataset(notes))
    return {
      files: [
        { name: DATASET_FILE, data: dataset },
        { name: SCHEMA_FILE, data: schema },
      ],
    }
  },
}
