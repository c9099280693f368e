/** Copies a fixture notes folder to a fresh temp dir, so tests can build and edit it freely. */
import { cp, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures')

/** The notes cheatdeck ships (`notes/`). */
export const SHIPPED_NOTES = path.resolve(import.meta.dirname, '..', '..', 'notes')

export function copyFixture(name: string): Promise<{ dir: string; notes: string; out: string }> {
  return copyNotes(path.join(FIXTURES, name), name)
}

/** The shipped notes, copied like a fixture. */
export function copyShippedNotes(): Promise<{ dir: string; notes: string; out: string }> {
  return copyNotes(SHIPPED_NOTES, 'shipped')
}

async function copyNotes(source: string, name: string): Promise<{ dir: string; notes: string; out: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), `cheatdeck-${name.replace(/\W+/g, '-')}-`))
  const notes = path.join(dir, 'notes')
  await cp(source, notes, { recursive: true })
  return { dir, notes, out: path.join(dir, 'dist') }
}
