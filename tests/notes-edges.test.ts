/**
 * Edges of the notes syntax that used to fail silently or loudly: HTML comments (ignored, never
 * raw HTML), pins with letters outside ASCII (a positioned warning, never silent text) and
 * clozes of invisible characters (an error, like an empty cloze).
 */
import { describe, expect, it } from 'vitest'
import { parseTopic } from '../src/notes/parse.ts'
import { renderBlocks } from '../src/render/html.ts'

const HEAD = '---\nname: Edges\ndomains: [build]\n---\n\n# Edges\n\n'
const at = (value: string) => parseTopic('edges.md', HEAD + value)
const listed = (value: string) => at(value).diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}`)

describe('HTML comments', () => {
  it('are dropped from facts, blocks and tables, and a list item of comments only is no fact', () => {
    const { facts, diagnostics } = at(
      '<!-- a block comment -->\n\n- Keep ==this== <!-- a note to self --> in mind.\n- <!-- ==an idea for later== -->\n- <!-- one --> <!-- two -->\n\n| A | B |\n| - | - |\n| row | <!-- empty --> |\n\n<!--\nseveral\nlines\n-->\n',
    )
    expect(diagnostics).toEqual([])
    expect(facts.map((f) => f.card.form)).toEqual(['cloze', 'term'])
    expect(facts[0]?.text).toBe('Keep this  in mind.')
    const first = facts[0]
    expect(first?.body.type === 'item' && renderBlocks(first.body.blocks)).not.toContain('note to self')
    expect(first?.card.form === 'cloze' && first.card.cloze.deletions).toEqual([{ index: 1, answer: 'this' }])
    expect(facts[1]?.text).toBe('row: B: ')
  })

  it('leave other HTML beside a comment to the raw-HTML check', () => {
    expect(listed('- A fact ==here== <!-- c --><b>bold</b>\n')).toEqual(['8:29 warning raw-html', '8:36 warning raw-html'])
    expect(listed('<!-- c --> <div>\n\n- A fact ==here==\n')).toEqual(['8:1 warning raw-html'])
  })
})

describe('pins', () => {
  it('warn where a pin has letters outside ASCII, and the fact keeps it as text', () => {
    const value = '- A ==fact== ^café\n- B ==fact== ^日本\n- C ==fact== ^plain-pin\n\n| A | B |\n| - | - |\n| row ^ünï | ==x== |\n'
    expect(listed(value)).toEqual(['8:14 warning invalid-pin', '9:14 warning invalid-pin', '14:7 warning invalid-pin'])
    const { facts, diagnostics } = at(value)
    expect(diagnostics[0]?.message).toBe('Unexpected pin `^café` with letters outside A–Z, expected ASCII letters, digits, `-` and `_` as in Obsidian (it stays text)')
    expect(facts.map((f) => f.pin)).toEqual([undefined, undefined, 'plain-pin', undefined])
    expect(facts[0]?.text).toBe('A fact ^café')
  })

  it('leave a caret that is not a pin alone', () => {
    expect(listed('- x ==squared== is x^2\n- A ==fact== ^ alone\n')).toEqual([])
  })
})

describe('clozes of invisible characters', () => {
  it('are errors that name the characters by code point', () => {
    const { diagnostics } = at('- A ==\u200b\u200b== card.\n- A {{c1::\u2060\u00ad\u2800}} card.\n- A ==\u200bvisible== card.\n')
    const errors = diagnostics.filter((d) => d.severity === 'error')
    expect(errors.map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual(['8:5 empty-cloze', '9:5 empty-cloze'])
    expect(errors[0]?.message).toBe('Unexpected cloze of only invisible characters (U+200B), expected visible text to hide between the marks')
    expect(errors[1]?.message).toContain('(U+2060, U+00AD, U+2800)')
  })
})
