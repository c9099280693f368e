import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  loadSheetTemplates,
  renderSheet,
  sheetView,
  type SheetOptions,
  type SheetTemplates,
} from '../src/emit/sheet/index.ts'
import type { ElementContent, Root as HastRoot } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { markLongTokens } from '../src/emit/sheet/tokens.ts'
import { makeNotes, syntheticNotes, tableRow } from './fixtures/sheet/notes.ts'

const TEMPLATES = fileURLToPath(new URL('../templates/sheet/', import.meta.url))
let templates: SheetTemplates
const options = (extra: Partial<SheetOptions> = {}): SheetOptions => ({
  templates,
  paper: 'a4',
  buildDate: '2025-03-04',
  ...extra,
})

beforeAll(async () => {
  templates = await loadSheetTemplates(TEMPLATES)
})

const small = () =>
  makeNotes([
    {
      name: 'AWS CodeDeploy',
      domains: ['sdlc', 'resilience'],
      facts: [
        { content: 'Deployments to EC2 need the ==CodeDeploy agent==.' },
        { content: '**AppSpec file**: names the `hooks`.', section: ['Lifecycle hooks'] },
        tableRow('Deployment configurations', ['Config', 'Traffic'], ['AllAtOnce', 'all at once'], ['Deployment configurations']),
        tableRow('Deployment configurations', ['Config', 'Traffic'], ['Canary10Percent5Minutes', '10 % then the rest'], ['Deployment configurations']),
      ],
    },
    { name: 'AWS KMS', domains: ['security'], facts: [{ content: 'Keys never leave the HSMs unencrypted.' }] },
  ])

describe('renderSheet', () => {
  it('prints every topic, every fact and every table row', () => {
    const notes = syntheticNotes()
    const html = renderSheet(notes, options())
    for (const topic of notes.topics) expect(html).toContain(`data-topic="${topic.name}"`)
    const printedFacts = new Map([...html.matchAll(/data-fact="([^"]+)">(.*?)<\/(?:span|tr)>/g)].map((m) => [m[1], m[2]]))
    for (const fact of notes.facts) {
      const printed = printedFacts.get(fact.id)
      if (fact.body.type === 'row') {
        const { row } = fact.body
        expect(printed).toBe(`<th scope="row">${row.label}</th>${row.cells.map((c) => `<td>${c.value}</td>`).join('')}`)
      } else {
        // The synthetic facts are one paragraph each, with nothing to escape: tags aside, the text.
        expect(printed?.replace(/<[^>]+>/g, '')).toBe(fact.text)
      }
    }
    expect(html.match(/class="topic"/g)).toHaveLength(notes.topics.length)
  })

  it('renders the facts: cloze answers and defined terms in bold, code as code', () => {
    const html = renderSheet(small(), options())
    expect(html).toContain('need the <strong>CodeDeploy agent</strong>.')
    expect(html).toContain('<strong>AppSpec file</strong>: names the <code>hooks</code>.')
  })

  it('runs the facts of a section on, each fact its own element, after a run-in heading', () => {
    const html = renderSheet(small(), options())
    expect(html).toMatch(
      /<h3 class="section-heading run-in">Lifecycle hooks<\/h3>\s*<span class="fact" data-fact="aws-codedeploy\/fact-2"><strong>AppSpec file<\/strong>: names the <code>hooks<\/code>.<\/span>/,
    )
    expect(html.match(/<span class="fact"/g)).toHaveLength(3)
    expect(html.match(/<tr class="fact"/g)).toHaveLength(2)
    expect(html).not.toMatch(/<li class="fact/)
  })

  it('makes consecutive rows of one table into one table, captioned only when the heading does not say it', () => {
    const view = sheetView(small(), options())
    const sections = view.topics[0]!.sections
    expect(sections.map((s) => s.heading)).toEqual([null, 'Lifecycle hooks', 'Deployment configurations'])
    const tables = sections[2]!.blocks
    expect(tables).toHaveLength(1)
    expect(tables[0]!.table).toEqual({
      caption: null,
      headers: ['Config', 'Traffic'],
      rows: [
        { id: 'aws-codedeploy/fact-3', labelHtml: 'AllAtOnce', cells: [{ html: 'all at once' }] },
        { id: 'aws-codedeploy/fact-4', labelHtml: 'Canary10Percent5Minutes', cells: [{ html: '10 % then the rest' }] },
      ],
      continued: false,
    })
    expect(sections[1]!.runIn).toBe(true)
    expect(sections[2]!.runIn).toBe(false)
    expect(renderSheet(small(), options()).match(/<table/g)).toHaveLength(1)
  })

  it('escapes every text it prints itself', () => {
    const notes = makeNotes([
      {
        name: '<img src=x onerror=alert(1)>',
        facts: [
          { ...tableRow('t', ['<b>h</b>', 'v'], ['<script>x()</script>', 'ok'], ['<i>sec</i>']) },
        ],
      },
    ])
    notes.deck = { ...notes.deck, title: 'A & B <script>', exam: '"X"', keyTopics: ['<u>k</u>'] }
    const html = renderSheet(notes, options()).replaceAll('<wbr>', '')
    expect(html).not.toMatch(/<img|<script>x|<b>h|<i>sec|<u>k/)
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;')
    // a row label is text in the rendered tree: hast-util-to-html escapes its `<`
    expect(html).toContain('<th scope="row">&#x3C;script>x()&#x3C;/script></th>')
    expect(html).toContain('<h1>A &amp; B &lt;script&gt;</h1>')
    // the one script is the fit script
    expect(html.match(/<script/g)).toHaveLength(1)
  })

  it('sets the page size and margins for A4 and Letter, landscape', () => {
    const a4 = renderSheet(small(), options())
    expect(a4).toContain('@page { size: A4 landscape; margin: 7mm; }')
    expect(a4).toContain('--page-width: 283mm; --page-height: 195.4mm;')
    const letter = renderSheet(small(), options({ paper: 'letter' }))
    // a quarter inch on Letter, the usual US margin
    expect(letter).toContain('@page { size: letter landscape; margin: 6.35mm; }')
    expect(letter).toContain('--page-width: 266.7mm; --page-height: 202.6mm; --page-margin: 6.35mm;')
    expect(letter).toContain('US Letter landscape')
  })

  it('has a header with title, exam, domain weights and key topics, and a footer with date and fact count', () => {
    const notes = syntheticNotes()
    const html = renderSheet(notes, options())
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'))
    expect(header).toContain('<h1>AWS DevOps Pro DOP-C02</h1>')
    expect(header).toContain('<span class="exam-code">DOP-C02</span>')
    for (const d of notes.deck.domains) {
      expect(header).toContain(`<span class="domain-number">D${d.number}</span> <span>${d.name}</span>`)
      expect(header).toContain(`<span class="domain-weight">${d.weight}%</span>`)
    }
    // bars relative to the heaviest domain (22 %)
    expect(header).toContain('class="bar-fill" x="0" y="0" width="100"')
    expect(header).toContain(`width="${Math.round((17 / 22) * 1000) / 10}"`)
    for (const [i, k] of notes.deck.keyTopics.entries()) {
      expect(header).toContain(`<span class="key-topic-number">${i + 1}</span> ${k.replace(/&/g, '&amp;')}</li>`)
    }
    const footer = html.slice(html.indexOf('<footer'), html.indexOf('</footer>'))
    expect(footer).toContain('Built 2025-03-04')
    expect(footer).toContain(`${notes.facts.length} facts`)
    expect(footer).toContain(`${notes.topics.length} topics`)
  })

  it('is deterministic and needs nothing from outside', () => {
    const a = renderSheet(syntheticNotes(), options())
    const b = renderSheet(syntheticNotes(), options())
    expect(a).toBe(b)
    expect(a).not.toMatch(/\b(?:src|href|action|srcset)\s*=|url\(|@import|https?:\/\//i)
  })

  it('allows only its own script: the CSP carries the hash of the inline script', () => {
    const html = renderSheet(small(), options())
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!
    expect(script).toBe(templates.script)
    const hash = createHash('sha256').update(script).digest('base64')
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=')
    expect(csp).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`,
    )
  })

  it('bakes a measured fit in, never below 6 pt', () => {
    expect(renderSheet(small(), options({ fit: { fontSizePt: 7.35, columns: 6 } }))).toContain(
      'style="--font-size: 7.35pt; --columns: 6"',
    )
    expect(renderSheet(small(), options({ fit: { fontSizePt: 4, columns: 5 } }))).toContain('--font-size: 6pt;')
    expect(renderSheet(small(), options())).toContain('data-min-pt="6" data-max-pt="12" data-columns="4 5 6 7"')
  })

  it('lays the topics out on the pages a fit found: header on the first, a numbered footer on each', () => {
    const notes = syntheticNotes({ topics: 5, factsPerTopic: 2 })
    const fit = { fontSizePt: 8, columns: 4, breaks: [2, 4], fillPx: 600, pages: 3, requestedPages: 2, fits: false, fitsAtPt: 5.5, oversize: [] }
    const view = sheetView(notes, options({ fit, pages: 2 }))
    expect(view.pages.map((p) => [p.number, p.total, p.first, p.topics.map((t) => t.name)])).toEqual([
      [1, 3, true, [notes.topics[0]!.name, notes.topics[1]!.name]],
      [2, 3, false, [notes.topics[2]!.name, notes.topics[3]!.name]],
      [3, 3, false, [notes.topics[4]!.name]],
    ])
    const html = renderSheet(notes, options({ fit, pages: 2 }))
    expect(html.match(/<header class="sheet-header">/g)).toHaveLength(1)
    expect(html.match(/<span class="page-number">\d \/ 3<\/span>/g)).toEqual([1, 2, 3].map((n) => `<span class="page-number">${n} / 3</span>`))
    expect(html).toContain('style="--font-size: 8pt; --columns: 4; --fill: 600px"')
    expect(html).toContain('data-pages="2"')
    // the whole result is baked in for the page to keep
    expect(html).toContain(`data-fit="${JSON.stringify(fit).replace(/"/g, '&quot;')}"`)
    // before a browser measured: one page, no data-fit, the page fits itself
    const unfitted = renderSheet(notes, options())
    expect(unfitted.match(/<section class="page/g)).toHaveLength(1)
    expect(unfitted).not.toMatch(/^<html[^>]* data-fit=/m)
  })

  it('cuts topics where the fit cut them: "(continued)" boxes repeat the section heading and the table header', () => {
    const notes = makeNotes([
      {
        name: 'Queues',
        facts: [
          { content: 'First a1.', section: ['Basics'] },
          { content: 'Then a2.', section: ['Basics'] },
          { content: 'Last a3.', section: ['Basics'] },
          ...['k1', 'k2', 'k3'].map((k) => tableRow('Limits', ['Key', 'Value'], [k, `v${k}`], ['Limits'])),
        ],
      },
      { name: 'Other', facts: [{ content: 'Only o1.' }] },
    ])
    const fit = {
      ...{ fontSizePt: 8, columns: 4, breaks: [2], fillPx: null, pages: 2, requestedPages: 1, fits: false, fitsAtPt: 5, oversize: [] },
      splits: [[0, 2], [0, 4], [1, 0]] as [number, number][],
    }
    const view = sheetView(notes, options({ fit }))
    const boxes = view.pages.map((p) =>
      p.topics.map((t) => ({
        name: t.name,
        continued: t.continued,
        columnStart: t.columnStart,
        sections: t.sections.map((s) => ({
          heading: s.heading,
          continued: s.continued,
          blocks: s.blocks.map((b) => (b.list ? b.list.map((f) => f.id.split('/')[1]) : { continued: b.table.continued, rows: b.table.rows.map((r) => r.id.split('/')[1]) })),
        })),
      })),
    )
    expect(boxes).toEqual([
      [
        { name: 'Queues', continued: false, columnStart: false, sections: [{ heading: 'Basics', continued: false, blocks: [['fact-1', 'fact-2']] }] },
        {
          name: 'Queues',
          continued: true,
          columnStart: false,
          sections: [
            { heading: 'Basics', continued: true, blocks: [['fact-3']] },
            { heading: 'Limits', continued: false, blocks: [{ continued: false, rows: ['fact-4'] }] },
          ],
        },
      ],
      [
        { name: 'Queues', continued: true, columnStart: false, sections: [{ heading: 'Limits', continued: true, blocks: [{ continued: true, rows: ['fact-5', 'fact-6'] }] }] },
        { name: 'Other', continued: false, columnStart: true, sections: [{ heading: null, continued: false, blocks: [['fact-1']] }] },
      ],
    ])
    const html = renderSheet(notes, options({ fit }))
    expect(html.match(/<section class="topic topic-continued" data-topic="Queues" data-accent="1">\n {2}<h2 class="topic-name">Queues \(continued\) <span class="topic-domains">D1<\/span><\/h2>/g)).toHaveLength(2)
    expect(html.match(/<div class="section section-continued">/g)).toHaveLength(2)
    expect(html.match(/<table class="facts-table table-continued">\n {2}\n {2}<thead><tr><th scope="col">Key<\/th>/g)).toHaveLength(1)
    expect(html).toContain('<section class="topic column-start" id="topic-other"')
    expect(html.match(/id="topic-queues"/g)).toHaveLength(1)
    // every fact printed once
    for (const fact of notes.facts) expect(html.split(`data-fact="${fact.id}"`)).toHaveLength(2)
  })

  it('takes the type floor as a setting, within 4–12 pt, and a whole page count', () => {
    expect(renderSheet(small(), options({ minFontPt: 7, fit: { fontSizePt: 6.5, columns: 5 } }))).toContain('data-min-pt="7"')
    expect(renderSheet(small(), options({ minFontPt: 7, fit: { fontSizePt: 6.5, columns: 5 } }))).toContain('--font-size: 7pt;')
    expect(() => renderSheet(small(), options({ minFontPt: 3 }))).toThrow('Unexpected type floor 3 pt, expected 4–12 pt')
    expect(() => renderSheet(small(), options({ pages: 1.5 }))).toThrow('Unexpected page count 1.5, expected a whole number from 1')
  })

  it('keeps a code block as written: no indentation added by the templates', () => {
    const notes = makeNotes([{ name: 'Code', facts: [{ content: '**F**: returns one:\n\n```\ndef f():\n    return 1\n```' }] }])
    expect(renderSheet(notes, options())).toContain('<pre><code>def f():\n    return 1\n</code></pre>')
  })

  it('colours a topic by its first domain, cycling through eight colours', () => {
    const view = sheetView(small(), options())
    expect(view.topics.map((t) => t.accent)).toEqual([1, 6])
    expect(view.domains.map((d) => d.accent)).toEqual([1, 2, 3, 4, 5, 6])
  })
  it('rejects a build date that is not YYYY-MM-DD', () => {
    expect(() => renderSheet(small(), options({ buildDate: '4 March 2025' }))).toThrow(/expected YYYY-MM-DD/)
  })
})


describe('markLongTokens', () => {
  /** Text and elements → the marked tree as HTML. */
  const marked = (...children: ElementContent[]) => {
    const root: HastRoot = { type: 'root', children }
    markLongTokens(root)
    return toHtml(root)
  }
  const text = (value: string): ElementContent => ({ type: 'text', value })
  const element = (tagName: string, children: ElementContent[], properties = {}): ElementContent => ({ type: 'element', tagName, properties, children })

  it('lets tokens of 30+ characters break anywhere, and shorter punctuated ones after their punctuation', () => {
    const arn = 'arn:aws:iam::123456789012:role/service-role/pipeline'
    expect(marked(text('role '), element('code', [text(arn)]), text(' here'))).toBe(`role <code><span class="long-token">${arn}</span></code> here`)
    expect(marked(text('see '), element('code', [text('registry.index_name')]))).toBe('see <code>registry.<wbr>index_<wbr>name</code>')
    expect(marked(text('a short.name, e.g. this: fine'))).toBe('a short.name, e.g. this: fine')
  })

  it('never touches attributes, and counts characters as the text shows them', () => {
    const link = element('a', [text('x')], { href: 'https://example.com/very/long/path/that/goes/on/and/on' })
    expect(marked(link)).toBe('<a href="https://example.com/very/long/path/that/goes/on/and/on">x</a>')
    const amps = '&'.repeat(29)
    expect(marked(text(amps))).toBe('&#x26;'.repeat(29))
    expect(marked(text(`${amps}&`))).toBe(`<span class="long-token">${'&#x26;'.repeat(30)}</span>`)
  })

  it('keeps the spaces and line breaks of code between the tokens', () => {
    const code = 'def f():\n    return registry.index_name\n'
    expect(marked(element('pre', [element('code', [text(code)])]))).toBe('<pre><code>def f():\n    return registry.<wbr>index_<wbr>name\n</code></pre>')
  })
})
