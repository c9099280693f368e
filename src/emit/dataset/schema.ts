/**
 * `facts.json`'s shape, declared once as a zod schema: `datasetFact`'s return type comes from it
 * (so the dataset cannot drift from it), and the published JSON Schema (draft 2020-12,
 * `facts.schema.json`) is generated from it with `z.toJSONSchema`.
 */
import { z } from 'zod'
import type { CardForm } from '../../facts/model.ts'

/** 2: the `reversed` form and its `reversed` parts, a fact's `media` (rich content, issue 12). */
export const SCHEMA_VERSION = 2
export const SCHEMA_ID = `urn:cheatdeck:schema:facts:${SCHEMA_VERSION}`

const text = z.string()
const nonEmpty = z.string().min(1)
const count = z.int().min(0)
const html = (description = 'HTML, with anything the notes wrote as raw HTML escaped') => z.string().describe(description)

// Shared by every form's branch: one definition each in the published schema's `$defs`.
const table = z.object({
  caption: text,
  labelHeader: text,
  label: nonEmpty,
  cells: z.array(z.object({ header: text, value: text, valueHtml: html() })),
}).meta({ id: 'table' })

/** What every fact has, whatever its card form; `form` and its parts come per form below. */
const common = {
  id: z.string().regex(/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}_/-]*$/u).describe('A pin (`^id`) or derived `topic/key-words` (letters and digits of any script)'),
  guid: z.string().length(10).describe('The Anki note GUID'),
  topic: nonEmpty,
  domains: z.array(nonEmpty),
  section: z.array(text).describe('Headings between the topic title and the fact'),
  text: text.describe('Plain text, cloze marks and pin removed'),
  markdown: text,
  html: html(),
  tags: z.array(z.string().regex(/^\S+$/)),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  modified: count.describe('Unix seconds when the content last changed'),
  added: count.describe('Unix seconds when the fact was first seen (its Anki note was added)'),
  order: count,
  source: z.object({ file: nonEmpty, line: z.int().min(1), column: z.int().min(1) }).meta({ id: 'source' }),
  media: z
    .array(z.object({ name: nonEmpty, source: nonEmpty }))
    .optional()
    .describe('The images the fact shows: where each is in the notes folder, and its name in the Anki package'),
  /** A fact from a table row: the row, besides its card. */
  table: table.optional(),
}

const cloze = z.object({
  text: text.describe('Plain text with {{cN::answer}} marks'),
  html: html('An Anki cloze field'),
  deletions: z.array(z.object({ index: z.int().min(1), answer: nonEmpty, hint: text.optional() })).min(1),
})

/** One branch per card form (a new form does not compile until it has one). */
const forms = {
  cloze: z.object({ ...common, form: z.literal('cloze'), cloze }),
  term: z.object({ ...common, form: z.literal('term'), term: z.object({ term: nonEmpty, definition: text, termHtml: html(), definitionHtml: html() }) }),
  qa: z.object({ ...common, form: z.literal('qa'), question: z.object({ question: nonEmpty, answer: text, questionHtml: html(), answerHtml: html() }) }),
  reversed: z.object({
    ...common,
    form: z.literal('reversed'),
    reversed: z.object({ question: nonEmpty, answer: text, questionHtml: html(), answerHtml: html() }).describe('A card each way: question → answer, then answer → question'),
  }),
  none: z.object({ ...common, form: z.literal('none') }),
} satisfies Record<CardForm, z.ZodObject>

export const factSchema = z.discriminatedUnion('form', [forms.cloze, forms.term, forms.qa, forms.reversed, forms.none]).meta({ id: 'fact' })
export type DatasetFact = z.output<typeof factSchema>

export const datasetSchema = z
  .object({
    $schema: text,
    schemaVersion: z.literal(SCHEMA_VERSION),
    deck: z.object({ title: nonEmpty, slug: nonEmpty, exam: nonEmpty.optional(), examName: nonEmpty.optional(), namespace: nonEmpty }),
    domains: z.array(z.object({ id: nonEmpty, number: z.int().min(1), name: nonEmpty, weight: z.number().min(0).max(100) })),
    keyTopics: z.array(nonEmpty),
    topics: z.array(
      z.object({
        id: nonEmpty,
        name: nonEmpty,
        title: text,
        domains: z.array(nonEmpty),
        file: nonEmpty,
        order: count,
        factCount: count,
        sheet: z.literal(false).optional().describe('Present (false) when the frontmatter leaves the topic off the printed sheet'),
      }),
    ),
    facts: z.array(factSchema),
  })
  .meta({ title: 'cheatdeck facts dataset', description: 'Every fact of a cheatdeck notes folder, with its identity, card parts and source position.' })
export type Dataset = z.output<typeof datasetSchema>

/** The published JSON Schema: generated, with its `$id` after `$schema`. */
export function factsJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(datasetSchema, { target: 'draft-2020-12' })
  return { $schema, $id: SCHEMA_ID, ...rest }
}
