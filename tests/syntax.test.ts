/**
 * Golden syntax fixtures: `tests/fixtures/syntax/<case>/input.md` → `expected.json`, the facts
 * as `facts.json` shows them and the problems reported. Regenerate with `UPDATE=1 npx vitest run
 * tests/syntax.test.ts` and review the diff.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../src/compile.ts'
import type { Diagnostic } from '../src/diagnostics.ts'
import { datasetFact } from '../src/emit/dataset/index.ts'
import { FIXTURES } from './helpers/fixture.ts'
import { withNotes } from './helpers/notes.ts'

const SYNTAX = path.join(FIXTURES, 'syntax')
const DECK = 'title: Syntax\nexam: SYN-01\ndomains:\n  - { id: d, name: Domain, weight: 100 }\nkeyTopics: []\n'
/** A problem on one line, as the fixtures show it: `file:line:col: severity reason [rule-id]`. */
const line = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.reason} [${d.ruleId}]`

const cases = (await readdir(SYNTAX, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()

/** What a case's notes come to: the problems, then each fact's syntax-bound fields. */
async function run(input: string) {
  return withNotes({ 'deck.yaml': DECK, 'input.md': input }, async (notes) => {
    const result = await compile({ notes, now: 1_700_000_000 })
    return {
      diagnostics: result.diagnostics.map(line),
      facts: result.notes.facts.map((fact) => {
        // Identity and bookkeeping have their own tests; these are about what the markup makes.
        const { guid, topic, domains, tags, contentHash, modified, added, order, ...shown } = datasetFact(fact)
        return shown
      }),
    }
  })
}

describe('syntax fixtures', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10)
  })

  it.each(cases)('%s', async (name) => {
    const dir = path.join(SYNTAX, name)
    const actual = await run(await readFile(path.join(dir, 'input.md'), 'utf8'))
    const file = path.join(dir, 'expected.json')
    if (process.env['UPDATE']) await writeFile(file, `${JSON.stringify(actual, null, 2)}\n`)
    expect(actual).toEqual(JSON.parse(await readFile(file, 'utf8')))
  })

  it('hides Obsidian comments whatever they hold (markup, links, bare addresses), from all but the source markdown', async () => {
    const { facts } = await run(await readFile(path.join(SYNTAX, 'obsidian-comments', 'input.md'), 'utf8'))
    expect(facts.length).toBe(10)
    for (const { markdown, ...shown } of facts) {
      const text = JSON.stringify(shown)
      expect(text, markdown).not.toContain('secret')
      // Marks left only where they are literal: in code, and a last one without a partner.
      if (!markdown.includes('`') && !markdown.includes('50%% off')) expect(text, markdown).not.toContain('%%')
    }
  })
})
