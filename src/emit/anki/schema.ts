/**
 * The legacy Anki collection (`collection.anki2`, schema version 11) kept as data: the tables
 * every Anki release imports, the `col` row's JSON defaults and the one deck-options group.
 * Anki's `rslib/src/storage/schema11.sql` and genanki's `apkg_schema.py` say what each
 * column means; the comments below note what this deck relies on.
 */

/** `col.ver`: the schema version of a legacy `collection.anki2`. */
export const SCHEMA_VERSION = 11

export const SCHEMA_SQL = `
CREATE TABLE col (
  id     integer primary key, -- always 1: the one collection row
  crt    integer not null,    -- collection created, unix seconds (day cut-off base)
  mod    integer not null,    -- last modified, unix milliseconds
  scm    integer not null,    -- schema modified, unix milliseconds
  ver    integer not null,    -- schema version: 11
  dty    integer not null,    -- unused: 0
  usn    integer not null,    -- update sequence number: 0
  ls     integer not null,    -- last sync, unix milliseconds: 0 (never synced)
  conf   text not null,       -- JSON: collection options
  models text not null,       -- JSON: note types keyed by id
  decks  text not null,       -- JSON: decks keyed by id
  dconf  text not null,       -- JSON: deck-options groups keyed by id
  tags   text not null        -- JSON: tag cache, {} is fine
);
CREATE TABLE notes (
  id    integer primary key,  -- stable hashed id (see ids.ts)
  guid  text not null,        -- the fact's GUID: what Anki matches on re-import
  mid   integer not null,     -- note type id
  mod   integer not null,     -- last content change, unix SECONDS: newer => Anki updates the note
  usn   integer not null,     -- -1: changed locally
  tags  text not null,        -- space-separated, with a leading and a trailing space
  flds  text not null,        -- field values joined by 0x1f
  sfld  integer not null,     -- sort field, HTML stripped (integer affinity, as in Anki)
  csum  integer not null,     -- first 8 hex digits of sha1(stripped first field), as an integer
  flags integer not null,     -- 0
  data  text not null         -- ''
);
CREATE TABLE cards (
  id     integer primary key, -- stable hashed id (see ids.ts)
  nid    integer not null,    -- note id
  did    integer not null,    -- deck id
  ord    integer not null,    -- template index (Basic) or cloze number - 1 (Cloze)
  mod    integer not null,    -- unix seconds: the note's mod
  usn    integer not null,    -- -1
  type   integer not null,    -- 0: new
  queue  integer not null,    -- 0: new, -1: suspended
  due    integer not null,    -- new cards: position in the new queue (document order)
  ivl    integer not null,    -- 0
  factor integer not null,    -- 0
  reps   integer not null,    -- 0
  lapses integer not null,    -- 0
  left   integer not null,    -- 0
  odue   integer not null,    -- 0
  odid   integer not null,    -- 0
  flags  integer not null,    -- 0
  data   text not null        -- ''
);
CREATE TABLE revlog (
  id      integer primary key,
  cid     integer not null,
  usn     integer not null,
  ease    integer not null,
  ivl     integer not null,
  lastIvl integer not null,
  factor  integer not null,
  time    integer not null,
  type    integer not null
);
CREATE TABLE graves (
  usn  integer not null,
  oid  integer not null,
  type integer not null
);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
`

/** Positional parameters: crt, mod, scm, conf, models, decks, dconf. */
export const INSERT_COL = `INSERT INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags)
VALUES (1, ?, ?, ?, ${SCHEMA_VERSION}, 0, 0, 0, ?, ?, ?, ?, '{}')`

/** Positional parameters: id, guid, mid, mod, tags, flds, sfld, csum. */
export const INSERT_NOTE = `INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')`

/** Positional parameters: id, nid, did, ord, mod, queue, due. */
export const INSERT_CARD = `INSERT INTO cards
  (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data)
VALUES (?, ?, ?, ?, ?, -1, 0, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')`

/** The default deck, which every collection has. */
export const DEFAULT_DECK_ID = 1
/** The deck-options group our decks use: Anki's default group. */
export const DECK_CONFIG_ID = 1

/** `col.conf`: the collection options Anki 2.1 writes for a fresh collection. */
export function collectionConf(currentModelId: number, nextPosition: number): Record<string, unknown> {
  return {
    activeDecks: [DEFAULT_DECK_ID],
    addToCur: true,
    collapseTime: 1200,
    curDeck: DEFAULT_DECK_ID,
    curModel: String(currentModelId),
    dueCounts: true,
    estTimes: true,
    newBury: true,
    newSpread: 0,
    nextPos: nextPosition,
    sortBackwards: false,
    sortType: 'noteFld',
    timeLim: 0,
  }
}

/**
 * `col.dconf[1]`: Anki's default options group, every key present (current Anki rejects a
 * collection whose groups lack one of the schema-11 keys; older clients read `separate`,
 * `fuzz`, `minSpace`).
 */
export function deckConfig(mod: number): Record<string, unknown> {
  return {
    id: DECK_CONFIG_ID,
    mod,
    name: 'Default',
    usn: 0,
    maxTaken: 60,
    autoplay: true,
    timer: 0,
    replayq: true,
    dyn: false,
    new: {
      bury: false,
      delays: [1, 10],
      initialFactor: 2500,
      ints: [1, 4, 0],
      order: 1, // 1: new cards in `due` order, i.e. document order
      perDay: 20,
      separate: true,
    },
    rev: {
      bury: false,
      ease4: 1.3,
      fuzz: 0.05,
      ivlFct: 1,
      maxIvl: 36500,
      minSpace: 1,
      perDay: 200,
      hardFactor: 1.2,
    },
    lapse: {
      delays: [10],
      leechAction: 1,
      leechFails: 8,
      minInt: 1,
      mult: 0,
    },
    newMix: 0,
    newPerDayMinimum: 0,
    interdayLearningMix: 0,
    reviewOrder: 0,
    newSortOrder: 0,
    newGatherPriority: 0,
    buryInterdayLearning: false,
  }
}
