/**
 * Every rule cheatdeck reports, registered once: its id, default severity and what it finds. The
 * README's rule table is checked against this list by a test (tests/rules.test.ts).
 *
 * Errors are what cannot be built, or would be built wrong or lose data; a deck cannot turn them
 * off. Warnings are style: a deck's `rules:` may turn them off or make them errors.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Severity } from '../diagnostics.ts'
import { PACKAGE_ROOT } from '../package-root.ts'
import { CARD_RULES } from './quality/index.ts'

export interface Rule {
  /** Stable kebab-case id. */
  id: string
  severity: Severity
  /** One line: what the rule finds. */
  description: string
}

const error = <Id extends string>(id: Id, description: string) => ({ id, severity: 'error' as const, description })
const warning = <Id extends string>(id: Id, description: string) => ({ id, severity: 'warning' as const, description })

const CORE_RULES = [
  // Reading the notes folder.
  error('not-utf8', 'a notes file is not UTF-8 text'),
  error('file-too-large', 'a notes file is over 1 MiB'),
  error('symlink-loop', 'a link loops back to a folder already read'),
  error('unreadable-file', 'a notes file or link cannot be read'),
  // The deck file and frontmatter.
  error('invalid-deck', 'the deck file is not YAML, or misses or mistypes a key'),
  warning('domain-weights', 'the domain weights do not sum to 100'),
  error('unterminated-frontmatter', 'the frontmatter\'s `---` is never closed'),
  error('invalid-frontmatter', 'the frontmatter is not YAML, not a mapping, or has a bad `id`'),
  error('missing-key', 'a frontmatter `name`, `title` or `domains` is not what it should be'),
  error('unknown-domain', 'a topic names a domain the deck does not have'),
  // A topic's structure.
  warning('empty-file', 'a notes file has no facts (it is no topic)'),
  warning('empty-section', 'a heading has nothing under it, a table no rows, a heading question no answer'),
  warning('stray-content', 'a block of a kind cheatdeck does not read is left out'),
  error('too-deep', 'block quotes or lists nest over 100 levels, or markup too deep to read'),
  // Facts.
  warning('empty-item', 'a list item is empty, or holds only a pin (left out)'),
  error('empty-fact', 'a table row has no name in its first cell'),
  error('duplicate-id', 'a pin, topic id or domain id is used twice'),
  warning('fact-too-long', 'a fact is over 2000 characters (one idea per card)'),
  error('ragged-table', 'a table row has more cells than its header (the extra ones would be lost)'),
  warning('short-row', 'a table row has fewer cells than its header (the missing ones are empty)'),
  warning('raw-html', 'a fact holds HTML other than the safe inline tags (shown as text, never run)'),
  error('path-outside-notes', 'a link or image points outside the notes folder'),
  warning('no-card', 'a fact has no card markup, so it makes no card'),
  warning('invalid-pin', 'a `^pin` has letters outside A–Z, so it stays text'),
  warning('invalid-tex', 'math whose TeX cannot be rendered (shown as its source)'),
  error('missing-media', 'an image is not in the notes folder'),
  warning('remote-image', 'an image is a web address: never fetched, its alt text is shown'),
  // Cloze marks.
  error('malformed-cloze', 'a cloze mark is never closed'),
  error('cloze-number', 'a `{{cN::…}}` number is below 1'),
  error('empty-cloze', 'a cloze hides nothing'),
  error('nested-cloze', 'a cloze is inside another'),
  error('cloze-in-link', 'a cloze mark is inside a link\'s text'),
  // The lockfile and the outputs.
  error('invalid-lockfile', 'the lockfile is not the JSON cheatdeck writes'),
  error('lockfile-outdated', 'with `--locked`: the lockfile does not match the notes'),
  error('namespace-changed', 'the deck\'s `namespace` differs from the lockfile\'s (every GUID would change)'),
  warning('lockfile-merged', 'the lockfile had merge conflicts or a GUID twice, and was repaired'),
  warning('sheet-overflow', 'the notes do not fit the pages asked for at the type floor (the sheet continues onto more pages), or a single fact is bigger than a page'),
  warning('sheet-selection', 'a topic or tag asked for on the sheet matches nothing, or the selection leaves the sheet empty'),
  warning('sheet-media-size', 'the sheet embeds over 1 MB of images'),
] as const satisfies readonly Rule[]

/** Every rule: those above, then the card-quality rules (`./quality/`, one module each; warnings). */
export const RULES: readonly Rule[] = [...CORE_RULES, ...CARD_RULES.map((rule) => warning(rule.id, rule.description))]

export type RuleId = (typeof CORE_RULES)[number]['id'] | (typeof CARD_RULES)[number]['id']

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]))

export function findRule(id: string): Rule | undefined {
  return BY_ID.get(id)
}

let readmeUrl: string | undefined

/** A rule's docs: its row in the README that ships with the package. */
export function ruleUrl(id: string): string {
  // Made once: every message asks (thousands in a big deck's build).
  readmeUrl ??= pathToFileURL(path.join(PACKAGE_ROOT, 'README.md')).href
  return `${readmeUrl}#rule-${id}`
}
