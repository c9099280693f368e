/**
 * Notes: a fact's fields, tags and cards, as Anki stores them.
 *
 * Field values are HTML: the fact's tree rendered by `./fields.ts`; everything built here from
 * plain strings (breadcrumb, source, id, a removed fact's text) is escaped here.
 */
import { createHash } from 'node:crypto'
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
      return { model: CLOZE_MODEL, fields: [clozeField(fact), '', context, source, id].map(field), ords }
    case 'term':
    case 'qa':
    case 'reversed': {
      const { front, back } = basicSides(fact)
      if (stripHtml(front).trim() === '' || (fact.form === 'reversed' && stripHtml(back).trim() === '')) {
        throw new Error(`${formatSource(fact.source)}: fact \`${fact.id}\` would make a card with an empty front`)
      }
      // Same fields as Basic, so Front/Back mean the same in both; the reverse template swaps them.
      return { model: fact.form === 'reversed' ? REVERSED_MODEL : BASIC_MODEL, fields: [front, back, '', context, source, id].map(field), ords }
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
    return { model: REVERSED_MODEL, fields: [front, front, '', context, '', id].map(field), ords: [0, 1] }
  }
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
