/**
 * Rich content in the outputs (issue 12), end to end: notes folders built by `build`, the
 * package read back with real SQLite (sql.js), the sheet's HTML and the dataset.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.ts'
import { BASIC_MODEL_ID, CLOZE_MODEL_ID } from '../src/emit/anki/index.ts'
import { json, openApkg, rows } from './anki-read.ts'
import { withNotes } from './helpers/notes.ts'

const DECK = 'title: Rich\nexam: RICH-01\ndomains:\n  - { id: d, name: Domain, weight: 100 }\nkeyTopics: []\n'
const NOW = 1_790_000_000
const topic = (body: string) => `---\nname: Widgets\ndomains: [d]\n---\n\n# Widgets\n\n## Facts\n\n${body}\n`

/** Builds a notes folder and reads back what it wrote. */
async function built(files: Record<string, string | Uint8Array>, extra: { only?: string[] } = {}) {
  const text = Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string'))
  return withNotes({ 'deck.yaml': DECK, ...text }, async (notes) => {
    const { writeFile, mkdir } = await import('node:fs/promises')
    for (const [name, data] of Object.entries(files)) {
      if (typeof data === 'string') continue
      await mkdir(path.dirname(path.join(notes, name)), { recursive: true })
      await writeFile(path.join(notes, name), data)
    }
    const out = path.join(notes, 'dist')
    const result = await build({ notes, out, now: NOW, fit: false, ...(extra.only ? { only: extra.only } : {}) })
    const read = async (name: string) => new Uint8Array(await readFile(path.join(out, name)))
    const apkg = result.ok && (!extra.only || extra.only.includes('anki')) ? await openApkg(await read('rich.apkg')) : undefined
    const sheet = result.ok && (!extra.only || extra.only.includes('sheet')) ? new TextDecoder().decode(await read('rich.sheet.html')) : undefined
    const dataset = result.ok && (!extra.only || extra.only.includes('dataset')) ? JSON.parse(new TextDecoder().decode(await read('facts.json'))) : undefined
    return { result, apkg, sheet, dataset, messages: result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}`) }
  })
}

const fieldsOf = (apkg: NonNullable<Awaited<ReturnType<typeof built>>['apkg']>, mid: number) =>
  rows(apkg.db, `SELECT flds FROM notes WHERE mid = ${mid} ORDER BY id`).map((r) => String(r.flds).split('\x1f'))

describe('math', () => {
  const notes = topic(
    [
      '- The load grows as $O(n^{2})$ with ==the request count==.',
      "- Which ratio does Anki's own syntax keep? :: \\(\\frac{a}{b}\\), and \\[x_1\\] as display.",
      '- Broken TeX that is shown as written? :: $\\frac{a$',
    ].join('\n'),
  )

  it('goes to Anki between \\(…\\) / \\[…\\], to the sheet as MathML, to the dataset as TeX', async () => {
    const { apkg, sheet, dataset, messages } = await built({ 'w.md': notes })
    expect(messages).toEqual(['12:43 warning invalid-tex'])
    const [cloze] = fieldsOf(apkg!, CLOZE_MODEL_ID)
    expect(cloze?.[0]).toBe('The load grows as \\(O(n^&#x7B;2})\\) with {{c1::the request count}}.')
    const back = new Map(fieldsOf(apkg!, BASIC_MODEL_ID).map((f) => [f[0], f[1]]))
    expect(back.get("Which ratio does Anki's own syntax keep?")).toBe('\\(\\frac{a}{b}\\), and \\[x_1\\] as display.')
    expect(back.get('Broken TeX that is shown as written?')).toBe('\\(\\frac{a\\)')
    expect(sheet).toMatch(/<math><mrow><mi>O<\/mi>/)
    expect(sheet).toContain('<mfrac><mi>a</mi><mi>b</mi></mfrac>')
    expect(sheet).toContain('<math display="block"')
    expect(sheet).toContain('<code class="tex-error">\\(\\frac{a\\)</code>')
    expect(dataset.facts[0].text).toBe('The load grows as O(n^{2}) with the request count.')
    expect(dataset.facts[1].question.answerHtml).toContain('\\(\\frac{a}{b}\\)')
  })
})

describe('highlighted code', () => {
  const code = '- Which call lists the widgets? ::\n\n  ```js\n  const widgets = await list({ limit: 10 }) // {{c1::no cloze}}\n  ```'

  it('is highlighted in Anki with classes and the code stylesheet, on the sheet with print-safe inline colours', async () => {
    const { apkg, sheet } = await built({ 'w.md': topic(code) })
    const [fields] = fieldsOf(apkg!, BASIC_MODEL_ID)
    expect(fields?.[1]).toContain('<code class="hljs language-js"><span class="hljs-keyword">const</span> widgets')
    expect(fields?.[1]).toContain('<span class="hljs-comment">// {{c1::no cloze}}</span>')
    const models = json(apkg!.db, 'models')
    expect(models[BASIC_MODEL_ID].css).toContain('.hljs-keyword')
    expect(models[BASIC_MODEL_ID].css).toContain('.nightMode .hljs-keyword')
    expect(sheet).toContain('<span style="color:#8a1538;font-weight:700">const</span>')
    expect(sheet).not.toContain('hljs-keyword')
  })

  it('adds no stylesheet to a package without highlighted code', async () => {
    const { apkg } = await built({ 'w.md': topic('- Plain code? :: `x`\n- Unknown language?\n  ?\n  ```nosuchlang\n  x\n  ```') })
    expect(json(apkg!.db, 'models')[BASIC_MODEL_ID].css).not.toContain('hljs')
  })
})

const RED = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64')
const BLUE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC', 'base64')

describe('images', () => {
  const files = {
    'w.md': topic(
      [
        '- The first widget looks like ==![red chart](img/chart.png)==.',
        '- The blue widget looks like this? :: ![[chart.png|300]]',
        '- The other chart, by name across the folder? :: ![[other.png]]',
        '- A remote picture is never fetched? :: ![a remote chart](https://example.com/x.png)',
      ].join('\n'),
    ),
    'img/chart.png': RED,
    'sub/chart.png': BLUE,
    'deep/er/other.png': BLUE,
  }

  it('go into the package as media under content-derived names, the sheet as data: URIs, the dataset as source and name', async () => {
    const { apkg, sheet, dataset, messages } = await built(files)
    expect(messages).toEqual(['13:41 warning remote-image'])
    const red = `chart-${createHash('sha256').update(RED).digest('hex').slice(0, 12)}.png`
    const blue = `chart-${createHash('sha256').update(BLUE).digest('hex').slice(0, 12)}.png`
    const other = `other-${createHash('sha256').update(BLUE).digest('hex').slice(0, 12)}.png`
    // `chart.png` of the note's folder first; `sub/chart.png` is another file with another name.
    expect(Object.values(apkg!.media as Record<string, string>).sort()).toEqual([red, other].sort())
    expect(apkg!.members.filter((m) => /^\d+$/.test(m)).length).toBe(2)
    const [cloze] = fieldsOf(apkg!, CLOZE_MODEL_ID)
    expect(cloze?.[0]).toContain(`{{c1::<img src="${red}" alt="red chart">}}`)
    const back = new Map(fieldsOf(apkg!, BASIC_MODEL_ID).map((f) => [f[0], f[1]]))
    expect(back.get('The blue widget looks like this?')).toBe(`<img src="${red}" alt="chart.png" width="300">`)
    expect(back.get('The other chart, by name across the folder?')).toBe(`<img src="${other}" alt="other.png">`)
    expect(back.get('A remote picture is never fetched?')).toBe('<span class="image-alt">a remote chart</span>')
    expect(sheet).toContain(`<img src="data:image/png;base64,${RED.toString('base64')}" alt="red chart" style="max-width:100%;height:auto">`)
    expect(sheet).not.toContain('example.com')
    expect(dataset.facts[0].media).toEqual([{ name: red, source: 'img/chart.png' }])
    expect(dataset.facts[3].media).toBeUndefined()
    expect(blue).not.toBe(red)
  })

  it('a changed image is a changed fact: a new media name and a newer note', async () => {
    await withNotes({ 'deck.yaml': DECK, 'w.md': topic('- The widget looks like this? :: ![[chart.png]]') }, async (notes) => {
      const { writeFile } = await import('node:fs/promises')
      await writeFile(path.join(notes, 'chart.png'), RED)
      const first = await build({ notes, out: path.join(notes, 'dist'), now: NOW, fit: false, only: ['dataset'] })
      await writeFile(path.join(notes, 'chart.png'), BLUE)
      const second = await build({ notes, out: path.join(notes, 'dist'), now: NOW + 60, fit: false, only: ['dataset'] })
      expect(second.notes.facts[0]?.guid).toBe(first.notes.facts[0]?.guid)
      expect(second.notes.facts[0]?.modified).toBeGreaterThan(first.notes.facts[0]!.modified)
      expect(second.notes.media?.[0]?.name).not.toBe(first.notes.media?.[0]?.name)
    })
  })

  it('a missing file is an error at the image; nothing is written', async () => {
    const { result, messages } = await built({ 'w.md': topic('- Where is it? :: ![x](nope.png) and ![[gone.png]]') })
    expect(result.ok).toBe(false)
    expect(messages.filter((m) => m.includes('error'))).toEqual(['10:19 error missing-media', '10:38 error missing-media'])
    expect(result.diagnostics.find((d) => d.ruleId === 'missing-media')?.message).toBe('Unexpected image `nope.png` that is not in the notes folder, expected a file relative to the note or a file name found in the notes folder')
  })
})
