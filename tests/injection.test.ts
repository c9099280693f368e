/**
 * No injection through the dataset or the Anki fields: hostile facts (an escaped `<script>`, code,
 * `javascript:` links, an `<img onerror>` as text, quotes and `{{…}}` that could break Anki's
 * templates or open extra clozes) are built by the real `build`, then the dataset's `html` fields
 * and the card fields read back from the .apkg must hold no live tag, handler or script URL.
 * (The sheet is rendered in Chromium by tests/sheet-browser.test.ts.)
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { openApkg, rows, type ApkgContents } from './anki-read.ts'
import { CARD_RULES } from '../src/rules/quality/index.ts'
import { reportLines } from './helpers/report.ts'

const DECK = `title: Hostile "Deck" & <b>Co</b>
exam: HOST-1
domains:
  - { id: build, name: Building, weight: 100 }
`

const HOSTILE = String.raw`---
name: "Topic <img src=x onerror=alert(1)>"
domains: [build]
---

# Hostile \<script>window.__pwned=1\</script>

## Section \<b onmouseover="alert(1)">x\</b> {{Front}}

- Escaped ==\<script>window.__pwned=1\</script>== text. ^esc
- Inline code ==` + '`<script>window.__pwned=1</script>`' + String.raw`== and ` + '`{{c5::leak}}`' + String.raw` here. ^code
- A [link](javascript:alert(1)), [caps](JaVaScRiPt:alert(1)), [tab](java&#x09;script:alert(1)), <javascript:alert(1)>, ![img](javascript:alert(1)), [data](data:text/html;base64,PHNjcmlwdD4=) and ==[vb](vbscript:msgbox(1))==. ^links
- Literal ==\<img src=x onerror=alert(1)>== and \<svg onload=alert(1)> and &lt;iframe src=x&gt;. ^img
- An attribute breaker ==x" onmouseover="alert(1)== and ![alt " onerror="alert(1)](pic.png "t' onerror='alert(1)"). ^attr
- **Quote " ' {{Front}} }}**: "double" 'single' {{Back}} {{#Text}} }} {{/Text}} {{FrontSide}} ^braces
- What does \<script> do in "quotes" & 'apostrophes'? :: Nothing: ` + '`}}{{c2::x`' + String.raw` {{Text}} ^qa

## Table

| Name | Value ` + '`{{c4::x}}`' + String.raw` |
| --- | --- |
| Row \<script>alert(1)\</script> ^row | ==v== ` + '`{{c6::y}}`' + String.raw` |
`

const BLOCKED_TAGS = /^(script|style|iframe|frame|object|embed|svg|math|link|meta|base|form|template|noscript)$/i

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(quot|apos|amp|lt|gt|colon|tab|newline);/gi, (_, name: string) => ({ quot: '"', apos: "'", amp: '&', lt: '<', gt: '>', colon: ':', tab: '\t', newline: '\n' })[name.toLowerCase()] ?? '')
}

/**
 * Every tag in the HTML, as an HTML parser would see it: text `<` is always `&lt;` in what
 * hast-util-to-html writes, so a live tag is exactly a `<` followed by a letter.
 */
function liveTags(html: string): { name: string; attributes: [string, string][] }[] {
  return [...html.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)].map((m) => ({
    name: m[1] ?? '',
    attributes: [...(m[2] ?? '').matchAll(/([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)].map((a) => [a[1] ?? '', decodeEntities((a[2] ?? '').replace(/^["']|["']$/g, ''))] as [string, string]),
  }))
}

function expectSafe(html: string, where: string): void {
  expect(html, where).not.toMatch(/<\s*script/i)
  for (const tag of liveTags(html)) {
    expect(tag.name, `${where}: <${tag.name}>`).not.toMatch(BLOCKED_TAGS)
    for (const [name, value] of tag.attributes) {
      expect(name, `${where}: <${tag.name} ${name}>`).not.toMatch(/^on/i)
      if (/^(href|src|xlink:href|action|formaction|srcset|poster|background)$/i.test(name)) {
        // Browsers drop ASCII whitespace and controls from a URL's scheme: `java\tscript:` is `javascript:`.
        const scheme = value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
        expect(scheme, `${where}: <${tag.name} ${name}="${value}">`).not.toMatch(/^(javascript|vbscript|data):/)
      }
    }
  }
}

/** Every string under a key ending in `html` (any case), with its path. */
function htmlStrings(value: unknown, at = '$'): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => htmlStrings(v, `${at}[${i}]`))
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => (typeof v === 'string' && /html$/i.test(key) ? [[`${at}.${key}`, v] as [string, string]] : htmlStrings(v, `${at}.${key}`)))
  }
  return []
}

interface FactJson {
  id: string
  form: string
  text: string
  html: string
}

let dataset: { facts: FactJson[] }
let apkg: ApkgContents
let dir: string | undefined

afterAll(async () => {
  apkg?.db.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-injection-'))
  const notes = path.join(dir, 'notes')
  const out = path.join(dir, 'dist')
  await mkdir(notes)
  await writeFile(path.join(notes, 'deck.yaml'), DECK)
  await writeFile(path.join(notes, 'hostile.md'), HOSTILE)
  // The image the hostile alt text hangs on is there (a missing one is an error of its own).
  await writeFile(path.join(notes, 'pic.png'), Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64'))
  const err: string[] = []
  const code = await main(['build', '--notes', notes, '--out', out, '--no-fit', '--only', 'dataset,anki'], { stdout: () => {}, stderr: (t) => void err.push(t) })
  expect(code, err.join('')).toBe(0)
  // Hostile text is content: no error, and no warning beyond card quality (the fixture repeats
  // its payloads on purpose, so its cards give their answers away).
  const cardQuality = new Set(CARD_RULES.map((r) => `[${r.id}]`))
  const problems = reportLines(err.join('')).split('\n').filter((l) => / (error|warning) /.test(l) && !cardQuality.has(l.slice(l.lastIndexOf('['))))
  expect(problems).toEqual([])
  dataset = JSON.parse(await readFile(path.join(out, 'facts.json'), 'utf8'))
  const apkgFile = (await readdir(out)).find((f) => f.endsWith('.apkg'))
  if (!apkgFile) throw new Error('no .apkg written')
  apkg = await openApkg(await readFile(path.join(out, apkgFile)))
}, 60_000)

describe('the checker', () => {
  it('catches live tags, handlers and script URLs, and lets escaped text through', () => {
    for (const live of ['<script>x</script>', '<img src=x onerror=alert(1)>', '<a href="java&#x09;script:alert(1)">x</a>', "<a href=' JAVASCRIPT:x'>", '<p><svg onload=x>', '<img src="data:text/html,x">'])
      expect(() => expectSafe(live, 'sample'), live).toThrow()
    for (const inert of ['&#x3C;script>x&#x3C;/script>', '<img src="a.png" alt="&#x22; onerror=&#x22;x">', '<strong>x" onmouseover="y</strong>', '<a href="https://example.org/?q=javascript:">x</a>'])
      expect(() => expectSafe(inert, 'sample'), inert).not.toThrow()
  })
})

describe('hostile text in the notes', () => {
  it('stays text: the facts keep it as written', () => {
    const text = (id: string) => dataset.facts.find((f) => f.id === id)?.text
    expect(dataset.facts.map((f) => f.id)).toEqual(['esc', 'code', 'links', 'img', 'attr', 'braces', 'qa', 'row'])
    expect(text('esc')).toContain('<script>window.__pwned=1</script>')
    expect(text('code')).toContain('<script>window.__pwned=1</script>')
    expect(text('img')).toContain('<img src=x onerror=alert(1)>')
    expect(text('braces')).toContain('{{Front}} }}')
    expect(dataset.facts.find((f) => f.id === 'esc')?.html).toContain('&#x3C;script>window.__pwned=1&#x3C;/script>')
  })

  it('is inert in every html field of the dataset', () => {
    const fields = htmlStrings(dataset)
    expect(fields.length).toBeGreaterThanOrEqual(dataset.facts.length * 2)
    for (const [where, html] of fields) expectSafe(html, where)
  })

  it('drops script URLs from links and images, keeps their text', () => {
    const links = dataset.facts.find((f) => f.id === 'links')
    expect(links?.text).toMatch(/link.*caps.*tab.*javascript:alert\(1\).*img.*data.*vb/)
    expect(links?.html).not.toMatch(/href="[^"]*script/i)
    expect(links?.html).not.toMatch(/src="[^"]*script/i)
  })

  it('is inert in every field of every Anki note, and the deck and note-type names are plain JSON', () => {
    const notes = rows(apkg.db, 'SELECT id, flds, sfld, tags FROM notes')
    expect(notes).toHaveLength(8)
    for (const note of notes) {
      String(note.flds)
        .split('\x1f')
        .forEach((field, i) => expectSafe(field, `note ${note.id} field ${i}`))
      expect(String(note.tags)).not.toMatch(/[<>"]/)
    }
  })

  it('opens no cloze of its own: each cloze note makes exactly the cards of its marks', () => {
    const notes = rows(apkg.db, 'SELECT n.id, n.flds, m.cnt FROM notes n JOIN (SELECT nid, count(*) AS cnt FROM cards GROUP BY nid) m ON m.nid = n.id')
    let cloze = 0
    for (const note of notes) {
      const [text = ''] = String(note.flds).split('\x1f')
      const marks = [...text.matchAll(/\{\{c(\d+)::/g)].map((m) => m[1])
      if (marks.length) cloze++
      // Every cloze fact here has one `==…==`: c1 and nothing else (no c2, c4, c5, c6 from code or headers).
      expect(marks.every((n) => n === '1'), text).toBe(true)
      expect(note.cnt, text).toBe(1)
    }
    expect(cloze).toBe(6)
    expect(rows(apkg.db, 'SELECT count(*) AS n FROM cards')[0]?.n).toBe(8)
  })
})
