/**
 * Lockfile merges that repair themselves, as npm repairs `package-lock.json`: two branches that
 * each add or reword facts leave git conflict markers in the lockfile (or, merged cleanly, two ids
 * with one GUID). Deleting the lockfile would give every reworded fact a new GUID — duplicates in
 * Anki and lost review history — so both sides are united instead: every entry of each side kept,
 * the newest change of an entry both sides have, and one fact per GUID.
 */
import type { LockEntry, Lockfile } from './lockfile.ts'

export interface ConflictSide {
  /** The side's whole text: the lines outside the conflicts and this side's lines inside. */
  text: string
  /** For each line of `text` (0-based), its 1-based line in the conflicted file. */
  lines: number[]
}

export interface Conflict {
  sides: [ConflictSide, ConflictSide]
  /** 1-based line of the first `<<<<<<<`. */
  firstMarker: number
  count: number
}

/**
 * Splits text with git conflict markers into "ours" and "theirs" (a diff3 base section,
 * `|||||||` … `=======`, is dropped). Undefined when there is no complete conflict.
 */
export function splitConflicts(text: string): Conflict | undefined {
  // A conflict starts with a line that starts so; a lockfile without one (nearly always) is not split.
  if (!text.startsWith('<<<<<<<') && !text.includes('\n<<<<<<<')) return undefined
  const lines = text.split('\n')
  const sides: [ConflictSide, ConflictSide] = [{ text: '', lines: [] }, { text: '', lines: [] }]
  const out: [string[], string[]] = [[], []]
  let state: 'outside' | 'ours' | 'base' | 'theirs' = 'outside'
  let firstMarker = 0
  let count = 0
  lines.forEach((line, index) => {
    const push = (...which: (0 | 1)[]): void => {
      for (const side of which) {
        out[side].push(line)
        sides[side].lines.push(index + 1)
      }
    }
    if (state === 'outside' && line.startsWith('<<<<<<<')) {
      state = 'ours'
      count++
      firstMarker ||= index + 1
    } else if (state === 'ours' && line.startsWith('|||||||')) state = 'base'
    else if ((state === 'ours' || state === 'base') && line.startsWith('=======')) state = 'theirs'
    else if (state === 'theirs' && line.startsWith('>>>>>>>')) state = 'outside'
    else if (state === 'outside') push(0, 1)
    else if (state === 'ours') push(0)
    else if (state === 'theirs') push(1)
  })
  if (count === 0 || state !== 'outside') return undefined
  sides[0].text = out[0].join('\n')
  sides[1].text = out[1].join('\n')
  return { sides, firstMarker, count }
}

/** When an entry last changed: its content, or its removal. */
const lastChange = (entry: LockEntry): number => Math.max(entry.modified, entry.removed ?? 0)

/** The newer of two versions of an entry; on a tie the live one, then the first given. */
function newer(a: LockEntry, b: LockEntry): LockEntry {
  const byTime = lastChange(b) - lastChange(a)
  if (byTime !== 0) return byTime > 0 ? b : a
  if ((a.removed === undefined) !== (b.removed === undefined)) return a.removed === undefined ? a : b
  return a
}

/** Both sides in one lockfile (GUIDs not yet checked unique: see repairDuplicateGuids). */
export function uniteLockfiles(ours: Lockfile, theirs: Lockfile): { lock: Lockfile; stats: { ours: number; theirs: number; both: number } } {
  const assets = Object.assign(Object.create(null) as Lockfile['assets'], ours.assets)
  for (const [key, asset] of Object.entries(theirs.assets)) {
    const mine = assets[key]
    if (!mine || asset.modified > mine.modified) assets[key] = asset
  }
  const facts = new Map(ours.facts)
  const stats = { ours: 0, theirs: 0, both: 0 }
  for (const [id, entry] of theirs.facts) {
    const mine = facts.get(id)
    if (!mine) {
      facts.set(id, entry)
      stats.theirs++
      continue
    }
    stats.both++
    if (mine.guid === entry.guid) {
      facts.set(id, newer(mine, entry))
      continue
    }
    // Two facts that each side gave the same id: keep both, the older under a free key.
    const keep = newer(mine, entry)
    const other = keep === mine ? entry : mine
    facts.set(id, keep)
    let n = 2
    while (facts.has(`${id}#${n}`)) n++
    facts.set(`${id}#${n}`, other)
  }
  stats.ours = ours.facts.size - stats.both
  const lock: Lockfile = { lockfileVersion: ours.lockfileVersion, namespace: ours.namespace, created: Math.min(ours.created, theirs.created), assets, facts }
  return { lock, stats }
}

/**
 * One fact per GUID: of the entries that share a GUID (two branches reworded one fact, each under
 * a new id), the newest change stays and the others are dropped. Returns what it did, one line
 * per GUID. A fact whose entry was dropped is matched again by content, or gets a new GUID.
 */
export function repairDuplicateGuids(lock: Lockfile): string[] {
  // Nearly always none: found with one set before any grouping.
  const guids = new Set<string>()
  for (const entry of lock.facts.values()) {
    if (guids.has(entry.guid)) break
    guids.add(entry.guid)
  }
  if (guids.size === lock.facts.size) return []
  const byGuid = new Map<string, string[]>()
  for (const [id, entry] of lock.facts) {
    const ids = byGuid.get(entry.guid)
    if (ids) ids.push(id)
    else byGuid.set(entry.guid, [id])
  }
  const repaired: string[] = []
  for (const [guid, ids] of byGuid) {
    if (ids.length < 2) continue
    const sorted = [...ids].sort()
    const keep = sorted.reduce((best, id) => (newer(lock.facts.get(best) as LockEntry, lock.facts.get(id) as LockEntry) === lock.facts.get(best) ? best : id))
    for (const id of sorted) if (id !== keep) lock.facts.delete(id)
    repaired.push(`${guid}: kept \`${keep}\`, dropped ${sorted.filter((id) => id !== keep).map((id) => `\`${id}\``).join(', ')}`)
  }
  return repaired
}
