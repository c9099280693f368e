/**
 * The lockfile (`notes/cheatdeck.lock.json`, committed): id → GUID, content hash, and when the
 * content last changed. It is what lets a rebuild update the user's Anki notes in place.
 */
import type { Diagnostics } from '../diagnostics.ts'
import type { CardForm } from './model.ts'

export interface LockEntry {
  guid: string
  /** Content hash of the fact (see `Fact.contentHash`). */
  hash: string
  /** Unix seconds when the content last changed. */
  modified: number
  topic: string
  /** Section path joined with ` › `; rename matching stays within a section. */
  section: string
  /** Plain text, for matching a reworded fact and for tagging a removed one. */
  text: string
  /** Card form: the note type a removed fact's note has in Anki. */
  form?: CardForm
  /** Unix seconds when the fact vanished from the notes; absent while it is there. */
  removed?: number
}

export interface AssetEntry {
  hash: string
  modified: number
}

export interface Lockfile {
  lockfileVersion: 1
  namespace: string
  /** Unix seconds when the lockfile was first written: the Anki collection's creation time. */
  created: number
  /** Templates and other inputs whose change must reach the user (e.g. Anki note types). */
  assets: Record<string, AssetEntry>
  facts: Record<string, LockEntry>
}

export const LOCKFILE_VERSION = 1

export function emptyLockfile(namespace: string, now: number): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, namespace, created: now, assets: {}, facts: {} }
}

/** Parses lockfile text; a broken lockfile is reported, never silently replaced. */
export function parseLockfile(text: string, file: string, diagnostics: Diagnostics): Lockfile | undefined {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    // V8 says where: "… in JSON at position N" (N is a UTF-16 offset into the text).
    const offset = Number(/at position (\d+)/.exec((error as Error).message)?.[1] ?? (/Unexpected end/.test((error as Error).message) ? text.length : 0))
    const before = text.slice(0, offset).split('\n')
    const place = { file, line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 }
    const reason = (error as Error).message.replace(/\s+/g, ' ')
    diagnostics.error('invalid-lockfile', place, `Unexpected lockfile that is not JSON (${reason}), expected the JSON cheatdeck writes (delete it to start over: GUIDs of reworded facts are then lost)`)
    return undefined
  }
  const lock = data as Partial<Lockfile> | null
  if (!lock || typeof lock !== 'object' || lock.lockfileVersion !== LOCKFILE_VERSION || typeof lock.facts !== 'object' || lock.facts === null || typeof lock.namespace !== 'string' || typeof lock.created !== 'number') {
    diagnostics.error('invalid-lockfile', { file, line: 1, column: 1 }, `Unexpected lockfile shape, expected \`lockfileVersion: ${LOCKFILE_VERSION}\` with \`namespace\`, \`created\` and \`facts\``)
    return undefined
  }
  for (const [id, entry] of Object.entries(lock.facts)) {
    if (!entry || typeof entry.guid !== 'string' || typeof entry.hash !== 'string' || typeof entry.modified !== 'number') {
      diagnostics.error('invalid-lockfile', { file, line: 1, column: 1 }, `Unexpected entry \`${id}\`, expected \`guid\`, \`hash\` and \`modified\``)
      return undefined
    }
  }
  return { lockfileVersion: LOCKFILE_VERSION, namespace: lock.namespace, created: lock.created, assets: lock.assets ?? {}, facts: lock.facts }
}

/** Stable text: keys sorted, two-space indent, final newline. */
export function serializeLockfile(lock: Lockfile): string {
  const sortKeys = <T>(record: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key] as T]))
  const facts = Object.fromEntries(
    Object.entries(sortKeys(lock.facts)).map(([id, e]) => [
      id,
      { guid: e.guid, hash: e.hash, modified: e.modified, topic: e.topic, section: e.section, form: e.form, text: e.text, ...(e.removed === undefined ? {} : { removed: e.removed }) },
    ]),
  )
  return `${JSON.stringify({ lockfileVersion: lock.lockfileVersion, namespace: lock.namespace, created: lock.created, assets: sortKeys(lock.assets), facts }, null, 2)}\n`
}

