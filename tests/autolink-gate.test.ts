/**
 * The autolink-literal gate (src/notes/autolink-gate.ts) must never change a tree: a file parsed
 * without GFM's autolink literals, when the gate says none could be made, is the tree the full
 * parse makes — positions, messages and all. Checked over the shipped notes, every fixture, cases
 * made to fool a pre-scan (escapes, character references, literals in code, math, links and
 * images) and generated markdown mixing them.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import { mayHoldAutolinkLiteral } from '../src/notes/autolink-gate.ts'
import { findTooDeep } from '../src/notes/nesting.ts'
import { syntaxTree } from '../src/notes/processor.ts'

const ROOT = path.resolve(import.meta.dirname, '..')

/** The tree as the parser makes it, before the notes' own syntaxes run on it. */
function parsed(value: string, literals: 'gated' | 'always' | 'never'): Root {
  return syntaxTree(new VFile({ path: 'topic.md', value }), literals)
}

/** The claim: when the gate parses a file without literals, nothing was lost. */
function expectSameTree(value: string): void {
  const full = parsed(value, 'always')
  expect(parsed(value, 'gated')).toEqual(full)
  const lean = parsed(value, 'never')
  if (!mayHoldAutolinkLiteral(lean)) expect(lean).toEqual(full)
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile() && e.name.endsWith('.md')).map((e) => path.join(e.parentPath, e.name))
}

describe('autolink-literal gate', () => {
  it('makes the same trees over the shipped notes and every fixture', async () => {
    const files = [...(await markdownFiles(path.join(ROOT, 'notes'))), ...(await markdownFiles(path.join(ROOT, 'tests', 'fixtures')))]
    expect(files.length).toBeGreaterThan(100)
    let skipped = 0
    for (const file of files) {
      const value = await readFile(file, 'utf8')
      // Nested too deep to parse (the bad-input fixtures): refused before the parser runs.
      if (findTooDeep(value)) continue
      expectSameTree(value)
      if (!mayHoldAutolinkLiteral(parsed(value, 'never'))) skipped++
    }
    // Most notes have no bare address: the gate does save the work.
    expect(skipped).toBeGreaterThan(files.length / 2)
  })

  const tricky = [
    'See www.example.com for more.',
    'Read https://example.com/a_(b), then HTTP://EXAMPLE.COM.',
    'Mail me@example.com or mailto:me@example.com or xmpp:me@example.com/home.',
    'Escaped: www\\.example\\.com and me\\@example.com and https:\\/\\/example.com',
    'References: me&#64;example.com, me&commat;example.com, www&#46;example.com, https&#58;//example.com',
    'Not literals: [docs](https://example.com), <https://example.com>, `www.example.com`, $a@b.co$',
    '![see www.example.com](img.png) and [www.example.com][ref]\n\n[ref]: https://example.com',
    '- {{c1::https://example.com::site}} and ==www.example.com== and **me@example.com**',
    '| a | b |\n| --- | --- |\n| www.example.com | x@y.z |',
    '<a href="https://example.com">x</a> and \\(https://x.y\\) %%www.hidden.com%%',
    '[unclosed](https://example.com and [^x@y.co] and [text]: www.example.com',
    '```\nhttps://example.com\n```\n\n    www.example.com indented code',
  ]
  it.each(tricky)('makes the same tree for %j', (value) => {
    expectSameTree(value)
  })

  it('parses without literals only when no text could hold one', () => {
    expect(mayHoldAutolinkLiteral(parsed('A [link](https://example.com) and `a@b.co`.', 'never'))).toBe(false)
    expect(mayHoldAutolinkLiteral(parsed('Mail me&#64;example.com', 'never'))).toBe(true)
    expect(mayHoldAutolinkLiteral(parsed('Go to www\\.example.com', 'never'))).toBe(true)
    // The literal is made only by the full parse, and the gated parse makes it too.
    const link = (value: string, literals: 'gated' | 'never') => JSON.stringify(parsed(value, literals)).includes('"type":"link"')
    expect(link('Mail me&#64;example.com', 'never')).toBe(false)
    expect(link('Mail me&#64;example.com', 'gated')).toBe(true)
  })

  it('makes the same trees for generated markdown', () => {
    const piece = fc.constantFrom(
      'www.', 'WWW.', 'http://', 'https://', 'mailto:', 'xmpp:', '@', 'a', 'x.com', 'b_c', '.', ':', '/', '\\', '\\@', '&#64;', '&commat;', '&#x2F;',
      '[', ']', '(', ')', '<', '>', '`', '*', '_', '~', '$', '==', '{{c1::', '}}', '%%', '![', '^p1', ' ', '\n', '\n- ', '\n\n', '| a |', '\n| --- |\n',
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        expectSameTree(pieces.join(''))
      }),
      { numRuns: 400 },
    )
  })
})
