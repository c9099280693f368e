/** Copies a fixture notes folder to a fresh temp dir, so tests can build and edit it freely. */
import { cp, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures')

export async function copyFixture(name: string): Promise<{ dir: string; notes: string; out: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), `cheatdeck-${name.replace(/\W+/g, '-')}-`))
  const notes = path.join(dir, 'notes')
  await cp(path.join(FIXTURES, name), notes, { recursive: true })
  return { dir, notes, out: path.join(dir, 'dist') }
}
