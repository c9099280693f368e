/**
 * The rule registry, a deck's `rules:` settings and the report, asserted as remark-lint does: on
 * the messages' strings (`file:line:col-line:col: reason`).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compile, formatReport, RULES, type Diagnostic } from '../src/index.ts'
import { diagnostic, diagnosticJson } from '../src/diagnostics.ts'
import { main } from '../src/cli.ts'
import { CARD_RULES } from '../src/rules/quality/index.ts'

const README = path.resolve(import.meta.dirname, '..', 'README.md')
const START = '<!-- rules: generated from src/rules/index.ts by tests/rules.test.ts (UPDATE=1 rewrites it) -->'
const END = '<!-- /rules -->'

function ruleTable(): string {
  const rows = RULES.map((rule) => `| <a id="rule-${rule.id}"></a>\`${rule.id}\` | ${rule.severity} | ${rule.severity === 'warning' ? 'yes' : 'no'} | ${rule.description} |`)
  return ['| rule | default | `rules:` may change it | finds |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

const deck = (rules: string) => `title: Rules Deck\nexam: RUL-01\ndomains:\n  - { id: build, name: Building, weight: 100 }\nkeyTopics: [Rules]\n${rules}`
const topic = '---\nname: T\ndomains: [build]\n---\n\n# T\n\nStray prose.\n\n- A fact without markup.\n- One with a ==cloze==.\n'

const temps: string[] = []
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))))

async function compileWith(rules: string, files: Record<string, string> = { 't.md': topic }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-rules-'))
  temps.push(dir)
  const notes = path.join(dir, 'notes')
  await mkdir(notes)
  await writeFile(path.join(notes, 'deck.yaml'), deck(rules))
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(notes, name), text)
  return { notes, result: await compile({ notes, now: 1 }) }
}

// The card-quality rules have their own tests (card-quality.test.ts); these tiny facts make weak cards.
const CARD_RULE_IDS = new Set<string>(CARD_RULES.map((rule) => rule.id))
const strings = (list: readonly Diagnostic[]) => list.filter((d) => !CARD_RULE_IDS.has(d.ruleId)).map((d) => `${String(d)} [${d.severity} ${d.ruleId}]`)

describe('the rule registry', () => {
  it('registers each rule once, with a kebab-case id and a one-line description', () => {
    const ids = RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/)
      expect(rule.description).not.toMatch(/\n|\.$/)
    }
  })

  it("is the README's rule table", async () => {
    const text = await readFile(README, 'utf8')
    const start = text.indexOf(START)
    const end = text.indexOf(END)
    expect(start, 'README has the rule table markers').toBeGreaterThan(-1)
    const wanted = `${START}\n\n${ruleTable()}\n\n${END}`
    if (process.env['UPDATE']) await writeFile(README, text.slice(0, start) + wanted + text.slice(end + END.length))
    else expect(text.slice(start, end + END.length)).toBe(wanted)
  })
})

describe('rules: in the deck file', () => {
  it('reports by default: a list item without a card is a warning (prose is a fact as it is)', async () => {
    const { result } = await compileWith('')
    expect(result.ok).toBe(true)
    expect(result.notes.facts.map((f) => f.text)).toEqual(['Stray prose.', 'A fact without markup.', 'One with a cloze.'])
    expect(strings(result.diagnostics)).toEqual([
      't.md:10:1-10:25: Unexpected fact without card markup, expected `==cloze==`, `**Term**: definition` or `Question? :: Answer` [warning no-card]',
    ])
  })

  it('turns a warning off or makes it an error', async () => {
    const { result } = await compileWith('rules:\n  stray-content: off\n  no-card: error\n')
    expect(result.ok).toBe(false)
    expect(strings(result.diagnostics)).toEqual([
      't.md:10:1-10:25: Unexpected fact without card markup, expected `==cloze==`, `**Term**: definition` or `Question? :: Answer` [error no-card]',
    ])
  })

  it('refuses unknown rules, values that are not settings, and errors turned down, at their place', async () => {
    const { result } = await compileWith('rules:\n  no-crad: off\n  no-card: loud\n  malformed-cloze: off\n  empty-cloze: error\n')
    expect(strings(result.diagnostics.filter((d) => d.file === 'deck.yaml'))).toEqual([
      "deck.yaml:7:3-7:10: Unexpected rule `no-crad` in `rules`, expected a rule id from the README's rule table [error invalid-deck]",
      'deck.yaml:8:12-8:16: Unexpected string `loud` for `no-card`, expected `off`, `warn` or `error` [error invalid-deck]',
      'deck.yaml:9:20-9:23: Unexpected `malformed-cloze: off`, expected only warnings to be turned down (`malformed-cloze` is an error: what it finds cannot be built) [error invalid-deck]',
    ])
    const { result: list } = await compileWith('rules: [no-card]\n')
    expect(strings(list.diagnostics.filter((d) => d.file === 'deck.yaml'))).toEqual([
      'deck.yaml:6:8-6:17: Unexpected list as `rules`, expected a mapping of rule ids to `off`, `warn` or `error` [error invalid-deck]',
    ])
  })

  it('applies a changed setting to messages of a cached parse too (watch mode)', async () => {
    const cache = new Map()
    const { notes } = await compileWith('rules: { no-card: error }\n')
    expect(strings((await compile({ notes, now: 1, cache })).diagnostics)).toContain(
      't.md:10:1-10:25: Unexpected fact without card markup, expected `==cloze==`, `**Term**: definition` or `Question? :: Answer` [error no-card]',
    )
    await writeFile(path.join(notes, 'deck.yaml'), deck(''))
    const again = await compile({ notes, now: 1, cache })
    expect(again.parsed).toEqual([])
    expect(again.ok).toBe(true)
    expect(again.diagnostics.every((d) => d.severity === 'warning')).toBe(true)
  })

  it('makes `check` exit 0 when the only problems are warnings turned off', async () => {
    const { notes } = await compileWith(`rules: { no-card: off, stray-content: off, ${[...CARD_RULE_IDS].map((id) => `${id}: off`).join(', ')} }\n`)
    const err: string[] = []
    expect(await main(['check', '--notes', notes], { stdout: () => {}, stderr: (t) => void err.push(t) })).toBe(0)
    expect(err.join('')).not.toMatch(/warning|✖|⚠/)
  })
})

describe('the report', () => {
  const at = (line: number, severity: 'error' | 'warning', ruleId: 'no-card' | 'raw-html' = 'no-card') =>
    diagnostic(severity, ruleId, { file: 'a.md', line, column: 1, end: { line, column: 9 } }, `Unexpected thing ${line}, expected another`)

  it('counts errors and warnings in one summary line', () => {
    expect(formatReport([at(1, 'error')]).split('\n').slice(-1)).toEqual(['✖ 1 error'])
    expect(formatReport([at(1, 'warning'), at(2, 'warning')]).split('\n').slice(-1)).toEqual(['⚠ 2 warnings'])
    expect(formatReport([at(2, 'warning'), at(1, 'error', 'raw-html')])).toBe(
      ['a.md', '1:1-1:9 error   Unexpected thing 1, expected another raw-html cheatdeck', '2:1-2:9 warning Unexpected thing 2, expected another no-card  cheatdeck', '', '✖ 2 problems (1 error, 1 warning)'].join('\n'),
    )
    expect(formatReport([])).toBe('')
  })

  it('counts per rule when there are many', () => {
    const many = [...Array.from({ length: 8 }, (_, i) => at(i + 1, 'warning')), at(20, 'error', 'raw-html'), at(21, 'error', 'raw-html')]
    expect(formatReport(many).split('\n').slice(-2)).toEqual(['✖ 10 problems (2 errors, 8 warnings)', '  by rule: 8 no-card, 2 raw-html'])
  })

  it('keeps the JSON fields it had, and adds the range, source and docs url', () => {
    const d = diagnostic('error', 'duplicate-id', { file: 'b.md', line: 8, column: 1, end: { line: 8, column: 20 } }, 'Unexpected twin, expected one', { file: 'a.md', line: 3, column: 1, message: 'first used here' })
    expect(diagnosticJson(d)).toEqual({
      file: 'b.md',
      line: 8,
      column: 1,
      endLine: 8,
      endColumn: 20,
      ruleId: 'duplicate-id',
      severity: 'error',
      message: 'Unexpected twin, expected one',
      source: 'cheatdeck',
      url: expect.stringMatching(/^file:.*\/README\.md#rule-duplicate-id$/),
      related: { file: 'a.md', line: 3, column: 1, message: 'first used here' },
    })
  })
})
