/**
 * The lockfile (`notes/cheatdeck.lock.json`, committed): id → GUID, content hash, when the fact
 * was first seen and when its content last changed. It is what lets a rebuild update the user's
 * Anki notes in place. Reading it is strict: a lockfile that cannot be read or holds a value out of
 * range stops the build (nothing is overwritten); git conflict markers and a GUID used twice are
 * repaired (lockfile-merge.ts), as npm repairs `package-lock.json`.
 */
import { readFile } from 'node:fs/promises'
import { positions, type Diagnostics } from '../diagnostics.ts'
import type { CardForm } from './model.ts'
import { repairDuplicateGuids, splitConflicts, uniteLockfiles } from './lockfile-merge.ts'
import { LOCKFILE_VERSION, validateLockfile } from './lockfile-schema.ts'

export { LOCKFILE_VERSION }

export interface LockEntry {
  guid: string
  /** Content hash of the fact (see `Fact.contentHash`). */
  hash: string
  /** Unix seconds when the content last changed: the note's `mod` in Anki. */
  modified: number
  /** Unix seconds when the fact was first seen: its note's and cards' ids (Anki's "Added"). */
  added: number
  topic: string
  /** Section path joined with ` › `: matching prefers a vanished fact of the same section. */
  section: string
  /** Plain text, for matching a moved or reworded fact and for tagging a removed one. */
  text: string
  /** Card form: the note type the fact's note has in Anki. */
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
  /** What new GUIDs are derived from; kept here so renaming the deck changes no GUID. */
  namespace: string
  /** Unix seconds when the lockfile was first written: the Anki collection's creation time. */
  created: number
  /** Templates and other inputs whose change must reach the user (e.g. Anki note types). */
  assets: Record<string, AssetEntry>
  /** A Map, not an object: ids come from the notes, and `constructor` or `__proto__` are ids too. */
  facts: Map<string, LockEntry>
}

export function emptyLockfile(namespace: string, now: number): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, namespace, created: now, assets: Object.create(null) as Record<string, AssetEntry>, facts: new Map() }
}

export interface ReadLockfile {
  /** The text on disk; undefined when there is no lockfile. */
  text: string | undefined
  /** The parsed (and, after a merge, repaired) lockfile; undefined when none or broken. */
  lock: Lockfile | undefined
}

/** Reads the lockfile. Only "not found" means "no lockfile": any other read error is an error. */
export async function readLockfile(file: string, name: string, diagnostics: Diagnostics): Promise<ReadLockfile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { text: undefined, lock: undefined }
    const why = code === 'EISDIR' ? 'a folder' : `a file that cannot be read (${code ?? (error as Error).message})`
    diagnostics.error('invalid-lockfile', { file: name, line: 1, column: 1 }, `Unexpected ${why} where the lockfile should be, expected a readable \`${name}\` (nothing was overwritten: fix it and build again)`)
    return { text: undefined, lock: undefined }
  }
  return { text, lock: parseLockfile(text, name, diagnostics) }
}

/** Parses lockfile text; a broken lockfile is reported, never silently replaced. */
export function parseLockfile(text: string, file: string, diagnostics: Diagnostics): Lockfile | undefined {
  const conflict = splitConflicts(text)
  if (!conflict) {
    const lock = parseSide(text, file, diagnostics, (line) => line)
    if (!lock) return undefined
    const repaired = repairDuplicateGuids(lock)
    if (repaired.length) {
      diagnostics.warn('lockfile-merged', { file, line: 1, column: 1 }, `Unexpected GUIDs used twice in the lockfile (${repaired.join('; ')}), expected one fact per GUID: kept the newest change of each (a merge gave two ids one GUID); the build writes the repaired lockfile, commit it`)
    }
    return lock
  }
  const [ours, theirs] = conflict.sides.map((side) => parseSide(side.text, file, diagnostics, (line) => side.lines[line - 1] ?? 1))
  if (!ours || !theirs) return undefined
  const place = { file, line: conflict.firstMarker, column: 1 }
  if (ours.namespace !== theirs.namespace) {
    diagnostics.error('invalid-lockfile', place, `Unexpected lockfile sides with namespaces \`${ours.namespace}\` and \`${theirs.namespace}\`, expected one namespace (keep the one your deck's Anki notes came from)`)
    return undefined
  }
  const { lock, stats } = uniteLockfiles(ours, theirs)
  const repaired = repairDuplicateGuids(lock)
  diagnostics.warn(
    'lockfile-merged',
    place,
    `Unexpected git conflict markers in the lockfile (${conflict.count} conflict${conflict.count === 1 ? '' : 's'}), expected none: united both sides (${stats.ours} facts from one side only, ${stats.theirs} from the other, ${stats.both} in both, the newest change of each kept${repaired.length ? `; ${repaired.length} GUID${repaired.length === 1 ? '' : 's'} used twice, newest kept` : ''}); the build writes the merged lockfile, commit it`,
  )
  return lock
}

/** JSON.parse, then validation; `line` maps a line of `text` back to the file's line. */
function parseSide(text: string, file: string, diagnostics: Diagnostics, line: (n: number) => number): Lockfile | undefined {
  const place = positions(file, text)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    // V8 says where: "… in JSON at position N" (N is a UTF-16 offset into the text).
    const message = (error as Error).message
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? (/Unexpected end/.test(message) ? text.length : 0))
    const at = place(offset)
    diagnostics.error('invalid-lockfile', { ...at, line: line(at.line) }, `Unexpected lockfile that is not JSON (${message.replace(/\s+/g, ' ')}), expected the JSON cheatdeck writes (restore it from git: deleting it loses the GUIDs of reworded facts)`)
    return undefined
  }
  return validateLockfile(data, text, (problem: { offset: number; message: string }) => {
    const at = place(problem.offset)
    diagnostics.error('invalid-lockfile', { ...at, line: line(at.line) }, problem.message)
  })
}

/** Stable text: keys sorted, two-space indent, final newline. */
export function serializeLockfile(lock: Lockfile): string {
  const byKey = <T>(entries: Iterable<[string, T]>): [string, T][] => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const facts = byKey(lock.facts).map(([id, e]) => [
    id,
    { guid: e.guid, hash: e.hash, modified: e.modified, added: e.added, topic: e.topic, section: e.section, form: e.form, text: e.text, ...(e.removed === undefined ? {} : { removed: e.removed }) },
  ])
  const assets = byKey(Object.entries(lock.assets))
  // Object.fromEntries defines own properties: an id like `__proto__` stays a key, not a prototype.
  const data = { lockfileVersion: lock.lockfileVersion, namespace: lock.namespace, created: lock.created, assets: Object.fromEntries(assets), facts: Object.fromEntries(facts) }
  return `${JSON.stringify(data, null, 2)}\n`
}

/**
 * `serializeLockfile(lock)`, given the text of a lockfile with the same facts (`factsText`): its
 * facts — nearly all of the text — are kept as they are and only the part before them (the
 * assets an output recorded) is made again, so a build serializes its facts once.
 */
export function reserializeLockfile(lock: Lockfile, factsText: string): string {
  // Top-level keys are the only ones indented by two spaces; `facts` is the last of them.
  const facts = factsText.indexOf('\n  "facts": ')
  if (facts === -1) return serializeLockfile(lock)
  const head = serializeLockfile({ ...lock, facts: new Map() })
  return `${head.slice(0, head.indexOf('\n  "facts": '))}${factsText.slice(facts)}`
}
