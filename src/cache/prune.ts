/**
 * The build cache never grows without end: once a day, the first store opened on a folder
 * deletes the entries not written for a month (and temp files a killed build left). An entry
 * still in use just misses once and is written again; a build that reads an entry as it is
 * deleted gets a miss too, which only costs the work the entry saved.
 */
import { readdir, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'

const DAY_MS = 24 * 60 * 60 * 1000
/** Entries not written for this long are deleted. */
export const MAX_AGE_MS = 30 * DAY_MS
/** Its time is when the folder was last pruned. */
const MARKER = 'last-pruned'

/** Prunes `dir` unless it was pruned in the last day. Best effort: never throws. */
export async function pruneCache(dir: string, now = Date.now()): Promise<void> {
  try {
    const last = await stat(path.join(dir, MARKER)).catch(() => undefined)
    if (last && now - last.mtimeMs < DAY_MS) return
    // The marker first, so builds started meanwhile do not walk the folder too.
    await writeFile(path.join(dir, MARKER), '')
    for (const kind of await readdir(dir, { withFileTypes: true })) {
      if (!kind.isDirectory()) continue
      const folder = path.join(dir, kind.name)
      for (const name of await readdir(folder)) {
        const file = path.join(folder, name)
        const info = await stat(file).catch(() => undefined)
        if (info && now - info.mtimeMs > MAX_AGE_MS) await rm(file, { force: true, recursive: true })
      }
    }
  } catch {
    // A folder that cannot be read or written is a cache that saves nothing, never an error.
  }
}
