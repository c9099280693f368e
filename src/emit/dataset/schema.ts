/** The JSON Schema (draft 2020-12) of `facts.json`, kept as data. */
export const SCHEMA_VERSION = 1
export const SCHEMA_ID = `urn:cheatdeck:schema:facts:${SCHEMA_VERSION}`

const text = { type: 'string' }
const nonEmpty = { type: 'string', minLength: 1 }
const seconds = { type: 'integer', minimum: 0 }
const html = { type: 'string', description: 'HTML, with anything the notes wrote as raw HTML escaped' }

export const factsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: SCHEMA_ID,
  title: 'cheatdeck facts dataset',
  description: 'Every fact of a cheatdeck notes folder, with its identity, card parts and source position.',
  type: 'object',
  required: ['schemaVersion', 'deck', 'domains', 'keyTopics', 'topics', 'facts'],
  additionalProperties: false,
  properties: {
    $schema: text,
    schemaVersion: { const: SCHEMA_VERSION },
    deck: {
      type: 'object',
      required: ['title', 'slug', 'exam', 'namespace'],
      additionalProperties: false,
      properties: { title: nonEmpty, slug: nonEmpty, exam: nonEmpty, examName: nonEmpty, namespace: nonEmpty },
    },
    domains: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'number', 'name', 'weight'],
        additionalProperties: false,
        properties: { id: nonEmpty, number: { type: 'integer', minimum: 1 }, name: nonEmpty, weight: { type: 'number', minimum: 0, maximum: 100 } },
      },
    },
    keyTopics: { type: 'array', items: nonEmpty },
    topics: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'title', 'domains', 'file', 'order', 'factCount'],
        additionalProperties: false,
        properties: {
          id: nonEmpty,
          name: nonEmpty,
          title: text,
          domains: { type: 'array', items: nonEmpty },
          file: nonEmpty,
          order: { type: 'integer', minimum: 0 },
          factCount: { type: 'integer', minimum: 0 },
        },
      },
    },
    facts: { type: 'array', items: { $ref: '#/$defs/fact' } },
  },
  $defs: {
    fact: {
      type: 'object',
      required: ['id', 'guid', 'topic', 'domains', 'section', 'form', 'text', 'markdown', 'html', 'tags', 'contentHash', 'modified', 'added', 'order', 'source'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_/-]*$', description: 'A pin (`^id`) or derived `topic/key-words`' },
        guid: { type: 'string', minLength: 10, maxLength: 10, description: 'The Anki note GUID' },
        topic: nonEmpty,
        domains: { type: 'array', items: nonEmpty },
        section: { type: 'array', items: text, description: 'Headings between the topic title and the fact' },
        form: { enum: ['cloze', 'term', 'qa', 'none'] },
        text: { ...text, description: 'Plain text, cloze marks and pin removed' },
        markdown: text,
        html,
        cloze: {
          type: 'object',
          required: ['text', 'html', 'deletions'],
          additionalProperties: false,
          properties: {
            text: { ...text, description: 'Plain text with {{cN::answer}} marks' },
            html: { ...html, description: 'An Anki cloze field' },
            deletions: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['index', 'answer'],
                additionalProperties: false,
                properties: { index: { type: 'integer', minimum: 1 }, answer: nonEmpty, hint: text },
              },
            },
          },
        },
        term: {
          type: 'object',
          required: ['term', 'definition', 'termHtml', 'definitionHtml'],
          additionalProperties: false,
          properties: { term: nonEmpty, definition: text, termHtml: html, definitionHtml: html },
        },
        question: {
          type: 'object',
          required: ['question', 'answer', 'questionHtml', 'answerHtml'],
          additionalProperties: false,
          properties: { question: nonEmpty, answer: text, questionHtml: html, answerHtml: html },
        },
        table: {
          type: 'object',
          required: ['caption', 'labelHeader', 'label', 'cells'],
          additionalProperties: false,
          properties: {
            caption: text,
            labelHeader: text,
            label: nonEmpty,
            cells: {
              type: 'array',
              items: {
                type: 'object',
                required: ['header', 'value', 'valueHtml'],
                additionalProperties: false,
                properties: { header: text, value: text, valueHtml: html },
              },
            },
          },
        },
        tags: { type: 'array', items: { type: 'string', pattern: '^\\S+$' } },
        contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        modified: { ...seconds, description: 'Unix seconds when the content last changed' },
        added: { ...seconds, description: 'Unix seconds when the fact was first seen (its Anki note was added)' },
        order: { type: 'integer', minimum: 0 },
        source: {
          type: 'object',
          required: ['file', 'line', 'column'],
          additionalProperties: false,
          properties: { file: nonEmpty, line: { type: 'integer', minimum: 1 }, column: { type: 'integer', minimum: 1 } },
        },
      },
      allOf: [
        { if: { properties: { form: { const: 'cloze' } } }, then: { required: ['cloze'] } },
        { if: { properties: { form: { const: 'qa' } } }, then: { required: ['question'] } },
        { if: { properties: { form: { const: 'term' } } }, then: { required: ['term'] } },
      ],
    },
  },
} as const
