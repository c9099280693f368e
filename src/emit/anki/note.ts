/**
 * Notes: a fact's fields, tags and cards, as Anki stores them.
 *
 * Field values are HTML. The fact's `*Html` parts come rendered and escaped by the pipeline and
 * go in as they are; everything built here from plain strings (breadcrumb, source, id, a removed
 * fact's text) is escaped here.
 */
import { createHash } from 'node:crypto'
import type { CardForm, Fact } from '../../facts/model.ts'
import { BASIC_MODEL, CLOZE_MODEL, type ModelSpec } from './model.ts'
import { escapeClozeHtml, escapeHtml } from '../../notes/render.ts'

/** What a note is made of before ids and decks are assigned. */
export interface NoteContent {
  model: ModelSpec
  /** One value per `model.fields`, in order. */
  fields: string[]
  /** Card ordinals: `[0]` for Basic, cloze numbers − 1 for Cloze. */
  ords: number[]
}

/** A fact that vanished from the notes, to be shipped tagged `<exam>::removed`. */
export interface RemovedNote {
  guid: string
  /** Its last id. */
  id: string
  /** Its topic id. */
  topic: string
  /** Its last plain text. */
  text: string
  /** Unix seconds: when the build first found it gone. Becomes the note's `mod`. */
  removedAt: number
  /** Unix seconds: when the fact was first seen (its note's id, as when it was in the notes). */
  added: number
  /**
   * Its card form, if known. A GUID only updates a note of the same note type, so a removed
   * cloze fact must come back as a Cloze note. Default: a Basic note. `none`: never had a note,
   * so none is shipped.
   */
  form?: CardForm
}

export const FIELD_SEPARATOR = '\x1f'

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** A field's text as Anki indexes it (sort field, checksum): tags removed, entities decoded. */
export function stripHtml(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
      }
      return NAMED_ENTITIES[name.toLowerCase()] ?? whole
    })
}

/** `notes.csum`: the first 8 hex digits of sha1(stripped first field), as an integer. */
export function fieldChecksum(firstField: string): number {
  return Number.parseInt(createHash('sha1').update(stripHtml(firstField)).digest('hex').slice(0, 8), 16)
}

/** The distinct cloze numbers in a cloze field, ascending (`{{c2::…}}` → 2). */
export function clozeNumbers(text: string): number[] {
  const numbers = new Set<number>()
  for (const match of text.matchAll(/\{\{c(\d+)::/g)) {
    const n = Number(match[1])
    if (n >= 1) numbers.add(n)
  }
  return [...numbers].sort((a, b) => a - b)
}

/** `notes.tags`: space-separated with a space at each end; a tag cannot hold a space. */
export function tagsColumn(tags: readonly string[]): string {
  const clean = [...new Set(tags.map((tag) => tag.trim().replace(/\s+/g, '_')).filter((tag) => tag !== ''))]
  return clean.length === 0 ? '' : ` ${clean.join(' ')} `
}

/** `topic › section › subsection`, escaped. */
export function breadcrumb(topicName: string, section: readonly string[]): string {
  return [topicName, ...section].map(escapeHtml).join(' › ')
}

/** A field value may never hold Anki's field separator. */
function field(value: string): string {
  return value.replaceAll(FIELD_SEPARATOR, ' ')
}

function where(fact: Fact): string {
  return `${fact.source.file}:${fact.source.line}:${fact.source.column}`
}

/** The note a fact makes, or undefined for a fact without card markup (form `none`). */
export function factNote(fact: Fact, topicName: string): NoteContent | undefined {
  const context = breadcrumb(topicName, fact.section)
  const source = escapeHtml(`${fact.source.file}:${fact.source.line}`)
  const id = escapeHtml(fact.id)
  switch (fact.form) {
    case 'none':
      return undefined
    case 'cloze': {
      if (!fact.cloze) throw new Error(`${where(fact)}: fact \`${fact.id}\` is a cloze but has no cloze parts`)
      const text = fact.cloze.html
      const numbers = clozeNumbers(text)
      if (numbers.length === 0) {
        throw new Error(`${where(fact)}: fact \`${fact.id}\` is a cloze but its HTML has no {{cN::…}} mark`)
      }
      return {
        model: CLOZE_MODEL,
        fields: [text, '', context, source, id].map(field),
        ords: numbers.map((n) => n - 1),
      }
    }
    case 'term':
    case 'qa': {
      const parts =
        fact.form === 'term'
          ? fact.term && { front: fact.term.termHtml, back: fact.term.definitionHtml }
          : fact.question && { front: fact.question.questionHtml, back: fact.question.answerHtml }
      if (!parts) throw new Error(`${where(fact)}: fact \`${fact.id}\` has form ${fact.form} but no ${fact.form} parts`)
      if (stripHtml(parts.front).trim() === '') {
        throw new Error(`${where(fact)}: fact \`${fact.id}\` would make a card with an empty front`)
      }
      return {
        model: BASIC_MODEL,
        fields: [parts.front, parts.back, '', context, source, id].map(field),
        ords: [0],
      }
    }
  }
}

function isoDay(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10)
}

/**
 * The note that replaces a removed fact's note in the user's collection: same GUID and note
 * type, a newer `mod`, its old text under a "removed" line. Anki never deletes on import; this
 * at least says what to delete.
 */
export function removedNote(removed: RemovedNote, topicName: string): NoteContent {
  const day = isoDay(removed.removedAt)
  const context = breadcrumb(topicName, [])
  const id = escapeHtml(removed.id)
  if (removed.form === 'cloze') {
    const text =
      `<div class="cd-removed">This fact was {{c1::removed}} from the notes on ${day}: delete this note.</div>` +
      `<div>${escapeClozeHtml(removed.text)}</div>`
    return { model: CLOZE_MODEL, fields: [text, '', context, '', id].map(field), ords: [0] }
  }
  const front =
    `<div class="cd-removed">Removed from the notes on ${day}: delete this note.</div>` +
    `<div>${escapeHtml(removed.text)}</div>`
  return { model: BASIC_MODEL, fields: [front, '', '', context, '', id].map(field), ords: [0] }
}
