/**
 * The note types (Anki "models"). Anki matches a note type on import by its id, and keeps
 * using it only while the field names and template names are unchanged (else it adds a copy and
 * our notes stop updating). So: the ids are constants, and the fields and templates below are
 * append-only — never rename, reorder or remove one.
 */
import type { AnkiTemplates } from './templates.ts'

export const BASIC_MODEL_ID = 1_594_820_231_001
export const CLOZE_MODEL_ID = 1_594_820_231_002
export const REVERSED_MODEL_ID = 1_594_820_231_003

export interface ModelSpec {
  id: number
  name: string
  /** 0: standard, 1: cloze. */
  type: 0 | 1
  fields: readonly string[]
  templates: readonly string[]
}

/** Front → Back, from a `**Term**: definition`, a `Question? :: Answer` or a table row. */
export const BASIC_MODEL = {
  id: BASIC_MODEL_ID,
  name: 'cheatdeck Basic',
  type: 0,
  fields: ['Front', 'Back', 'Extra', 'Context', 'Source', 'Id'],
  templates: ['Card 1'],
} as const satisfies ModelSpec

/** One card per cloze number in Text. */
export const CLOZE_MODEL = {
  id: CLOZE_MODEL_ID,
  name: 'cheatdeck Cloze',
  type: 1,
  fields: ['Text', 'Extra', 'Context', 'Source', 'Id'],
  templates: ['Cloze'],
} as const satisfies ModelSpec

/**
 * Front → Back and Back → Front, from `Question:::Answer`, a `??` card, or a term with `reverse:
 * terms`. The same fields as Basic; only in a package whose notes use it (see `modelsJson`).
 */
export const REVERSED_MODEL = {
  id: REVERSED_MODEL_ID,
  name: 'cheatdeck Reversed',
  type: 0,
  fields: ['Front', 'Back', 'Extra', 'Context', 'Source', 'Id'],
  templates: ['Card 1', 'Card 2'],
} as const satisfies ModelSpec

/** The note type as `col.models[id]` (schema 11); `cards`: one template pair per `spec.templates`. */
export function modelJson(
  spec: ModelSpec,
  cards: readonly { front: string; back: string }[],
  css: string,
  mod: number,
  deckId: number,
): Record<string, unknown> {
  return {
    id: spec.id,
    name: spec.name,
    type: spec.type,
    mod,
    usn: -1,
    sortf: 0,
    did: deckId,
    tmpls: spec.templates.map((name, ord) => ({
      name,
      ord,
      qfmt: cards[ord]?.front ?? '',
      afmt: cards[ord]?.back ?? '',
      bqfmt: '',
      bafmt: '',
      did: null,
      bfont: '',
      bsize: 0,
    })),
    flds: spec.fields.map((name, ord) => ({
      name,
      ord,
      sticky: false,
      rtl: false,
      font: 'Arial',
      size: 20,
      media: [],
    })),
    css,
    latexPre:
      '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n' +
      '\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n',
    latexPost: '\\end{document}',
    latexsvg: false,
    // Old clients generate standard cards from `req`: card 0 needs field 0 (Front), card 1 field 1 (Back).
    req: spec.type === 0 ? spec.templates.map((_, ord) => [ord, 'any', [ord]]) : [],
    tags: [],
    vers: [],
  }
}

/**
 * `col.models`. The Reversed note type only when a note uses it: a package without reversed cards
 * stays as it was before the note type existed (same bytes, nothing new in the user's Anki).
 */
export function modelsJson(templates: AnkiTemplates, mod: number, deckId: number, reversed = false): Record<string, unknown> {
  return {
    [BASIC_MODEL_ID]: modelJson(BASIC_MODEL, [templates.basic], templates.css, mod, deckId),
    [CLOZE_MODEL_ID]: modelJson(CLOZE_MODEL, [templates.cloze], templates.css, mod, deckId),
    ...(reversed ? { [REVERSED_MODEL_ID]: modelJson(REVERSED_MODEL, [templates.basic, templates.reversed], templates.css, mod, deckId) } : {}),
  }
}
