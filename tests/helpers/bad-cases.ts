/** The bad-input corpus's cases made at run time: links can't be committed portably and 5 MB must not be committed at all. */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Content outside the notes folder that its error messages would quote if it were ever read. */
export const SECRET_WORD = 'SECRET-CONTENT-7f3a'
const SECRET = `---\nname: [${SECRET_WORD}\n---\n\n# ${SECRET_WORD}\n\n<b>${SECRET_WORD}</b>\n`

export const generators: Record<string, (notes: string) => Promise<void>> = {
  'remove-deck': (notes) => rm(path.join(notes, 'deck.yaml')),
  'symlink-self': (notes) => symlink('loop.md', path.join(notes, 'loop.md')),
  'symlink-folder': async (notes) => {
    await mkdir(path.join(notes, 'sub'))
    await symlink('..', path.join(notes, 'sub', 'back'))
  },
  'symlink-dangling': (notes) => symlink('nowhere.md', path.join(notes, 'dangling.md')),
  'symlink-outside-file': async (notes) => {
    await writeFile(path.join(notes, '..', 'secret.md'), SECRET)
    await symlink('../secret.md', path.join(notes, 'outside.md'))
  },
  'symlink-outside-folder': async (notes) => {
    await mkdir(path.join(notes, '..', 'elsewhere'))
    await writeFile(path.join(notes, '..', 'elsewhere', 'secret.md'), SECRET)
    await symlink('../elsewhere', path.join(notes, 'linked'))
  },
  'symlink-outside-deck': async (notes) => {
    await writeFile(path.join(notes, '..', 'deck.yaml'), `title: ${SECRET_WORD}\n`)
    await rm(path.join(notes, 'deck.yaml'))
    await symlink('../deck.yaml', path.join(notes, 'deck.yaml'))
  },
  'huge-file': async (notes) => {
    const head = '---\nname: Huge\ndomains: [build]\n---\n\n# Huge\n\n'
    const line = '- A pasted ==fact== that repeats.\n'
    const body = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length))
    await writeFile(path.join(notes, 'huge.md'), head + body)
  },
}
