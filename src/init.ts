/**
 * `cheatdeck init [dir]`: a deck file with every option commented, an example note showing each
 * card form, and a `.gitignore` for the outputs. Never overwrites a file; returns what it did and
 * leaves the telling to the CLI.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PACKAGE_ROOT } from './package-root.ts'
import { DECK_FILES } from './notes/read.ts'

export interface InitOptions {
  /** The folder to set up (made if missing). */
  dir: string
}

export interface InitResult {
  /** Files written, as paths inside `dir`. */
  written: string[]
  /** Files left alone, and why. */
  skipped: { file: string; reason: string }[]
}

const TEMPLATES = path.join(PACKAGE_ROOT, 'templates', 'init')

export async function init(options: InitOptions): Promise<InitResult> {
  const dir = path.resolve(options.dir)
  await mkdir(dir, { recursive: true })
  const present = new Set(await readdir(dir))
  const result: InitResult = { written: [], skipped: [] }
  const put = async (file: string, text: string): Promise<void> => {
    try {
      // `wx`: fails if the file exists, even one made since the listing above.
      await writeFile(path.join(dir, file), text, { flag: 'wx' })
      result.written.push(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      result.skipped.push({ file, reason: 'it exists already' })
    }
  }
  const template = (name: string) => readFile(path.join(TEMPLATES, name), 'utf8')

  const deckFile = DECK_FILES.find((name) => present.has(name))
  if (deckFile) result.skipped.push({ file: deckFile, reason: 'it exists already' })
  else await put('deck.yaml', (await template('deck.yaml')).replace('__TITLE__', yamlString(path.basename(dir) || 'Notes')))

  // A folder that has notes already needs no example among them.
  const notes = [...present].filter((name) => name.toLowerCase().endsWith('.md') && !/^(readme|index)\.md$/i.test(name) && !/^[._]/.test(name))
  if (notes.length && !present.has('example.md')) result.skipped.push({ file: 'example.md', reason: `the folder has notes already (${notes.length} .md file${notes.length === 1 ? '' : 's'})` })
  else await put('example.md', await template('example.md'))

  await put('.gitignore', await template('gitignore'))
  return result
}

/** A title as a YAML plain scalar when it can be one, else double-quoted (JSON is valid YAML). */
function yamlString(text: string): string {
  return /^[\p{L}\p{N}][\p{L}\p{N} _.()-]*$/u.test(text) && !/ $/.test(text) ? text : JSON.stringify(text)
}
