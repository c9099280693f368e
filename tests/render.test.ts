/**
 * Rendering a fact's tree: the shared mdast → HTML step (src/render/html.ts) and the idioms the
 * outputs add to it (Anki's cloze field and card sides, src/emit/anki/fields.ts).
 */
import { describe, expect, it } from 'vitest'
import { basicSides, clozeField } from '../src/emit/anki/fields.ts'
import type { Definition, Paragraph } from 'mdast'
import type { Blocks, Fact } from '../src/facts/model.ts'
import { clozeAsStrong, escapeHtml, renderBlocks, renderInline } from '../src/render/html.ts'
import { itemContent, itemInput, rowContent } from './helpers/facts.ts'

const blocks = (markdown: string): Blocks => itemInput(markdown).blocks
const inline = (markdown: string) => {
  const [first] = blocks(markdown)
  if (first?.type !== 'paragraph') throw new Error('not a paragraph')
  return first.children
}
/** A fact with just what the renderers read: its form, parts and body. */
const fact = (content: ReturnType<typeof itemContent>) => ({ ...content.card, body: content.body }) as Fact

describe('renderInline and renderBlocks', () => {
  it('renders a lone paragraph without <p>, several blocks as blocks', () => {
    expect(renderBlocks(blocks('Plain *text*.'))).toBe('Plain <em>text</em>.')
    expect(renderBlocks(blocks('One.\n\n- two\n- three'))).toBe('<p>One.</p>\n<ul>\n<li>two</li>\n<li>three</li>\n</ul>')
  })

  it('shows raw HTML as text', () => {
    expect(renderInline(inline('An <img src=x onerror=alert(1)> tag'))).toBe('An &#x3C;img src=x onerror=alert(1)> tag')
  })

  it('keeps web, mail and relative addresses, and drops the others', () => {
    const links = '[a](https://a.example) [b](mailto:b@example.com) [c](../c.md) [d](#d) [e](javascript:alert(1)) [f](//evil.example) [g](data:text/html,x)'
    expect(renderInline(inline(links))).toBe(
      '<a href="https://a.example">a</a> <a href="mailto:b@example.com">b</a> <a href="../c.md">c</a> <a href="#d">d</a> <a>e</a> <a>f</a> <a>g</a>',
    )
    expect(renderInline(inline('![alt](javascript:x) ![pic](img/pic.png)'))).toBe('<img alt="alt"> <img src="img/pic.png" alt="pic">')
  })

  it('renders a cloze as each output says: bold, with or without a class', () => {
    expect(renderInline(inline('A ==key== term'), { handlers: { cloze: clozeAsStrong() } })).toBe('A <strong>key</strong> term')
    expect(renderInline(inline('A ==key== term'), { handlers: { cloze: clozeAsStrong('cloze') } })).toBe('A <strong class="cloze">key</strong> term')
  })

  it('renders each piece on its own: definitions and footnote numbers belong to the piece that holds them', () => {
    const reference: Paragraph = { type: 'paragraph', children: [{ type: 'linkReference', identifier: 'd', label: 'd', referenceType: 'full', children: [{ type: 'text', value: 'docs' }] }] }
    const definition: Definition = { type: 'definition', identifier: 'd', label: 'd', url: 'https://example.com', title: null }
    const options = { handlers: { cloze: clozeAsStrong() } }
    expect(renderBlocks([reference, definition], options)).toBe('<p><a href="https://example.com">docs</a></p>')
    // The same reference without its definition, after it and with the same options: text again.
    expect(renderBlocks([reference], options)).toBe('[docs][d]')
    const footnoted: Paragraph = { type: 'paragraph', children: [{ type: 'text', value: 'See' }, { type: 'footnoteReference', identifier: 'n', label: 'n' }] }
    const first = renderBlocks([footnoted], options)
    expect(first).toContain('>1</a></sup>')
    expect(renderBlocks([footnoted], options)).toBe(first)
  })

  it('escapes the text the outputs build themselves', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})

describe("Anki's cloze field", () => {
  it('marks each cloze with its number and hint', () => {
    expect(clozeField(fact(itemContent('Rotate every {{c2::90 days::how long?}}, log to ==CloudTrail==.')) as Fact & { form: 'cloze' })).toBe(
      'Rotate every {{c2::90 days::how long?}}, log to {{c1::CloudTrail}}.',
    )
  })

  it("escapes `:` and `}` inside a cloze, and every `{` of the notes, so only its own marks open a cloze", () => {
    const field = clozeField(fact(itemContent('==AWS::AccountId}}== and `{{c5::not a cloze}}` with {{c1::a::hint: see {x}}')) as Fact & { form: 'cloze' })
    expect(field).toBe('{{c2::AWS&#x3A;&#x3A;AccountId&#x7D;&#x7D;}} and <code>&#x7B;&#x7B;c5::not a cloze}}</code> with {{c1::a::hint&#x3A; see &#x7B;x}}')
  })

  it("puts a table row's name first, then its labelled values", () => {
    expect(clozeField(fact(rowContent('T', ['Policy', 'Single {x}'], ['Rolling', '==No=='])) as Fact & { form: 'cloze' })).toBe(
      'Rolling<ul class="row-values"><li><span class="row-header">Single &#x7B;x}</span>: {{c1::No}}</li></ul>',
    )
  })
})

describe("Anki's Basic card sides", () => {
  it('puts the term, the question or the row name on the front', () => {
    expect(basicSides(fact(itemContent('**Stack policy**: a *JSON* document.')) as Fact & { form: 'term' })).toEqual({
      front: 'Stack policy',
      back: 'a <em>JSON</em> document.',
    })
    expect(basicSides(fact(itemContent('Which ==port==? :: `8443`')) as Fact & { form: 'qa' })).toEqual({
      front: 'Which <strong class="cloze">port</strong>?',
      back: '<code>8443</code>',
    })
    expect(basicSides(fact(rowContent('T', ['Policy', 'LB'], ['All at once', '`Yes`'])) as Fact & { form: 'term' })).toEqual({
      front: 'All at once',
      back: '<ul class="row-values"><li><span class="row-header">LB</span>: <code>Yes</code></li></ul>',
    })
  })
})
