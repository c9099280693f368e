import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../package-root.ts'

/** A card template pair in Anki's own `{{Field}}` syntax: passed to Anki as is. */
export interface CardTemplate {
  front: string
  back: string
}

export interface AnkiTemplates {
  basic: CardTemplate
  cloze: CardTemplate
  /** Shared by both note types. */
  css: string
  /**
   * sha256 (hex) of every template file's name and text. When it changes, the build must raise
   * `modelsModified`, or Anki keeps the templates it already has.
   */
  hash: string
}

/** The shipped templates: `templates/anki/` at the package root. */
export const ankiTemplatesDir = join(PACKAGE_ROOT, 'templates', 'anki')

/** File names inside the templates folder, in the order they are hashed. */
export const ANKI_TEMPLATE_FILES = {
  basicFront: 'basic.front.html',
  basicBack: 'basic.back.html',
  clozeFront: 'cloze.front.html',
  clozeBack: 'cloze.back.html',
  css: 'style.css',
} as const

/** Reads the card templates and CSS (the only file I/O of the Anki emitter). */
export async function loadAnkiTemplates(dir: string = ankiTemplatesDir): Promise<AnkiTemplates> {
  const entries = Object.entries(ANKI_TEMPLATE_FILES)
  const texts = await Promise.all(entries.map(([, file]) => readFile(join(dir, file), 'utf8')))
  const text = Object.fromEntries(entries.map(([key], i) => [key, texts[i] ?? ''])) as Record<
    keyof typeof ANKI_TEMPLATE_FILES,
    string
  >
  return {
    basic: { front: text.basicFront, back: text.basicBack },
    cloze: { front: text.clozeFront, back: text.clozeBack },
    css: text.css,
    hash: hashTemplates(entries.map(([, file], i) => [file, texts[i] ?? ''])),
  }
}

function hashTemplates(files: [string, string][]): string {
  const hash = createHash('sha256')
  for (const [name, text] of files) hash.update(`${name}\0${text.length}\0${text}`)
  return hash.digest('hex')
}

/** What the lockfile keeps about the note types. */
export interface ModelsStamp {
  /** `AnkiTemplates.hash` of the templates last built. */
  hash: string
  /** Unix seconds: the note types' `mod`. */
  modified: number
}

/**
 * The note types' `mod` for this build: unchanged while the templates are, else `now`
 * (always strictly newer than before, so Anki replaces its copy of the templates).
 */
export function stampModels(previous: ModelsStamp | undefined, templates: AnkiTemplates, now: number): ModelsStamp {
  if (previous && previous.hash === templates.hash) return previous
  const modified = previous ? Math.max(now, previous.modified + 1) : now
  return { hash: templates.hash, modified }
}
