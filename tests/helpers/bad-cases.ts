/** The bad-input corpus's cases made at run time: links can't be committed portably and 5 MB must not be committed at all. */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const generators: Record<string, (notes: string) => Promise<void>> = {
  'remove-deck': (notes) => rm(path.join(notes, 'deck.yaml')),
  'symlink-self': (notes) => symlink('loop.md', path.join(notes, 'loop.md')),
  'symlink-folder': async (notes) => {
    await mkdir(path.join(notes, 'sub'))
    await symlink('..', path.join(notes, 'sub', 'back'))
  },
  'symlink-dangling': (notes) => symlink('nowhere.md', path.join(notes, 'dangling.md')),
  'huge-file': async (notes) => {
    const head = '---\nname: Huge\ndomains: [build]\n---\n\n# Huge\n\n'
    const line = '- A pasted ==fact== that repeats.\n'
    const body = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length))
    await writeFile(path.join(notes, 'huge.md'), head + body)
  },
}
