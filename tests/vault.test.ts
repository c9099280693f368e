/**
 * An Obsidian vault written in the Spaced Repetition plugin's syntax (tests/fixtures/vault:
 * `::`, `:::`, multi-line `?` and `??` cards as paragraphs, `==cloze==`, an `![[embed]]`,
 * `$math$`, a `[[wikilink]]`, a callout, a `.obsidian/` folder) builds into one card per plugin
 * card (two for a reversed one, as the plugin makes them). Then the real thing: the package read
 * back with SQLite, and the sheet in headless Chromium, printed to PDF and read with poppler —
 * the image present with no request leaving the page, math as MathML, every fact's words printed.
 */
import { execFileSync } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type BuildResult } from '../src/build.ts'
import { BASIC_MODEL_ID, CLOZE_MODEL_ID, REVERSED_MODEL_ID } from '../src/emit/anki/index.ts'
import { findChromium, launchSheetBrowser } from '../src/emit/sheet/browser.ts'
import { openApkg, rows, type ApkgContents } from './anki-read.ts'
import { copyFixture } from './helpers/fixture.ts'

const REQUIRED = process.env['CHEATDECK_REQUIRE_BROWSER'] === '1'
const chromium = findChromium()
if (!chromium && REQUIRED) throw new Error('CHEATDECK_REQUIRE_BROWSER=1 but no Chromium')
if (!chromium) console.warn('SKIPPING the vault sheet tests in Chromium: no Chromium')

let dir: string
let out: string
let result: BuildResult
let apkg: ApkgContents
let html: string

beforeAll(async () => {
  const fixture = await copyFixture('vault')
  dir = fixture.dir
  out = fixture.out
  result = await build({ notes: fixture.notes, out, now: 1_790_000_000, fit: Boolean(chromium), pdf: Boolean(chromium) })
  apkg = await openApkg(new Uint8Array(await readFile(path.join(out, 'networking-vault.apkg'))))
  html = await readFile(path.join(out, 'networking-vault.sheet.html'), 'utf8')
}, 120_000)

afterAll(async () => {
  apkg?.db.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('an Obsidian vault in the Spaced Repetition plugin syntax', () => {
  it('builds out of the box: no errors, no warnings', () => {
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`)).toEqual([])
    expect(result.ok).toBe(true)
  })

  it('makes one card per plugin card, two for each reversed one', () => {
    const forms = result.notes.facts.map((f) => [f.source.file, f.source.line, f.form])
    expect(forms).toEqual([
      ['Networking/Basics.md', 10, 'qa'],
      ['Networking/Basics.md', 12, 'reversed'],
      ['Networking/Basics.md', 14, 'qa'],
      ['Networking/Basics.md', 19, 'reversed'],
      ['Networking/Basics.md', 23, 'cloze'],
      ['Networking/Basics.md', 27, 'qa'],
      ['Networking/Basics.md', 29, 'qa'],
      ['Networking/Basics.md', 31, 'qa'],
      ['Security.md', 8, 'cloze'],
      ['Security.md', 9, 'qa'],
      ['Security.md', 11, 'cloze'],
    ])
    const cards = rows(apkg.db, 'SELECT n.mid AS mid, c.ord AS ord FROM cards c JOIN notes n ON n.id = c.nid')
    expect(cards.length).toBe(13)
    expect(cards.filter((c) => c.mid === REVERSED_MODEL_ID).map((c) => c.ord).sort()).toEqual([0, 0, 1, 1])
    expect(cards.filter((c) => c.mid === CLOZE_MODEL_ID).length).toBe(3)
    expect(cards.filter((c) => c.mid === BASIC_MODEL_ID).length).toBe(6)
  })

  it('puts the embedded image in the package media, math in \\(…\\), and the link text on the card', () => {
    const fields = rows(apkg.db, 'SELECT flds FROM notes').map((r) => String(r.flds).split('\x1f'))
    const media = Object.values(apkg.media as Record<string, string>)
    expect(media).toEqual([expect.stringMatching(/^diagram-[0-9a-f]{12}\.png$/)])
    expect(apkg.members).toContain('0')
    const back = new Map(fields.map((f) => [f[0], f[1]]))
    expect(back.get('What does the three-way handshake diagram show?')).toBe(`<img src="${media[0]}" alt="diagram.png" width="200">`)
    expect(back.get("What bounds a window-limited TCP flow's throughput?")).toBe('\\(T \\le \\frac{W}{RTT}\\)')
    expect(back.get('Which note covers TLS handshakes?')).toBe('<span class="wikilink">Security</span>')
  })
})

describe.runIf(chromium)('the vault sheet in Chromium', () => {
  it('shows the image with no request leaving the page, math as MathML, every fact printed in the PDF', async () => {
    const browser = await launchSheetBrowser()
    try {
      const { page, requests } = await browser.open(html, { media: 'print' })
      const seen = await page.evaluate(() => ({
        images: [...document.images].map((img) => ({ complete: img.complete, width: img.naturalWidth, src: img.src.slice(0, 22) })),
        math: [...document.querySelectorAll('math')].map((m) => getComputedStyle(m).display),
        link: document.querySelector('a.wikilink')?.getAttribute('href'),
      }))
      await page.close()
      expect(requests.filter((url) => !url.startsWith('data:') && url !== 'about:blank')).toEqual([])
      expect(seen.images).toEqual([{ complete: true, width: 1, src: 'data:image/png;base64,' }])
      expect(seen.math.length).toBeGreaterThan(0)
      for (const display of seen.math) expect(display).toMatch(/math/)
      expect(seen.link).toBe('#topic-security')
    } finally {
      await browser.close()
    }
    const pdf = path.join(out, 'networking-vault.sheet.pdf')
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' })
    const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
    const printed = squash(text)
    for (const fact of result.notes.facts) {
      // Words of the fact (TeX commands aside, which print as symbols).
      for (const word of fact.text.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z'-]{2,}[.,?:;]*$/.test(w))) {
        expect(printed, `${fact.id}: ${word}`).toContain(squash(word))
      }
    }
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2)
    expect(images.length).toBe(1)
  }, 120_000)
})
