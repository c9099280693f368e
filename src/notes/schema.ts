/**
 * The deck file and a topic's frontmatter as zod schemas: one source for their checks and their
 * types. Each check words its own "Unexpected X, expected Y"; `validate` puts zod's issues at the
 * YAML node their path names, so every problem keeps its `file:line:col`.
 */
import { z } from 'zod'
import type { Diagnostics } from '../diagnostics.ts'
import type { RuleId } from '../rules/index.ts'
import { findRule } from '../rules/index.ts'
import { ruleSettingProblem, type RuleSettings } from '../rules/settings.ts'
import type { ParsedYaml } from './yaml.ts'

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/

/** What a problem says of the value it found: one line (a message is one line). */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty value'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'object') return 'mapping'
  return `${typeof value} \`${String(value).replace(/\s+/g, ' ').slice(0, 40)}\``
}

/** `Unexpected <what was found>, expected <expected>`; `missing` words an absent key. */
const unexpected = (expected: string, missing?: string) => (issue: { input?: unknown }) =>
  `Unexpected ${issue.input === undefined && missing ? missing : describe(issue.input)}, expected ${expected}`

const deckText = (key: string) => {
  const error = unexpected(`\`${key}\` to be a non-empty string`, `missing \`${key}\``)
  return z.string({ error }).trim().min(1, { error })
}

const DOMAIN_ENTRY = 'Unexpected domain entry, expected `{id: lowercase-id, name: text, weight: 0–100}`'

const domain = z.object(
  {
    id: z.string({ error: DOMAIN_ENTRY }).regex(ID_PATTERN, { error: DOMAIN_ENTRY }),
    name: z.string({ error: DOMAIN_ENTRY }),
    weight: z.number({ error: DOMAIN_ENTRY }).min(0, { error: DOMAIN_ENTRY }).max(100, { error: DOMAIN_ENTRY }),
  },
  { error: DOMAIN_ENTRY },
)

const rules = z
  .record(z.string(), z.unknown(), { error: (issue) => `Unexpected ${describe(issue.input)} as \`rules\`, expected a mapping of rule ids to \`off\`, \`warn\` or \`error\`` })
  .superRefine((settings, ctx) => {
    for (const [id, setting] of Object.entries(settings)) {
      const problem = ruleSettingProblem(id, setting, describe(setting))
      // An unknown id is pointed at by its key: it has no value worth pointing at.
      if (problem) ctx.addIssue({ code: 'custom', path: [id], message: problem, params: { at: findRule(id) ? 'value' : 'key' } })
    }
  })
  .transform((settings) => settings as RuleSettings)

/** `reverse: terms`: term facts make a card each way (the deck file: every topic; a frontmatter: its file). */
const reverse = z.literal('terms', { error: (issue) => `Unexpected ${describe(issue.input)} as \`reverse\`, expected \`terms\`` }).optional()

const KEY_TOPICS = 'Unexpected `keyTopics`, expected a list of non-empty strings'
const IGNORE = 'Unexpected `ignore`, expected a list of gitignore-style patterns (`drafts/`, `*.private.md`)'
const CARDS = 'Unexpected `cards`, expected `headings` (each `##` heading a question) or `{ headings: 1–6 }` (the level)'
const TAGS = (issue: { input?: unknown }) => `Unexpected ${describe(issue.input)} in \`tags\`, expected tags as a list or separated by spaces or commas`

/** `cards: headings` (level 2) or `cards: { headings: N }`: headings of that level are questions. */
const cards = z
  .union([z.literal('headings').transform(() => 2), z.object({ headings: z.number().int().min(1).max(6) }).transform((value) => value.headings)], { error: CARDS })
  .transform((level) => ({ headings: level }))

/** `tags: [a, b]`, `tags: a b` or `tags: a, b`, with or without `#` (Obsidian and Jekyll write all of these). */
const tags = z.preprocess(
  // `tags:` left empty (Obsidian's templates do) is no tags.
  (value) => (typeof value === 'string' ? value.split(/[\s,]+/) : (value ?? [])),
  z.array(z.union([z.string({ error: TAGS }), z.number({ error: TAGS }).transform(String)], { error: TAGS }), { error: TAGS })
    // Obsidian's nested `a/b` is Anki's `a::b`.
    .transform((list) => list.map((tag) => tag.trim().replace(/^#/, '').replace(/^\/+|\/+$/g, '').replace(/\/+/g, '::')).filter(Boolean)),
)


const WITHOUT_DOMAINS = 'Unexpected deck without domains, expected `domains`: a list of `{id, name, weight}`'

const SHEET_KEYS = '`topics`, `tags`, `pages` or `minFont`'
const inSheet = (key: string, expected: string) => (issue: { input?: unknown }) => `Unexpected ${describe(issue.input)} in \`sheet\` \`${key}\`, expected ${expected}`
const sheetNames = (key: string) => {
  const error = inSheet(key, 'a list of names')
  return z.array(z.string({ error }).trim().min(1, { error }), { error })
}
const PAGES = inSheet('pages', 'a whole number from 1 to 100')
const MIN_FONT = inSheet('minFont', 'a size in pt from 4 to 12')

/** `sheet:` in the deck file: what goes on the printed sheet, and how it is fitted. */
const sheetSettings = z.strictObject(
  {
    topics: sheetNames('topics').optional(),
    tags: sheetNames('tags').optional(),
    pages: z.number({ error: PAGES }).int({ error: PAGES }).min(1, { error: PAGES }).max(100, { error: PAGES }).optional(),
    minFont: z.number({ error: MIN_FONT }).min(4, { error: MIN_FONT }).max(12, { error: MIN_FONT }).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unexpected ${issue.keys.map((k) => `\`${k}\``).join(', ')} in \`sheet\`, expected ${SHEET_KEYS}`
        : `Unexpected ${describe(issue.input)} as \`sheet\`, expected a mapping with ${SHEET_KEYS}`,
  },
)

/** `deck.yaml`. */
export const deckFile = z.object(
  {
    // Without one, the deck is named after its folder.
    title: deckText('title').optional(),
    exam: deckText('exam').optional(),
    examName: z.unknown().optional(),
    namespace: z.string({ error: 'Unexpected `namespace`, expected a non-empty string' }).trim().min(1, { error: 'Unexpected `namespace`, expected a non-empty string' }).optional(),
    domains: z
      .preprocess((value) => value ?? [], z.array(domain, { error: WITHOUT_DOMAINS }))
      .superRefine((domains, ctx) => {
        const seen = new Set<string>()
        domains.forEach((entry, index) => {
          if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: [index], message: `Unexpected second domain \`${entry.id}\`, expected unique domain ids`, params: { ruleId: 'duplicate-id' } })
          seen.add(entry.id)
        })
      }),
    keyTopics: z.preprocess((value) => value ?? [], z.array(z.string({ error: KEY_TOPICS }).trim().min(1, { error: KEY_TOPICS }), { error: KEY_TOPICS })),
    rules: rules.optional(),
    sheet: sheetSettings.optional(),
    ignore: z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string({ error: IGNORE }).trim().min(1, { error: IGNORE }), { error: IGNORE })).optional(),
    cards: cards.optional(),
    tags: tags.optional(),
    reverse,
  },
  { error: unexpected('a mapping of deck settings (`title`, `exam`, `domains`, `ignore`, …)') },
)
export type DeckFile = z.infer<typeof deckFile>

const inDomains = (issue: { input?: unknown }) => `Unexpected ${describe(issue.input)} in \`domains\`, expected a domain id`
const frontmatterDomain = z.string({ error: inDomains }).trim().min(1, { error: inDomains })

/** A name in frontmatter: text, or a number (`title: 2024`), as YAML reads it. */
const topicName = (key: string) => {
  const error = unexpected(`\`${key}\`: the topic's name as text`)
  // `title:` left empty is no title.
  return z.preprocess((value) => (typeof value === 'number' ? String(value) : (value ?? undefined)), z.string({ error }).trim().optional())
}

/**
 * A topic file's YAML frontmatter: every key optional, and keys of other tools (Jekyll's `layout`,
 * Obsidian's `aliases`, Hugo's `date`) left alone. An empty `---` block is an empty mapping.
 */
export const frontmatter = z.preprocess(
  (value) => value ?? {},
  z.object(
    {
      name: topicName('name'),
      // Jekyll, Hugo and Obsidian name a page with `title`.
      title: topicName('title'),
      // `domains: build` is one domain.
      domains: z.preprocess((value) => (typeof value === 'string' ? [value] : (value ?? [])), z.array(frontmatterDomain, { error: inDomains })),
      id: z.string({ error: 'Unexpected `id`, expected a lowercase id of letters, digits, `-` and `_`' }).regex(ID_PATTERN, { error: 'Unexpected `id`, expected a lowercase id of letters, digits, `-` and `_`' }).optional(),
      tags: tags.optional(),
      cards: z.preprocess((value) => value ?? undefined, cards.optional()),
      // `false` leaves the topic off the printed sheet (the deck and dataset keep it).
      sheet: z.boolean({ error: (issue) => `Unexpected ${describe(issue.input)} as \`sheet\`, expected \`false\` (leave the topic off the sheet) or \`true\`` }).optional(),
      reverse,
    },
    { error: unexpected('a mapping of topic settings (`name`, `tags`, …)') },
  ),
)
export type Frontmatter = z.infer<typeof frontmatter>

/** How one schema's issues are reported: the rule, and how deep in the data a message points. */
export interface Reporting {
  ruleFor(path: readonly PropertyKey[]): RuleId
  /** The part of an issue's path to point at (a whole domain entry, not its `weight`). */
  placeOf?(path: readonly PropertyKey[]): readonly PropertyKey[]
}

/**
 * Checks YAML data against a schema; each issue becomes a positioned error at the node its path
 * names (or the nearest one there is: a missing key is reported at its mapping).
 */
export function validate<T extends z.ZodType>(schema: T, yaml: ParsedYaml, reporting: Reporting, diagnostics: Diagnostics): z.output<T> | undefined {
  const parsed = schema.safeParse(yaml.data)
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    const params = (issue as { params?: { ruleId?: RuleId; at?: 'key' | 'value' } }).params
    const path = (reporting.placeOf?.(issue.path) ?? issue.path) as (string | number)[]
    diagnostics.error(params?.ruleId ?? reporting.ruleFor(issue.path), yaml.at(params?.at === 'key' ? yaml.key(...path) : nearest(yaml, path)), issue.message)
  }
  return undefined
}

function nearest(yaml: ParsedYaml, path: (string | number)[]): unknown {
  for (let depth = path.length; depth > 0; depth--) {
    const node = yaml.node(...path.slice(0, depth))
    if (node !== undefined && node !== null) return node
  }
  return undefined
}
