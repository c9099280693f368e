/**
 * The lockfile's shape, as a zod schema: every value read from it is checked before it is used —
 * a time must be whole unix seconds in range (Anki reads `mod` in seconds, ids are milliseconds
 * from it), a GUID printable, a hash sha256. Each schema's message says what was expected;
 * `validateLockfile` adds what was found and where, and jsonc-parser finds the place in the text.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser'
import { z } from 'zod'
import { MAX_SECONDS } from './clock.ts'
import type { CardForm } from './model.ts'
import type { AssetEntry, LockEntry, Lockfile } from './lockfile.ts'

export const LOCKFILE_VERSION = 1

// Every card form, so a new one does not compile until the lockfile accepts it.
const FORMS = Object.keys({ cloze: 0, term: 0, qa: 0, reversed: 0, none: 0 } satisfies Record<CardForm, 0>) as [CardForm, ...CardForm[]]

const expected = (text: string) => ({ error: text })

const SECONDS = `unix seconds: a whole number from 0 to ${MAX_SECONDS}`
const seconds = z.int(expected(SECONDS)).min(0, expected(SECONDS)).max(MAX_SECONDS, expected(SECONDS))

const string = z.string(expected('a string'))
const matching = (pattern: RegExp, text: string) => z.string(expected(text)).regex(pattern, expected(text))

/** A JSON object read as a Map (ids come from the notes: `constructor` is an id, not a method). */
const objectOf = <T extends z.ZodType>(value: T, text: string) =>
  z.preprocess((data) => (isObject(data) ? new Map(Object.entries(data)) : data), z.map(z.string(), value, expected(text)))

const asset = z.object({ hash: z.string(expected('a non-empty string')).min(1, expected('a non-empty string')), modified: seconds }, expected('`{hash, modified}`'))

const entry = z
  .object(
    {
      guid: matching(/^[!-~]{1,64}$/, 'a GUID of 1 to 64 printable ASCII characters'),
      hash: matching(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex (64 characters)'),
      modified: seconds,
      added: seconds.optional(),
      removed: seconds.optional(),
      topic: string,
      section: string,
      text: string,
      form: z.enum(FORMS, expected(`one of ${FORMS.map((f) => `\`${f}\``).join(', ')}`)).optional(),
    },
    expected('an object with `guid`, `hash`, `modified`, `topic`, `section` and `text`'),
  )
  // Only when the times themselves are right (a time in milliseconds is one problem, not two).
  .refine((e) => e.added === undefined || e.added <= e.modified, {
    path: ['added'],
    when: (payload) => payload.issues.length === 0,
    error: (issue) => `a time no later than \`modified\` (${(issue.input as { modified: number }).modified})`,
  })
  .transform(({ guid, hash, modified, added, topic, section, text, form, removed }): LockEntry => ({
    guid,
    hash,
    modified,
    // Lockfiles written before first-seen times were kept: the earliest time the lockfile proves.
    added: added ?? modified,
    topic,
    section,
    text,
    ...(form === undefined ? {} : { form }),
    ...(removed === undefined ? {} : { removed }),
  }))

const facts = objectOf(entry, 'an object of id → entry').superRefine((map, ctx) => {
  for (const id of map.keys()) {
    if (!id || /[\p{Cc}]/u.test(id)) ctx.addIssue({ code: 'custom', path: [id], message: 'a non-empty id without control characters', params: { found: `fact id ${JSON.stringify(id)}` } })
  }
})

const lockfile = z.object(
  {
    lockfileVersion: z.literal(LOCKFILE_VERSION, expected(`${LOCKFILE_VERSION} (a lockfile from another cheatdeck version?)`)),
    // Kept as written (not trimmed): it is what GUIDs were derived from.
    namespace: z.string(expected('a non-empty string')).refine((s) => s.trim() !== '', expected('a non-empty string')),
    created: seconds,
    assets: z.preprocess((data) => data ?? {}, objectOf(asset, 'an object')).transform((map) => {
      // No prototype: an asset named `__proto__` stays an asset.
      const assets = Object.create(null) as Record<string, AssetEntry>
      for (const [name, value] of map) assets[name] = value
      return assets
    }),
    facts,
  },
  expected(`an object with \`lockfileVersion: ${LOCKFILE_VERSION}\`, \`namespace\`, \`created\`, \`assets\` and \`facts\``),
)

type Path = readonly PropertyKey[]
export type Report = (problem: { offset: number; message: string }) => void

/** A lockfile from parsed JSON, or undefined after reporting every problem found. */
export function validateLockfile(data: unknown, text: string, report: Report): Lockfile | undefined {
  const parsed = lockfile.safeParse(data)
  if (parsed.success) return { ...parsed.data, lockfileVersion: LOCKFILE_VERSION }
  let tree: Node | undefined
  for (const issue of parsed.error.issues) {
    const found = (issue as { params?: { found?: string } }).params?.found ?? foundAt(data, issue.path)
    const value = valueAt(data, issue.path)
    const hint = issue.message === SECONDS && Number.isInteger(value) && (value as number) > MAX_SECONDS ? ' (this looks like milliseconds)' : ''
    tree ??= parseTree(text)
    report({ offset: offsetOf(tree, issue.path as (string | number)[]), message: `Unexpected ${found}${hint}, expected ${issue.message}` })
  }
  return undefined
}

/** What was found at a path, and where it is: "`modified` `1.5` in entry \"x\"". */
function foundAt(data: unknown, path: Path): string {
  const value = valueAt(data, path)
  const [top, name, key] = path.map(String)
  const keyed = (k: string) => (value === undefined ? `missing \`${k}\`` : `\`${k}\` ${describe(value)}`)
  if (top === undefined) return `lockfile that is ${describe(value)}`
  if (name === undefined) return keyed(top)
  if (top === 'facts') return key === undefined ? `entry ${JSON.stringify(name)} that is ${describe(value)}` : `${keyed(key)} in entry ${JSON.stringify(name)}`
  return key === undefined ? `asset \`${name}\` ${describe(value)}` : `${keyed(key)} of asset \`${name}\``
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data
  for (const key of path) value = isObject(value) && Object.hasOwn(value, key) ? value[key as string] : undefined
  return value
}

/** Where a path is in the text; a missing value: its object's key. */
function offsetOf(tree: Node | undefined, path: (string | number)[]): number {
  if (!tree) return 0
  const node = findNodeAtLocation(tree, path)
  if (node) return node.offset
  const parent = findNodeAtLocation(tree, path.slice(0, -1))
  return parent?.parent?.offset ?? parent?.offset ?? 0
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return '`null`'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `\`${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}\``
  return `\`${String(value)}\``
}
