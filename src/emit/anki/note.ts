/**
 * Notes: a fact's fields, tags and cards, as Anki stores them.
 *
 * Field values are HTML: the fact's tree rendered by `./fields.ts`; everything built here from
 * plain strings (breadcrumb, source, id, a removed fact's text) is escaped here.
 */
import { hash } from 'node:crypto'
import { isoDate } from '../../facts/clock.ts'
import { assertNever, cardOrdinals, formatSource, SECTION_SEPARATOR, type Fact, type RemovedFact } from '../../facts/model.ts'
import { escapeHtml } from '../../render/html.ts'
import { basicSides, clozeField, escapeClozeHtml } from './fields.ts'
import { BASIC_MODEL, CLOZE_MODEL, REVERSED_MODEL, type ModelSpec } from './model.ts'

/** What a note is made of before ids and decks are assigned. */
export interface NoteContent {
  model: ModelSpec
  /** One value per `model.fields`, in order. */
  fields: string[]
  /** Card ordinals: `[0]` for Basic, cloze numbers − 1 for Cloze. */
  ords: number[]
  /** The first field as Anki indexes it (`stripHtml`), stripped once: `notes.sfld` and `notes.csum` come from it. */
  sortField: string
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

/** `notes.csum`: the first 8 hex digits of sha1(first field, already stripped by `stripHtml`), as an integer. */
export function fieldChecksum(strippedFirstField: string): number {
  return Number.parseInt(hash('sha1', strippedFirstField).slice(0, 8), 16)
}

/** `notes.tags`: space-separated with a space at each end; a tag cannot hold a space. */
export function tagsColumn(tags: readonly string[]): string {
  const clean = [...new Set(tags.map((tag) => tag.trim().replace(/\s+/g, '_')).filter((tag) => tag !== ''))]
  return clean.length === 0 ? '' : ` ${clean.join(' ')} `
}

/** `topic › section › subsection`, escaped. */
export function breadcrumb(topicName: string, section: readonly string[]): string {
  return [topicName, ...section].map(escapeHtml).join(SECTION_SEPARATOR)
}

/** A field value may never hold Anki's field separator. */
function field(value: string): string {
  return value.replaceAll(FIELD_SEPARATOR, ' ')
}

function content(model: ModelSpec, values: string[], ords: number[]): NoteContent {
  const fields = values.map(field)
  return { model, fields, ords, sortField: stripHtml(fields[0] ?? '') }
}

/** The note a fact makes, or undefined for a fact without card markup (form `none`). */
export function factNote(fact: Fact, topicName: string): NoteContent | undefined {
  const context = breadcrumb(topicName, fact.section)
  const source = escapeHtml(`${fact.source.file}:${fact.source.line}`)
  const id = escapeHtml(fact.id)
  const ords = cardOrdinals(fact)
  switch (fact.form) {
    case 'none':
      return undefined
    case 'cloze':
      if (ords.length === 0) throw new Error(`${formatSource(fact.source)}: fact \`${fact.id}\` is a cloze without a cloze number`)
      return content(CLOZE_MODEL, [clozeField(fact), '', context, source, id], ords)
    case 'term':
    case 'qa':
    case 'reversed': {
      const { front, back } = basicSides(fact)
      // Same fields as Basic, so Front/Back mean the same in both; the reverse template swaps them.
      const note = content(fact.form === 'reversed' ? REVERSED_MODEL : BASIC_MODEL, [front, back, '', context, source, id], ords)
      if (note.sortField.trim() === '' || (fact.form === 'reversed' && stripHtml(back).trim() === '')) {
        throw new Error(`${formatSource(fact.source)}: fact \`${fact.id}\` would make a card with an empty front`)
      }
      return note
    }
    default:
      return assertNever(fact)
  }
}

/**
 * The note that replaces a removed fact's note in the user's collection: same GUID and note
 * type, a newer `mod`, its old text under a "removed" line. Anki never deletes on import; this
 * at least says what to delete.
 */
export function removedNote(removed: RemovedFact, topicName: string): NoteContent {
  const day = isoDate(removed.removedAt)
  const context = breadcrumb(topicName, [])
  const id = escapeHtml(removed.id)
  if (removed.form === 'reversed') {
    // Both of its cards keep their note type; the reverse card shows the (empty) Back.
    const front = `<div class="cd-removed">Removed from the notes on ${day}: delete this note.</div><div>${escapeHtml(removed.text)}</div>`
    return content(REVERSED_MODEL, [front, front, '', context, '', id], [0, 1])
  }
  if (removed.form === 'cloze') {
    const text =
      `<div class="cd-removed">This fact was {{c1::removed}} from the notes on ${day}: delete this note.</div>` +
      `<div>${escapeClozeHtml(removed.text)}</div>`
    return content(CLOZE_MODEL, [text, '', context, '', id], [0])
  }
  const front =
    `<div class="cd-removed">Removed from the notes on ${day}: delete this note.</div>` +
    `<div>${escapeHtml(removed.text)}</div>`
  return content(BASIC_MODEL, [front, '', '', context, '', id], [0])
}
