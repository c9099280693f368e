/**
 * Property-based tests: markdown generated from the notes grammar (frontmatter, title, sections,
 * list items with clozes, terms, questions, pins, tables, nested lists), then broken with noise
 * (random unicode, stray `=` `{` `}` `|` `^` `::`, truncation, CRLF, a BOM, random bytes).
 *
 * Properties:
 * - reading and parsing never throw (`decodeSource`, `parseTopic`, `compile`);
 * - every diagnostic and every fact's source is inside its file: 1 ≤ line ≤ the file's line count,
 *   1 ≤ column ≤ that line's length + 1, and a message is one line;
 * - a fact's `text` loses no character of its source line: every letter and digit of the line,
 *   once its markup is taken out (see `contentOf`), appears in `text`, in the same order.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compile } from '../src/compile.ts'
import { Diagnostics } from '../src/diagnostics.ts'
import type { SourcePosition } from '../src/facts/model.ts'
import { parseTopic, type ParsedTopic } from '../src/notes/parse.ts'
import { decodeSource } from '../src/notes/read.ts'

/**
 * Runs per property, and the seed: fixed by default so `npm test` is reproducible;
 * `FUZZ_SEED=random FUZZ_RUNS=5000 npx vitest run tests/fuzz.test.ts` digs deeper.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 250)
const SEED = process.env['FUZZ_SEED'] === 'random' ? undefined : Number(process.env['FUZZ_SEED'] ?? 20260101)
fc.configureGlobal({ ...(SEED === undefined ? {} : { seed: SEED }) })

// ---------------------------------------------------------------------------------------------
// The grammar

const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/)
const words = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '))
const pin = fc.constantFrom('p1', 'p2', 'p-3', 'pin_4', 'shared')

const inline = fc.oneof(
  { weight: 4, arbitrary: words },
  { weight: 3, arbitrary: words.map((w) => `==${w}==`) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), words).map(([n, w]) => `{{c${n}::${w}}}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), words, word).map(([n, w, h]) => `{{c${n}::${w}::${h}}}`) },
  { weight: 1, arbitrary: words.map((w) => `**${w}**`) },
  { weight: 1, arbitrary: words.map((w) => `*${w}*`) },
  { weight: 1, arbitrary: word.map((w) => `\`${w}\``) },
  { weight: 1, arbitrary: fc.tuple(words, word).map(([w, u]) => `[${w}](https://example.org/${u})`) },
)
const phrase = fc.array(inline, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '))
const withPin = (arb: fc.Arbitrary<string>) => fc.tuple(arb, fc.option(pin, { nil: undefined })).map(([text, p]) => (p ? `${text} ^${p}` : text))

const itemText = fc.oneof(
  withPin(phrase),
  withPin(fc.tuple(words, phrase).map(([t, d]) => `**${t}**: ${d}`)),
  withPin(fc.tuple(words, phrase).map(([t, d]) => `**${t}:** ${d}`)),
  withPin(fc.tuple(phrase, phrase).map(([q, a]) => `${q}? :: ${a}`)),
)
const item = fc.tuple(fc.constantFrom('-', '*', '+', '1.'), itemText, fc.array(itemText, { maxLength: 2 })).map(
  ([marker, text, children]) => [`${marker} ${text}`, ...children.map((c) => `${' '.repeat(marker.length + 1)}- ${c}`)].join('\n'),
)
const list = fc.array(item, { minLength: 1, maxLength: 4 }).map((items) => items.join('\n'))
// No `chain`: it makes shrinking explode. Rows are cut to the header's width instead.
const table = fc
  .tuple(
    fc.array(word, { minLength: 2, maxLength: 4 }),
    fc.array(fc.tuple(withPin(words), fc.array(fc.oneof(words, words.map((w) => `==${w}==`)), { minLength: 3, maxLength: 3 })), { maxLength: 4 }),
  )
  .map(([header, rows]) =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(([label, cells]) => `| ${[label, ...cells.slice(0, header.length - 1)].join(' | ')} |`)].join('\n'),
  )
const section = fc.tuple(fc.integer({ min: 2, max: 4 }), words, fc.array(fc.oneof(list, list, table, words), { maxLength: 2 })).map(
  ([depth, heading, blocks]) => [`${'#'.repeat(depth)} ${heading}`, ...blocks].join('\n\n'),
)
const frontmatter = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(words, fc.constantFrom('[build]', '[build, run]', 'run', '[nope]')).map(([name, domains]) => `---\nname: ${name}\ndomains: ${domains}\n---`) },
  { weight: 1, arbitrary: fc.constantFrom('---\n- a\n- b\n---', '---\nname: [x\n---', '---\nname: x\n', '---\n---', '') },
)
const topicFile = fc
  .tuple(frontmatter, fc.option(words, { nil: undefined }), fc.option(list, { nil: undefined }), fc.array(section, { maxLength: 3 }))
  .map(([front, title, intro, sections]) => [front, title === undefined ? '' : `# ${title}`, intro ?? '', ...sections].filter(Boolean).join('\n\n') + '\n')

// ---------------------------------------------------------------------------------------------
// Noise

const stray = fc.constantFrom('=', '==', '{', '{{', '}', '}}', '{{c1::', '{{c0::', '|', '^', '^x', '::', ' :: ', '**', '`', '[', ']', '\\', '<', '&', '\t', '\n', '\n\n', '- ', '#', '---\n')
const unicode = fc.string({ unit: 'binary', maxLength: 6 })
const noise = fc.oneof(stray, stray, unicode)
type Edit = { kind: 'insert'; at: number; text: string } | { kind: 'truncate'; at: number } | { kind: 'crlf' } | { kind: 'bom' }
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: noise }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
)
function applyEdits(text: string, edits: Edit[]): string {
  for (const e of edits) {
    if (e.kind === 'insert') {
      const at = text.length ? e.at % (text.length + 1) : 0
      text = text.slice(0, at) + e.text + text.slice(at)
    } else if (e.kind === 'truncate') text = text.slice(0, text.length ? e.at % (text.length + 1) : 0)
    else if (e.kind === 'crlf') text = text.replace(/\n/g, '\r\n')
    else text = `\uFEFF${text}`
  }
  return text
}
const noisyFile = fc.tuple(topicFile, fc.array(edit, { maxLength: 6 })).map(([text, edits]) => applyEdits(text, edits))

// ---------------------------------------------------------------------------------------------
// The properties' checks

/** Reads text as the notes reader does (bytes → strict UTF-8, BOM dropped, CRLF → LF), then parses it. */
function readAndParse(text: string): { value: string; parsed: ParsedTopic | undefined; diagnostics: Diagnostics } {
  const diagnostics = new Diagnostics()
  const value = decodeSource(new TextEncoder().encode(text), 't.md', diagnostics)
  if (value === undefined) return { value: text, parsed: undefined, diagnostics }
  return { value, parsed: parseTopic('t.md', value), diagnostics }
}

function expectInside(value: string, place: SourcePosition, what: string): void {
  const lines = value.split('\n')
  expect(place.file, what).toBe('t.md')
  expect(Number.isInteger(place.line) && place.line >= 1 && place.line <= lines.length, `${what}: line ${place.line} of ${lines.length}`).toBe(true)
  const length = lines[place.line - 1]?.length ?? 0
  expect(Number.isInteger(place.column) && place.column >= 1 && place.column <= length + 1, `${what}: column ${place.column} of a line of ${length}`).toBe(true)
}

const alnum = (text: string): string[] => text.match(/[\p{L}\p{N}]/gu) ?? []

/**
 * The letters and digits of a fact's source line that are content, not markup. Markup taken out:
 * the list markers, a code fence's info string, cloze marks (`==`, `{{cN::`, `}}`) and an explicit
 * cloze's `::hint` (kept in the deletion, not the text), a `^pin`, link destinations `](…)`,
 * footnote labels and character references (`&amp;` is one `&`). `**`, `::` and `|` carry no
 * letters. Taking out too much only weakens the property; it never makes it fail.
 */
function contentOf(line: string): string[] {
  // `- 1. x` is a list in a list: both markers are markup.
  let text = line.replace(/^(?:\s*(?:[-*+]|\d{1,9}[.)])(?=\s|$))+/, '')
  if (/^\s*(?:`{3,}|~{3,})/.test(text)) return []
  text = text
    // A code span is literal text: its letters stay, its braces and colons can't be marks.
    .replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) => ` ${alnum(code).join('')} `)
    // Escapes go before the plugin sees the text: `{{c1\::` opens a cloze like `{{c1::`.
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\{\{c\d+::((?:(?!\}\}|::|\{\{c\d+::).)*)::(?:(?!\}\}).)*\}\}/g, '$1')
    // A hint whose `}}` is on a later line of the paragraph.
    .replace(/\{\{c\d+::((?:(?!\}\}|::|\{\{c\d+::).)*)::(?:(?!\}\}).)*$/, '$1')
    .replace(/\{\{c\d+::|\}\}/g, ' ')
    .replace(/\^[A-Za-z0-9][\w-]*(?=\s*(?:\||$))/g, ' ')
    .replace(/\]\([^)]*\)?/g, ' ')
    .replace(/\[\^[^\]]*\]/g, ' ')
    .replace(/&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});/g, ' ')
  return alnum(text)
}

function isSubsequence(needle: string[], haystack: string[]): boolean {
  let i = 0
  for (const c of haystack) if (i < needle.length && c === needle[i]) i++
  return i === needle.length
}

function checkTopic(value: string, parsed: ParsedTopic | undefined, diagnostics: Diagnostics): void {
  for (const d of [...diagnostics.list, ...(parsed?.diagnostics ?? [])]) {
    expectInside(value, d, `${d.ruleId} at ${d.line}:${d.column}`)
    expect(d.message, d.ruleId).not.toContain('\n')
  }
  if (!parsed) return
  const lines = value.split('\n')
  for (const fact of parsed.facts) {
    expectInside(value, fact.source, `fact at ${fact.source.line}:${fact.source.column}`)
    const line = (lines[fact.source.line - 1] ?? '').slice(fact.source.column - 1)
    const content = contentOf(line)
    const kept = alnum(fact.text)
    expect(isSubsequence(content, kept), `fact at line ${fact.source.line} lost characters:\n  line: ${JSON.stringify(line)}\n  text: ${JSON.stringify(fact.text)}`).toBe(true)
  }
}

// ---------------------------------------------------------------------------------------------

describe('fuzzing the notes reader and parser', () => {
  it('parses files from the grammar: no throw, positions inside the file, no lost characters', () => {
    fc.assert(
      fc.property(topicFile, (text) => {
        const { value, parsed, diagnostics } = readAndParse(text)
        expect(parsed).toBeDefined()
        checkTopic(value, parsed, diagnostics)
      }),
      { numRuns: RUNS },
    )
  }, 120_000)

  it('parses the grammar broken by noise (stray marks, unicode, truncation, CRLF, BOM) the same way', () => {
    fc.assert(
      fc.property(noisyFile, (text) => {
        const { value, parsed, diagnostics } = readAndParse(text)
        checkTopic(value, parsed, diagnostics)
      }),
      { numRuns: RUNS },
    )
  }, 120_000)

  it('reads random bytes: valid UTF-8 parses, anything else is one positioned not-utf8 error', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.tuple(topicFile, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat()).map(([text, junk, at]) => {
        const encoded = new TextEncoder().encode(text)
        const cut = at % (encoded.length + 1)
        return Uint8Array.from([...encoded.subarray(0, cut), ...junk, ...encoded.subarray(cut)])
      }),
    )
    fc.assert(
      fc.property(bytes, (data) => {
        const diagnostics = new Diagnostics()
        const value = decodeSource(data, 't.md', diagnostics)
        if (value === undefined) {
          expect(diagnostics.list.map((d) => d.ruleId)).toEqual(['not-utf8'])
          const lossy = new TextDecoder('utf-8').decode(data)
          expectInside(lossy.replace(/\r\n?/g, '\n'), diagnostics.list[0]!, 'not-utf8')
        } else {
          expect(diagnostics.list).toEqual([])
          checkTopic(value, parseTopic('t.md', value), diagnostics)
        }
      }),
      { numRuns: RUNS },
    )
  }, 120_000)

  it('compiles folders of generated files (shared pins, duplicate topics, a fuzzed deck) without throwing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-fuzz-'))
    const deck = fc.oneof(
      fc.constant('title: Fuzz\nexam: FZ-1\ndomains:\n  - { id: build, name: Build, weight: 50 }\n  - { id: run, name: Run, weight: 50 }\n'),
      fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => applyEdits('title: Fuzz\nexam: FZ-1\ndomains:\n  - { id: build, name: Build, weight: 50 }\n  - { id: run, name: Run, weight: 50 }\n', edits)),
    )
    let run = 0
    try {
      await fc.assert(
        fc.asyncProperty(deck, fc.array(fc.oneof(topicFile, noisyFile), { minLength: 1, maxLength: 4 }), async (deckText, files) => {
          const notes = path.join(dir, String(run++))
          await mkdir(notes)
          await writeFile(path.join(notes, 'deck.yaml'), deckText)
          await Promise.all(files.map((text, i) => writeFile(path.join(notes, `topic-${i}.md`), text)))
          const result = await compile({ notes, now: 1 })
          for (const d of result.diagnostics) {
            expect(d.line, `${d.file} ${d.ruleId}`).toBeGreaterThanOrEqual(1)
            expect(d.column, `${d.file} ${d.ruleId}`).toBeGreaterThanOrEqual(1)
            expect(d.message).not.toContain('\n')
          }
          expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === 'error'))
          const ids = result.notes.facts.map((f) => f.id)
          expect(new Set(ids).size).toBe(ids.length)
        }),
        { numRuns: 40 },
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
