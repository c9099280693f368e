/** remark-cloze on its own: the `cloze` nodes it makes and the messages it reports. */
import type { Cloze, Nodes, Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import remarkCloze, { numberClozes } from '../src/notes/remark-cloze.ts'

function run(markdown: string): { clozes: { index: number; explicit: boolean; hint?: string; text: string }[]; messages: string[]; tree: Root } {
  const file = new VFile({ path: 'virtual.md', value: markdown })
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkCloze)
  const tree = processor.runSync(processor.parse(file), file) as Root
  const clozes: Cloze[] = []
  const visit = (node: Nodes): void => {
    if (node.type === 'cloze') clozes.push(node)
    if ('children' in node) for (const child of node.children) visit(child)
  }
  visit(tree)
  return {
    clozes: clozes.map((c) => ({ index: c.index, explicit: c.explicit, ...(c.hint ? { hint: c.hint } : {}), text: toString(c) })),
    messages: file.messages.map((m) => `${String(m)} [${m.ruleId}]${m.fatal ? ' fatal' : ''}`),
    tree,
  }
}

describe('remark-cloze', () => {
  it('turns `==…==` and `{{cN::…::hint}}` into cloze nodes', () => {
    expect(run('A ==key term== and {{c2::another::a hint}}.')).toMatchObject({
      clozes: [
        { index: 0, explicit: false, text: 'key term' },
        { index: 2, explicit: true, hint: 'a hint', text: 'another' },
      ],
      messages: [],
    })
  })

  it('keeps the inline markup inside a cloze, and finds clozes inside emphasis', () => {
    const { clozes, tree } = run('==**bold** `code`== and *==in emphasis==*')
    expect(clozes.map((c) => c.text)).toEqual(['bold code', 'in emphasis'])
    const paragraph = tree.children[0]
    expect(paragraph?.type === 'paragraph' && paragraph.children[0]?.type === 'cloze' && paragraph.children[0].children.map((c) => c.type)).toEqual(['strong', 'text', 'inlineCode'])
  })

  it('reads no marks in code, headings or across inline elements', () => {
    expect(run('`==not==` and `{{c1::not}}`').clozes).toEqual([])
    expect(run('# ==heading==').clozes).toEqual([])
  })

  it('finds marks in table cells', () => {
    expect(run('| a | b |\n| - | - |\n| ==x== | {{c3::y}} |').clozes.map((c) => c.index)).toEqual([0, 3])
  })

  it('reports an empty cloze', () => {
    expect(run('Nothing {{c1::  }} here').messages).toEqual([
      'virtual.md:1:9-1:19: Unexpected empty cloze `{{c1::}}`, expected the text to hide between the marks [empty-cloze] fatal',
    ])
  })

  it('reads `==` as Obsidian draws highlights: it opens before text and closes after it', () => {
    // Operators and runs of `=` are text, never a mark, a cloze or an error.
    for (const text of ['a == b', 'if (x == 1) return', 'Use === not ==', 'Nothing ==== here', 'a ==  == b', '<= => ==']) {
      const { messages, clozes, tree } = run(text)
      expect([messages, clozes, toString(tree)]).toEqual([[], [], text])
    }
    // Beside marks that are clozes.
    const { messages, clozes } = run('x == y, ==a== and a===b, ==c d== and ==**e**==')
    expect(messages).toEqual([])
    expect(clozes.map((c) => c.text)).toEqual(['a', 'c d', 'e'])
  })

  it('reports a mark opened while another is open, at the one never closed', () => {
    expect(run('a ==b and ==c==').messages).toEqual([
      'virtual.md:1:3-1:5: Unexpected `==` at 1:11 opening another in cloze `==`, expected `==` to close it [malformed-cloze] fatal',
    ])
  })

  it('reports a cloze never closed, and gives its text back as written', () => {
    const { messages, clozes, tree } = run('Open {{c1::and never closed')
    expect(messages).toEqual(['virtual.md:1:6-1:12: Unexpected end of text in cloze `{{c1::`, expected `}}` to close it [malformed-cloze] fatal'])
    expect(clozes).toEqual([])
    expect(toString(tree)).toBe('Open {{c1::and never closed')
  })

  it('reports cloze number 0', () => {
    expect(run('{{c0::zero}}').messages).toEqual([
      'virtual.md:1:1-1:7: Unexpected cloze number 0, expected a number from 1 (`{{c1::…}}`) [cloze-number] fatal',
    ])
  })

  it('reports nested clozes', () => {
    expect(run('==a {{c1::b}}==').messages).toEqual([
      'virtual.md:1:5-1:11: Unexpected `{{c1::` inside another cloze, expected clozes side by side, not nested [nested-cloze] fatal',
    ])
    expect(run('{{c1::a ==b== c}}').messages).toEqual([
      'virtual.md:1:9-1:11: Unexpected `==` inside a `{{c…::}}` cloze, expected clozes side by side, not nested [nested-cloze] fatal',
      'virtual.md:1:12-1:14: Unexpected `==` inside a `{{c…::}}` cloze, expected clozes side by side, not nested [nested-cloze] fatal',
    ])
  })

  it('reports a mark inside a link', () => {
    expect(run('[==x==](https://example.com)').messages).toEqual([
      'virtual.md:1:1-1:29: Unexpected cloze mark inside a link, expected the cloze around the whole link (`==[text](url)==`) [cloze-in-link] fatal',
    ])
  })

  it('positions messages on later lines', () => {
    expect(run('first line\n\nsecond ==open').messages).toEqual([
      'virtual.md:3:8-3:10: Unexpected end of text in cloze `==`, expected `==` to close it [malformed-cloze] fatal',
    ])
  })
})

describe('numberClozes', () => {
  it('numbers `==…==` marks with the numbers explicit clozes leave free, in order', () => {
    const clozes = (indexes: number[]): Cloze[] => indexes.map((index) => ({ type: 'cloze', index, explicit: index > 0, children: [] }))
    const fact = clozes([0, 2, 0, 0, 1])
    numberClozes(fact)
    expect(fact.map((c) => c.index)).toEqual([3, 2, 4, 5, 1])
  })
})
