/** A throw-away notes folder: files written to a temp dir, removed when the callback is done. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

export async function withNotes<T>(files: Record<string, string>, use: (notes: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-notes-'))
  try {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
      await writeFile(path.join(dir, name), text)
    }
    return await use(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
