import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.ts'
import { datasetFact, datasetFrame, datasetSchema, datasetText, emitDataset, SCHEMA_ID, topicRuns } from '../src/emit/dataset/index.ts'
import { compile } from '../src/index.ts'
import { copyFixture, FIXTURES } from './helpers/fixture.ts'

const NOTES = path.resolve(import.meta.dirname, '..', 'notes')

async function validator() {
  const { notes, out } = await copyFixture('forms')
  await build({ notes, out, now: 1_700_000_000, only: ['dataset'] })
  const schema = JSON.parse(await readFile(path.join(out, 'facts.schema.json'), 'utf8'))
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false })
  return { validate: ajv.compile(schema), schema, dataset: JSON.parse(await readFile(path.join(out, 'facts.json'), 'utf8')) }
}

describe('the JSON dataset', () => {
  it('writes facts.json and a draft 2020-12 schema with $id and schemaVersion', async () => {
    const { schema, dataset, validate } = await validator()
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.$id).toBe(SCHEMA_ID)
    expect(dataset.schemaVersion).toBe(2)
    expect(dataset.$schema).toBe('./facts.schema.json')
    expect(validate(dataset), JSON.stringify(validate.errors)).toBe(true)
    expect(dataset.facts).toHaveLength(10)
    expect(Object.keys(dataset.facts[0]).sort()).toEqual(
      ['added', 'cloze', 'contentHash', 'domains', 'form', 'guid', 'html', 'id', 'markdown', 'modified', 'order', 'section', 'source', 'tags', 'text', 'topic'].sort(),
    )
  })

  it('validates the shipped notes dataset against the schema', async () => {
    const { validate } = await validator()
    const result = await compile({ notes: NOTES, now: 1_700_000_000 })
    const dataset = JSON.parse(new TextDecoder().decode((await emitDataset(result.notes)).dataset))
    expect(validate(dataset), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    // The zod schema the JSON Schema is generated from agrees.
    expect(datasetSchema.safeParse(dataset).error?.issues.slice(0, 3)).toBeUndefined()
    expect(dataset.facts.length).toBeGreaterThan(140)
  })

  it('rejects what breaks the contract (the schema is not a rubber stamp)', async () => {
    const { validate, dataset } = await validator()
    const broken = structuredClone(dataset)
    broken.facts[0].form = 'cloze'
    delete broken.facts[0].cloze
    expect(validate(broken)).toBe(false)
    const badSource = structuredClone(dataset)
    badSource.facts[1].source.line = 0
    expect(validate(badSource)).toBe(false)
    const extra = structuredClone(dataset)
    extra.facts[2].surprise = true
    expect(validate(extra)).toBe(false)
    // Each form has its own parts: a plain fact carries no cloze.
    const plain = structuredClone(dataset)
    const none = plain.facts.find((f: { form: string }) => f.form === 'none') ?? plain.facts[0]
    none.form = 'none'
    none.cloze = { text: 'x', html: 'x', deletions: [{ index: 1, answer: 'x' }] }
    expect(validate(plain)).toBe(false)
  })

  it('is byte-identical for the same notes', async () => {
    const a = await compile({ notes: path.join(FIXTURES, 'forms'), now: 5 })
    const b = await compile({ notes: path.join(FIXTURES, 'forms'), now: 5 })
    expect((await emitDataset(a.notes)).dataset).toEqual((await emitDataset(b.notes)).dataset)
  })

  it('is written in pieces (topic by topic) that join to exactly the whole document as JSON.stringify gives it', async () => {
    const { notes } = await compile({ notes: NOTES, now: 5 })
    const whole = (facts: typeof notes.facts): string => {
      const { open, close } = datasetFrame({ ...notes, facts })
      const document = JSON.parse(`${open}]\n}`) as Record<string, unknown>
      expect(close).toBe('\n  ]\n}\n')
      return `${JSON.stringify({ ...document, facts: facts.map(datasetFact) }, null, 2)}\n`
    }
    expect(topicRuns(notes.facts).length).toBeGreaterThan(1)
    const pieces: string[] = []
    for await (const piece of datasetText(notes)) pieces.push(piece)
    // The frame's two ends, and each topic's part after its separator.
    expect(pieces.length).toBe(2 * topicRuns(notes.facts).length + 2)
    expect(pieces.join('')).toBe(whole(notes.facts))
    // One fact, and none at all.
    const one = notes.facts.slice(0, 1)
    let text = ''
    for await (const piece of datasetText({ ...notes, facts: one })) text += piece
    expect(text).toBe(whole(one))
    text = ''
    for await (const piece of datasetText({ ...notes, facts: [] })) text += piece
    expect(text).toBe(whole([]))
    expect(JSON.parse(text).facts).toEqual([])
  })
})
