/**
 * The shape every output has. An output turns the compiled notes into files; `build` runs each
 * one in the registry (`./index.ts`) and writes what it returns, atomically, with the rest.
 * An output never writes, prints or changes what it is given: it returns files, problems,
 * lines for the user and lockfile entries to record.
 */
import type { Diagnostic } from '../diagnostics.ts'
import type { AssetEntry, Lockfile } from '../facts/lockfile.ts'
import type { Fact, Notes, RemovedFact } from '../facts/model.ts'
import type { SheetBrowserPool } from './sheet/browser-pool.ts'
import type { Paper } from './sheet/index.ts'

/** The build options outputs read (part of `BuildOptions`). */
export interface OutputOptions {
  /** Sheet paper (default A4 landscape). */
  paper?: Paper
  /** Pages the sheet should fit on (default 1); it continues onto more, with a warning, when it must. */
  pages?: number
  /** The sheet's type floor in pt (default 6): no text on it is smaller. */
  minFont?: number
  /** Only these topics on the sheet (ids or names; default: the deck file's `sheet.topics`, else all). */
  topics?: readonly string[]
  /** Only facts with one of these tags on the sheet (default: the deck file's `sheet.tags`, else all). */
  tags?: readonly string[]
  /** Also print the sheet to PDF through headless Chromium. */
  pdf?: boolean
  /**
   * Fit the sheet in headless Chromium at build time (baking in the type size and pages, warning
   * when it needs more pages than asked). Default: when a Chromium is installed. Without it the sheet fits itself when opened.
   */
  fit?: boolean
  /** Put facts removed from the notes into the deck, tagged `<exam>::removed`, so re-import tags them. */
  tagRemoved?: boolean
  /**
   * The Chromium that fits and prints the sheet, kept between builds (`createSheetBrowserPool()`;
   * `watchBuild` makes one and closes it with the watcher). Default: a build that needs Chromium
   * starts its own and closes it.
   */
  browser?: SheetBrowserPool
}

/**
 * Adds the milliseconds `run` takes to `stage` in the build's timings; `doing` says what it does
 * for the progress line (default: the stage's name).
 */
export type Timer = <T>(stage: string, run: () => Promise<T> | T, doing?: string) => Promise<T>

export interface OutputContext {
  notes: Notes
  /** The lockfile as compiled (read only: record changes through `Emission.lockUpdate`). */
  lock: Readonly<Lockfile>
  /** Facts gone from the notes since the lockfile was written. */
  removed: readonly RemovedFact[]
  /** The build's clock (unix seconds; `SOURCE_DATE_EPOCH` when set). */
  now: number
  /** The templates folder; an output reads its own subfolder. */
  templates: string
  options: OutputOptions
  timed: Timer
  /**
   * The persistent build cache, when the build has one: an output may keep what it made under a
   * key of everything it was made from (`key(kind, digest(), …its other inputs)`), so the next
   * build with the same inputs takes it back instead of making it again. Absent: a cold build.
   */
  cache?: OutputCache
}

export interface OutputCache {
  /** A digest of all of `notes` and `removed`: two builds with equal digests have equal notes. */
  digest(): string
  /** A digest of part of the notes (e.g. one topic's facts), every field of it, trees included. */
  digestOf(value: unknown): string
  /**
   * A fact's digests, made once per build however many outputs key their parts on it (a fact is
   * serialized once, not once per output).
   */
  factDigest(fact: Fact): FactDigest
  /** The key of a value of kind `kind` made from `parts` (salted with cheatdeck's code and dependencies). */
  key(kind: string, ...parts: readonly string[]): string
  /** The value kept under `key`, or undefined (never kept, or unreadable: make it again). */
  get<T>(key: string): Promise<T | undefined>
  set(key: string, value: unknown): Promise<void>
}

export interface FactDigest {
  /** Of every field but where the fact stands and who it is in Anki (`order`, `source`, `guid`, `modified`, `added`). */
  printed: string
  /** Of every field but `order` (its place in the whole deck, which an insertion above it changes). */
  whole: string
}

/**
 * A file's bytes: whole, or as chunks made while the file is written (so a large output never
 * lies in memory whole). An iterable is read once per write, after every output has emitted; an
 * error it throws fails the build like any other write error (nothing is replaced).
 */
export type OutputData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>

export interface OutputFile {
  /** Path inside the output folder, e.g. `facts.json`. */
  name: string
  data: OutputData
}

/** Lockfile assets an output needs recorded, and why (said when `--locked` refuses). */
export interface LockUpdate {
  assets: Record<string, AssetEntry>
  /** e.g. `the Anki templates changed` */
  reason: string
}

export interface Emission {
  files: OutputFile[]
  /** Problems found while emitting; an error stops the build before anything is written. */
  diagnostics?: Diagnostic[]
  lockUpdate?: LockUpdate
  /** Lines for the user that are not about the notes (e.g. no Chromium for `--pdf`). */
  notices?: string[]
}

export interface Output<Id extends string = string> {
  /** Stable kebab-case id, as given to `--only`. */
  id: Id
  /** One line for `--help` and the README. */
  description: string
  emit(context: OutputContext): Promise<Emission>
}
