import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../src/index.ts'
import { main } from '../src/cli.ts'
import { copyFixture, FIXTURES } from './helpers/fixture.ts'
import { withNotes } from './helpers/notes.ts'
import { CARD_RULES } from '../src/rules/quality/index.ts'

const CARD_RULE_IDS = new Set<string>(CARD_RULES.map((r) => r.id))

const positioned = (d: { file: string; line: number; column: number; ruleId: string; severity: string }) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.ruleId}`

describe('check rules', () => {
  it('reports every problem at its file:line:col with a stable rule id', async () => {
    const result = await compile({ notes: path.join(FIXTURES, 'check'), now: 1 })
    expect(result.ok).toBe(false)
    expect(result.diagnostics.map(positioned)).toEqual([
      'alpha.md:9:1 warning no-card',
      'alpha.md:9:16 error malformed-cloze',
      'alpha.md:10:1 warning no-card',
      'alpha.md:12:1 warning empty-section',
      'alpha.md:18:1 warning overloaded-card',
      // A row short of cells is read with the missing ones empty (as GFM does): a warning.
      'alpha.md:19:1 warning overloaded-card',
      'alpha.md:19:1 warning short-row',
      'beta.md:3:18 error unknown-domain',
      'beta.md:8:1 error duplicate-id',
      // delta.md has no `domains`: accepted (a topic may belong to none); its one card is weak.
      'delta.md:7:1 warning weak-cue',
      'epsilon.md:1:1 warning empty-file',
      'gamma.md:3:16 error invalid-frontmatter',
      'zeta.md:8:11 error not-utf8',
    ])
  })

  it('words messages as "Unexpected X, expected Y" and points at the other place involved', async () => {
    const result = await compile({ notes: path.join(FIXTURES, 'check'), now: 1 })
    for (const d of result.diagnostics) expect(d.message).toMatch(/^Unexpected .+, expected .+/)
    const duplicate = result.diagnostics.find((d) => d.ruleId === 'duplicate-id')
    expect(String(duplicate)).toBe('beta.md:8:1: Unexpected second fact with id `^shared-pin`, expected unique ids across all notes')
    expect(String(duplicate?.cause)).toBe('alpha.md:8:1: first used here')
    expect(duplicate).toMatchObject({ ruleId: 'duplicate-id', source: 'cheatdeck', fatal: true })
    const domain = result.diagnostics.find((d) => d.ruleId === 'unknown-domain')
    expect(domain?.message).toBe('Unexpected domain `deploy`, expected one of `build`')
  })

  it('`cheatdeck check` prints file:line:col and rule ids and exits 1; `build` writes nothing', async () => {
    const { notes, out } = await copyFixture('check')
    const err: string[] = []
    const io = { stdout: () => {}, stderr: (t: string) => void err.push(t) }
    expect(await main(['check', '--notes', notes], io)).toBe(1)
    const text = err.join('')
    // remark-cli's layout: a block per file, then place, severity, reason, rule and source.
    const rows = text.split('\n').map((line) => line.split(/ {1,}/).join(' '))
    expect(rows).toContain('beta.md')
    expect(rows).toContain('8:1 error Unexpected second fact with id `^shared-pin`, expected unique ids across all notes duplicate-id cheatdeck')
    expect(rows).toContain(' [cause]:')
    expect(rows).toContain(' alpha.md:8:1 info first used here duplicate-id cheatdeck')
    expect(rows).toContain('9:16-9:22 error Unexpected end of text in cloze `{{c1::`, expected `}}` to close it malformed-cloze cheatdeck')
    expect(text).toContain('\n✖ 13 problems (5 errors, 8 warnings)\n  by rule: 2 no-card, 2 overloaded-card, 1 duplicate-id, ')
    expect(await main(['build', '--notes', notes, '--out', out], io)).toBe(1)
    await expect(readdir(out)).rejects.toThrow(/ENOENT/)
    expect((await readdir(notes)).filter((f) => f.includes('lock'))).toEqual([])
  })
})

describe('a table row with more cells than the header', () => {
  it('counts the cells GFM sees, and names a `|` inside backticks as the cause', async () => {
    const table = '# T\n\n| Test | Meaning |\n| --- | --- |\n| `[[ X || Y ]]` | Or |\n| a | b | c |\n'
    const result = await withNotes({ 't.md': table }, (notes) => compile({ notes, now: 1 }))
    expect(result.diagnostics.filter((d) => d.ruleId === 'ragged-table').map((d) => `${d.line}:${d.column} ${d.reason}`)).toEqual([
      '5:1 Unexpected row of 4 cells, expected 2 like the header row (a `|` inside backticks ends the cell too: write it `\\|`)',
      '6:1 Unexpected row of 3 cells, expected 2 like the header row',
    ])
  })
})

describe('more rules, one file each', () => {
  const cases: [string, string, string[]][] = [
    // Structure and style are warnings or accepted: any folder of markdown is a deck.
    ['no frontmatter (accepted)', '# T\n\n- a ==b==\n', []],
    ['unterminated frontmatter', '---\nname: T\ndomains: [d]\n\n# T\n\n- a ==b==\n', ['t.md:1:1 error unterminated-frontmatter']],
    ['frontmatter that is a list', '---\n- name\n- domains\n---\n\n# T\n\n- a ==b==\n', ['t.md:2:1 error invalid-frontmatter']],
    ['no title (accepted)', '---\nname: T\ndomains: [d]\n---\n\n- a ==b==\n', []],
    ['second title: a section, empty here', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a ==b==\n\n# U\n', ['t.md:10:1 warning empty-section']],
    ['no facts', '---\nname: T\ndomains: [d]\n---\n\n# T\n', ['t.md:7:1 warning empty-file']],
    ['a paragraph is a fact (accepted)', '---\nname: T\ndomains: [d]\n---\n\n# T\n\nSome prose.\n\n- a ==b==\n', []],
    ['c0', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a {{c0::b}}\n', ['t.md:8:5 error cloze-number']],
    ['empty cloze', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a {{c1::  }} b ==c==\n', ['t.md:8:5 error empty-cloze']],
    ['`==` between spaces is text (accepted)', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a ==  == b, x == y and ==c==\n', []],
    ['nested cloze', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a {{c1::b ==c== d}}\n', ['t.md:8:13 error nested-cloze', 't.md:8:16 error nested-cloze']],
    ['cloze in link', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a [==b==](https://example.org) ==c==\n', ['t.md:8:5 error cloze-in-link']],
    ['raw html', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a <script>x</script> ==c==\n', ['t.md:8:5 warning raw-html', 't.md:8:14 warning raw-html']],
    ['safe inline html (accepted)', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a<br>b <kbd>Ctrl</kbd> x<sup>2</sup> ==c==\n', []],
    ['a link to another note from the root (accepted)', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- see [other](/other%20note.md) and [x](<other note.md>) ==c==\n', []],
    ['path escaping the notes', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a ![x](../../etc/passwd) ==c==\n', ['t.md:8:5 error path-outside-notes']],
    ['unclosed ==', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a ==b and ==c==\n', ['t.md:8:5 error malformed-cloze']],
    ['unclosed == at the end', '---\nname: T\ndomains: [d]\n---\n\n# T\n\n- a ==b== and ==c\n', ['t.md:8:15 error malformed-cloze']],
  ]
  const deck = 'title: D\nexam: D-1\ndomains:\n  - {id: d, name: D, weight: 100}\n'
  for (const [name, text, expected] of cases) {
    it(name, async () => {
      const { notes } = await copyFixture('forms')
      const { rm, writeFile } = await import('node:fs/promises')
      await rm(path.join(notes, 'widgets.md'))
      await writeFile(path.join(notes, 'deck.yaml'), deck)
      await writeFile(path.join(notes, 't.md'), text)
      const result = await compile({ notes, now: 1 })
      // Tiny facts (`a ==b==`) make weak cards; card quality has its own tests (card-quality.test.ts).
      expect(result.diagnostics.filter((d) => d.ruleId !== 'no-card' && !CARD_RULE_IDS.has(d.ruleId)).map(positioned)).toEqual(expected)
    })
  }
})
