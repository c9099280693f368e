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
  /** The Reversed note type's second card (its first is `basic`). */
  reversed: CardTemplate
  /** Shared by every note type. */
  css: string
  /**
   * sha256 (hex) of every template file's name and text that the package uses. When it changes,
   * the build must raise `modelsModified`, or Anki keeps the templates it already has. As loaded:
   * the files every package uses; `usedTemplates` adds the optional parts a package needs.
   */
  hash: string
  /** The optional parts' files, by part: hashed in only when a package uses the part. */
  optional: Record<OptionalPart, [string, string][]>
}

/**
 * Template parts only some packages need. Left out of a package (and of its hash) that does not
 * use them, so a deck without reversed cards has the same note types and bytes as before.
 */
export type OptionalPart = 'reversed' | 'code'

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

/** The optional parts' files, in the order they are hashed. */
export const OPTIONAL_TEMPLATE_FILES = {
  reversed: { front: 'reversed.front.html', back: 'reversed.back.html' },
  code: { css: 'code.css' },
} as const satisfies Record<OptionalPart, Record<string, string>>

/** Reads the card templates and CSS (the only file I/O of the Anki emitter). */
export async function loadAnkiTemplates(dir: string = ankiTemplatesDir): Promise<AnkiTemplates> {
  const entries = Object.entries(ANKI_TEMPLATE_FILES)
  const texts = await Promise.all(entries.map(([, file]) => readFile(join(dir, file), 'utf8')))
  const text = Object.fromEntries(entries.map(([key], i) => [key, texts[i] ?? ''])) as Record<
    keyof typeof ANKI_TEMPLATE_FILES,
    string
  >
  const reversedFiles = Object.values(OPTIONAL_TEMPLATE_FILES.reversed)
  const reversed = await Promise.all(reversedFiles.map((file) => readFile(join(dir, file), 'utf8')))
  const codeCss = await readFile(join(dir, OPTIONAL_TEMPLATE_FILES.code.css), 'utf8')
  return {
    basic: { front: text.basicFront, back: text.basicBack },
    cloze: { front: text.clozeFront, back: text.clozeBack },
    reversed: { front: reversed[0] ?? '', back: reversed[1] ?? '' },
    css: text.css,
    hash: hashTemplates(entries.map(([, file], i) => [file, texts[i] ?? ''])),
    optional: { reversed: reversedFiles.map((file, i) => [file, reversed[i] ?? '']), code: [[OPTIONAL_TEMPLATE_FILES.code.css, codeCss]] },
  }
}

/**
 * The templates as a package that uses the `used` optional parts ships them: their hash included,
 * and the highlighting stylesheet after the shared one when code is highlighted.
 */
export function usedTemplates(templates: AnkiTemplates, used: readonly OptionalPart[]): AnkiTemplates {
  if (used.length === 0) return templates
  const hash = createHash('sha256').update(templates.hash)
  for (const part of [...used].sort()) hash.update(`\0${part}\0${hashTemplates(templates.optional[part])}`)
  const css = used.includes('code') ? templates.css + templates.optional.code.map(([, text]) => text).join('') : templates.css
  return { ...templates, css, hash: hash.digest('hex') }
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
