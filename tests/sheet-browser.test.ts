/**
 * The sheet in a real browser: Debian's Chromium, print layout, printed to PDF, read back with
 * poppler-utils. Without Chromium these tests are skipped with a loud notice, except where
 * CHEATDECK_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, compile } from '../src/index.ts'
import { findChromium, launchSheetBrowser, type FitResult, type SheetBrowser } from '../src/emit/sheet/browser.ts'
import { loadSheetTemplates, PAPERS, renderSheet, type Paper, type SheetTemplates } from '../src/emit/sheet/index.ts'
import type { Notes } from '../src/facts/model.ts'
import { makeNotes, sizedNotes, syntheticNotes, tableRow } from './fixtures/sheet/notes.ts'
import { LONG_ARN, writeVariedNotes } from './fixtures/sheet/varied.ts'
import { writeHugeTopic } from './fixtures/sheet/huge.ts'

const TEMPLATES = fileURLToPath(new URL('../templates/sheet/', import.meta.url))
const NOTES = fileURLToPath(new URL('../notes/', import.meta.url))
const REQUIRED = process.env['CHEATDECK_REQUIRE_BROWSER'] === '1'
const chromiumPath = findChromium()
const hasCommand = (name: string) => {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const missing = [
  ...(chromiumPath ? [] : ['Chromium (apt-get install chromium, or set CHROMIUM_PATH)']),
  ...(['pdfinfo', 'pdftotext'].every(hasCommand) ? [] : ['poppler-utils (pdfinfo, pdftotext)']),
]
const available = missing.length === 0

if (!available && !REQUIRED) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING the sheet's real-browser tests: missing ${missing.join(' and ')}.\n` +
      `!! They prove the sheet prints on one page. CI runs them (CHEATDECK_REQUIRE_BROWSER=1).\n${'!'.repeat(78)}\n`,
  )
}

if (!available && REQUIRED) {
  // CI must run these tests: a missing browser fails the whole file instead of skipping it.
  throw new Error(`CHEATDECK_REQUIRE_BROWSER=1 but missing: ${missing.join(', ')}`)
}

const PX_PER_MM = 96 / 25.4

let browser: SheetBrowser
let templates: SheetTemplates
let tmp: string

const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')

function pdfInfo(pdf: Uint8Array): { pages: number; widthPt: number; heightPt: number; text: string } {
  const file = join(tmp, `sheet-${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(file, pdf)
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]),
    widthPt: Number(size?.[1]),
    heightPt: Number(size?.[2]),
    text,
  }
}

/** What a fact shows, as pieces that each must appear in the printed text. */
function shownPieces(notes: Notes): { what: string; text: string }[] {
  const pieces = notes.topics.map((t) => ({ what: `topic ${t.id}`, text: t.name }))
  for (const f of notes.facts) {
    if (f.body.type === 'row') {
      pieces.push({ what: `${f.id} label`, text: f.body.row.label })
      for (const c of f.body.row.cells) pieces.push({ what: `${f.id} ${c.header}`, text: c.value })
    } else {
      pieces.push({ what: f.id, text: f.text })
    }
  }
  return pieces
}

interface Box {
  left: number
  top: number
  right: number
  bottom: number
  width: number
  height: number
}

interface Layout {
  pages: Box[]
  /** Each topic's box and the (0-based) page it is on. */
  topics: (Box & { name: string; page: number })[]
  /** The smallest type of any text on the pages, in px. */
  smallestTextPx: number
  factCount: number
  /** Elements wider than the topic box they are in (by more than half a pixel). */
  tooWide: string[]
  /** Facts printed partly in one column and partly in the next (a later line higher up). */
  factsAcrossColumns: string[]
  /** Topic boxes headed "<topic> (continued)", and how many of them repeat a table's header row. */
  continued: { boxes: number; tableHeaders: number }
}

async function layout(html: string): Promise<{ layout: Layout; requests: string[]; fit: FitResult }> {
  const { page, requests } = await browser.open(html, { media: 'print' })
  try {
    const result = await page.evaluate(() => {
      const box = (e: Element) => {
        const r = e.getBoundingClientRect()
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height }
      }
      const pages = [...document.querySelectorAll('.page')]
      const texts = [...document.querySelectorAll('.page *')].filter((e) =>
        [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()),
      )
      const tooWide: string[] = []
      for (const topic of document.querySelectorAll('.topic')) {
        const edge = topic.getBoundingClientRect().right + 0.5
        for (const e of topic.querySelectorAll('*')) {
          if (e.getBoundingClientRect().right > edge || e.scrollWidth > e.clientWidth + 1) {
            tooWide.push(`${topic.getAttribute('data-topic')}: <${e.tagName.toLowerCase()}> ${e.textContent!.slice(0, 40)}`)
          }
        }
      }
      return {
        pages: pages.map(box),
        topics: [...document.querySelectorAll('.topic')].map((t) => ({
          name: t.getAttribute('data-topic') ?? '',
          page: pages.indexOf(t.closest('.page')!),
          ...box(t),
        })),
        smallestTextPx: Math.min(...texts.map((e) => parseFloat(getComputedStyle(e).fontSize))),
        factCount: document.querySelectorAll('.fact').length,
        tooWide,
        factsAcrossColumns: [...document.querySelectorAll('.fact')]
          .filter((f) => [...f.getClientRects()].some((r, i, all) => i > 0 && r.top < all[i - 1]!.top - 1))
          .map((f) => f.getAttribute('data-fact') ?? ''),
        continued: {
          boxes: [...document.querySelectorAll('.topic-continued > .topic-name')].filter((h) => h.textContent!.includes(`${h.parentElement!.getAttribute('data-topic')} (continued)`)).length,
          tableHeaders: document.querySelectorAll('.topic-continued .table-continued > thead').length,
        },
        fit: document.documentElement.getAttribute('data-fit'),
      }
    })
    const { fit, ...rest } = result
    return { layout: rest, requests, fit: JSON.parse(fit!) as FitResult }
  } finally {
    await page.close()
  }
}

interface SheetCase {
  paper: Paper
  pages?: number
  minFontPt?: number
}

/** Fits, bakes, lays out and prints the sheet; checks what must hold for any notes. */
async function printAndCheck(notes: Notes, paper: Paper, { pages, minFontPt = 6 }: Omit<SheetCase, 'paper'> = {}) {
  const options = { templates, paper, buildDate: '2025-03-04', minFontPt, ...(pages ? { pages } : {}) }
  const fit = await browser.fit(renderSheet(notes, options))
  const html = renderSheet(notes, { ...options, fit })
  const { layout: l, requests, fit: again } = await layout(html)
  const pdf = pdfInfo(await browser.printPdf(html, { paper }))

  // one sheet of paper per page laid out, of the paper asked for, landscape
  const size = PAPERS[paper]
  expect(pdf.pages).toBe(fit.pages)
  expect(l.pages).toHaveLength(fit.pages)
  expect(pdf.widthPt).toBeCloseTo((size.widthMm * 72) / 25.4, 0)
  expect(pdf.heightPt).toBeCloseTo((size.heightMm * 72) / 25.4, 0)
  // the page box is the printable area; no text is under the floor; nothing is fetched
  for (const p of l.pages) expect(p.width).toBeCloseTo((size.widthMm - 2 * size.marginMm) * PX_PER_MM, 0)
  expect(l.smallestTextPx).toBeGreaterThanOrEqual((minFontPt * 96) / 72 - 0.01)
  expect(fit.fontSizePt).toBeGreaterThanOrEqual(minFontPt)
  expect(l.factCount).toBe(notes.facts.length)
  expect(l.tooWide).toEqual([])
  expect(l.factsAcrossColumns).toEqual([])
  expect(fit.oversize).toEqual([])
  expect(requests).toEqual([])
  // the baked-in fit is what the page finds again
  expect(again).toEqual(fit)
  return { fit, layout: l, pdf }
}

function expectAllOnThePage(l: Layout, pdfText: string, notes: Notes) {
  const outside = l.topics.filter((t) => {
    const p = l.pages[t.page]
    return !p || t.left < p.left - 0.5 || t.right > p.right + 0.5 || t.top < p.top - 0.5 || t.bottom > p.bottom + 0.5
  })
  expect(outside.map((t) => t.name)).toEqual([])
  const printed = squash(pdfText)
  const absent = shownPieces(notes).filter((p) => !printed.includes(squash(p.text)))
  expect(absent).toEqual([])
}

describe.runIf(available)('the sheet in Chromium', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    templates = await loadSheetTemplates(TEMPLATES)
    browser = await launchSheetBrowser({ executablePath: chromiumPath! })
    tmp = mkdtempSync(join(tmpdir(), 'cheatdeck-sheet-'))
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  // 38 topics, about 100 facts with sections and tables: what one page holds at ≥ 6 pt.
  const fitting = () => syntheticNotes({ topics: 38, factsPerTopic: 2, words: 6 })

  for (const paper of ['a4', 'letter'] as const) {
    it(`fits 38 topics on one ${paper} page, every topic and fact printed, type ≥ 6 pt`, async () => {
      const notes = fitting()
      const { fit, layout: l, pdf } = await printAndCheck(notes, paper)
      expect(fit).toMatchObject({ fits: true, pages: 1 })
      expect(l.topics).toHaveLength(38)
      expectAllOnThePage(l, pdf.text, notes)
    })

    it(`grows the type when there is room (${paper})`, async () => {
      const notes = syntheticNotes({ topics: 12, factsPerTopic: 2, words: 6 })
      const { fit, layout: l, pdf } = await printAndCheck(notes, paper)
      expect(fit.fits).toBe(true)
      expect(fit.fontSizePt).toBeGreaterThan(7)
      expectAllOnThePage(l, pdf.text, notes)
    })

    it(`continues onto more pages at 6 pt when the notes are too long, every fact printed (${paper})`, async () => {
      const notes = syntheticNotes({ topics: 38, factsPerTopic: 12, words: 20 })
      const { fit, layout: l, pdf } = await printAndCheck(notes, paper)
      expect(fit).toMatchObject({ fits: false, fontSizePt: 6, requestedPages: 1 })
      expect(fit.pages).toBeGreaterThan(1)
      expect(fit.fitsAtPt).not.toBeNull()
      expect(fit.fitsAtPt!).toBeLessThan(6)
      expectAllOnThePage(l, pdf.text, notes)
      // the header prints once; every page has a footer with its number
      expect(pdf.text.match(/Key topics/gi)).toHaveLength(1)
      for (let n = 1; n <= fit.pages; n++) expect(pdf.text).toContain(`${n} / ${fit.pages}`)
    })

    it(`prints the shipped notes on one ${paper} page, with every topic and fact`, async () => {
      const { notes, ok } = await compile({ notes: NOTES, now: 0 })
      expect(ok).toBe(true)
      const { fit, layout: l, pdf } = await printAndCheck(notes, paper)
      expect(
        fit,
        `the shipped notes (${notes.facts.length} facts) do not fit on one page at 6 pt: they would need ` +
          `${fit.fitsAtPt} pt type, so about ${Math.round((1 - ((fit.fitsAtPt ?? 0) / 6) ** 2) * 100)} % ` +
          `of their text must go (they take ${fit.pages} pages)`,
      ).toMatchObject({ fits: true, pages: 1 })
      expect(l.topics).toHaveLength(38)
      expectAllOnThePage(l, pdf.text, notes)
    })
  }

  // The capacity the layout promises: the shipped notes' shape (38 topics, 224 facts, the same
  // facts per topic, sections, two tables) with terse facts, 65 characters each on average.
  it('fits 224 facts of 65 characters at ≥ 6 pt on A4 and Letter', async () => {
    const notes = sizedNotes({ chars: 65 })
    expect(notes.topics).toHaveLength(38)
    expect(notes.facts).toHaveLength(224)
    expect(notes.facts.reduce((sum, f) => sum + f.text.length, 0)).toBe(224 * 65)
    for (const paper of ['a4', 'letter'] as const) {
      const { fit, layout: l, pdf } = await printAndCheck(notes, paper)
      expect(fit, `${paper}: ${JSON.stringify(fit)}`).toMatchObject({ fits: true, pages: 1 })
      expect(fit.fontSizePt).toBeGreaterThanOrEqual(6)
      expect(l.topics).toHaveLength(38)
      expectAllOnThePage(l, pdf.text, notes)
    }
  })

  it('prints hostile text as text, and runs no script but its own', async () => {
    const notes = makeNotes([
      {
        name: '<img src=x onerror="window.__pwned=1">',
        facts: [
          // Raw HTML in a fact is rendered as text; in code, as code.
          { content: 'Never write <script>window.__pwned=2</script> in a template.' },
          { content: 'An `<img src=x onerror="window.__pwned=3">` tag runs code.', section: ['<svg onload="window.__pwned=4">'] },
          tableRow('<script>window.__pwned=5</script>', ['<b onmouseover=x>', 'v'], ['<script>window.__pwned=6</script>', 'ok'], ['t']),
        ],
      },
    ])
    notes.deck = { ...notes.deck, title: '<script>window.__pwned=7</script>', keyTopics: ['<img src=x onerror="window.__pwned=8">'] }
    const html = renderSheet(notes, { templates, paper: 'a4', buildDate: '2025-03-04' })
    const { page, requests } = await browser.open(html, { media: 'screen' })
    try {
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        scripts: document.scripts.length,
        elements: document.querySelectorAll('img, svg[onload], b[onmouseover]').length,
        text: document.body.innerText,
      }))
      expect(state.pwned).toBeUndefined()
      expect(state.scripts).toBe(1)
      expect(state.elements).toBe(0)
      expect(state.text).toContain('<script>window.__pwned=2</script>')
      expect(state.text).toContain('<img src=x onerror="window.__pwned=1">')
      expect(state.text).toContain('<script>window.__pwned=6</script>')
      expect(requests).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('lets nothing else run or load even if markup got in: the CSP allows only the fit script', async () => {
    const clean = renderSheet(makeNotes([{ name: 'A', facts: [{ content: 'b' }] }]), {
      templates,
      paper: 'a4',
      buildDate: '2025-03-04',
    })
    const injected = clean.replace(
      '<section class="page page-first">',
      '<section class="page page-first"><script>window.__pwned=1</script><img src="data:," onerror="window.__pwned=2">',
    )
    const { page, requests } = await browser.open(injected, { media: 'screen' })
    try {
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        fitted: document.documentElement.hasAttribute('data-fit'),
      }))
      expect(state).toEqual({ pwned: undefined, fitted: true })
      expect(requests).toEqual([])
      expect(await page.locator('img').count()).toBe(1)
    } finally {
      await page.close()
    }
  })

  // Other notes than the shipped ones: 450 facts of varied shape, through the whole pipeline.
  describe('450 facts of varied shape', () => {
    let notesDir: string
    beforeAll(() => {
      notesDir = join(tmp, 'varied')
      expect(writeVariedNotes(notesDir)).toBe(450)
    })

    async function buildSheet(pages: number) {
      const out = join(tmp, `varied-out-${pages}`)
      const result = await build({ notes: notesDir, out, only: ['sheet'], pdf: true, pages, now: 0 })
      expect(result.ok).toBe(true)
      const html = readFileSync(join(out, 'distributed-systems-notes.sheet.html'), 'utf8')
      const pdf = pdfInfo(readFileSync(join(out, 'distributed-systems-notes.sheet.pdf')))
      const { layout: l, fit } = await layout(html)
      expect(html).toContain(' data-fit="{') // baked in by the build; the page kept it
      expect(pdf.pages).toBe(fit.pages)
      expect(l.smallestTextPx).toBeGreaterThanOrEqual(8 - 0.01) // 6 pt
      expect(l.tooWide).toEqual([])
      expectAllOnThePage(l, pdf.text, result.notes)
      return { result, fit, pdf, layout: l, html }
    }

    it('asked for one page: continues onto more at 6 pt, warns, and prints every fact', async () => {
      const { result, fit, pdf } = await buildSheet(1)
      expect(fit).toMatchObject({ fits: false, fontSizePt: 6, requestedPages: 1 })
      expect(fit.pages).toBeGreaterThan(1)
      const warnings = result.diagnostics.filter((d) => d.ruleId === 'sheet-overflow')
      expect(warnings).toHaveLength(1)
      expect(warnings[0]!.severity).toBe('warning')
      expect(warnings[0]!.message).toContain(`the sheet prints on ${fit.pages} pages at 6 pt; 1 page would need ${fit.fitsAtPt} pt;`)
      expect(fit.fitsAtPt!).toBeLessThan(6)
      expect(pdf.text.match(/Key topics/gi)).toHaveLength(1)
      for (let n = 1; n <= fit.pages; n++) expect(pdf.text).toContain(`${n} / ${fit.pages}`)
      // code keeps its indentation (4 spaces, not Handlebars' extra ones)
      expect(pdf.text).toMatch(/\n\s*return True/)
    })

    it('asked for four pages: fits on four or fewer, no warning', async () => {
      const { result, fit } = await buildSheet(4)
      expect(fit).toMatchObject({ fits: true, requestedPages: 4 })
      expect(fit.pages).toBeLessThanOrEqual(4)
      expect(fit.fontSizePt).toBeGreaterThanOrEqual(6)
      expect(result.diagnostics.filter((d) => d.ruleId === 'sheet-overflow')).toEqual([])
    })
  })

  // A topic taller than a page: it continues across columns and pages, cut between facts.
  it('continues one topic taller than a page over columns and pages, printing every fact', async () => {
    const dir = join(tmp, 'huge')
    expect(writeHugeTopic(dir)).toBe(400)
    const out = join(tmp, 'huge-out')
    const result = await build({ notes: dir, out, only: ['sheet'], pdf: true, now: 0 })
    expect(result.ok).toBe(true)
    const html = readFileSync(join(out, 'huge.sheet.html'), 'utf8')
    const pdf = pdfInfo(readFileSync(join(out, 'huge.sheet.pdf')))
    const { layout: l, fit } = await layout(html)
    expect(fit).toMatchObject({ fits: false, fontSizePt: 6, requestedPages: 1, oversize: [] })
    expect(fit.pages).toBeGreaterThan(1)
    expect(pdf.pages).toBe(fit.pages)
    expect(l.smallestTextPx).toBeGreaterThanOrEqual(8 - 0.01) // 6 pt
    expect(l.tooWide).toEqual([])
    expect(l.factsAcrossColumns).toEqual([])
    expect(l.factCount).toBe(400)
    expectAllOnThePage(l, pdf.text, result.notes)
    const printed = new Set(pdf.text.replace(/\s+/g, ' ').match(/fact \d+,/g))
    expect(printed.size).toBe(400)
    // every box after the first is the topic's continuation, on every page
    expect(l.topics.length).toBeGreaterThan(fit.pages)
    expect(l.continued.boxes).toBe(l.topics.length - 1)
    expect(new Set(l.topics.map((t) => t.page))).toEqual(new Set(Array.from({ length: fit.pages }, (_, i) => i)))
    expect(pdf.text.match(/Big topic \(continued\)/g)).toHaveLength(l.topics.length - 1)
    // the warning says what is printed
    const warnings = result.diagnostics.filter((d) => d.ruleId === 'sheet-overflow')
    expect(warnings.map((d) => d.message)).toEqual([
      `Unexpected notes too long for 1 page of A4 at the 6 pt floor, expected them to fit: the sheet prints on ${fit.pages} pages at 6 pt; ` +
        `1 page would need ${fit.fitsAtPt} pt; ask for \`--pages ${fit.pages}\`, or put fewer topics on the sheet (\`--topics\`, \`--tags\`, \`sheet: false\`)`,
    ])
    expect(fit.fitsAtPt!).toBeLessThan(6)
    // the page fits itself anew from the build's boxes (joined back whole, then cut again): the same
    const { fit: anew } = await layout(html.replace(/ data-fit="[^"]*"/, ''))
    expect(anew).toEqual(fit)
  })

  it('cuts a topic of one 300-fact section between facts, and a 250-row table between rows with its header again', async () => {
    const sentence = (i: number) => `Fact ${i} of the only section: the ==value ${i}== matters when the queue drains slowly.`
    const notes = makeNotes([
      { name: 'One long section', facts: Array.from({ length: 300 }, (_, i) => ({ content: sentence(i + 1), section: ['Everything'] })) },
      {
        name: 'One long table',
        facts: Array.from({ length: 250 }, (_, i) => tableRow('Limits', ['Limit', 'Value', 'Note'], [`limit-${i + 1}`, `${i + 1} per second`, 'soft, raise it'], ['Limits'])),
      },
    ])
    const { fit, layout: l, pdf } = await printAndCheck(notes, 'a4')
    expectAllOnThePage(l, pdf.text, notes)
    expect(fit.splits!.length).toBeGreaterThan(2)
    // cut inside the one section (no section boundary to cut at) and inside the table
    expect(fit.splits!.some(([topic, fact]) => topic === 0 && fact > 0)).toBe(true)
    expect(fit.splits!.some(([topic, fact]) => topic === 1 && fact > 0)).toBe(true)
    expect(l.continued.boxes).toBe(fit.splits!.filter(([, fact]) => fact > 0).length)
    expect(l.continued.tableHeaders).toBe(fit.splits!.filter(([topic, fact]) => topic === 1 && fact > 0).length)
    expect(pdf.text.match(/One long section \(continued\)/g)!.length).toBeGreaterThan(1)
  })

  it('two pages balance, front and back, with the header once', async () => {
    const notes = syntheticNotes({ topics: 38, factsPerTopic: 6, words: 12 })
    const { fit, layout: l, pdf } = await printAndCheck(notes, 'a4', { pages: 2 })
    expect(fit).toMatchObject({ fits: true, pages: 2 })
    expectAllOnThePage(l, pdf.text, notes)
    expect(pdf.text.match(/Key topics/gi)).toHaveLength(1)
    // each page filled to about the same depth: the lowest topic bottom, from the page top
    const depth = [0, 1].map((p) => Math.max(...l.topics.filter((t) => t.page === p).map((t) => t.bottom)) - l.pages[p]!.top)
    expect(Math.abs(depth[0]! - depth[1]!)).toBeLessThan(0.15 * l.pages[0]!.height)
  })

  it('wraps the domain chart under the title when large type leaves no room beside it', async () => {
    // A small deck fits at the largest type: the title, the exam's name and the chart no longer fit on one line.
    const notes = makeNotes([{ name: 'CloudFormation', facts: [{ content: 'Stacks roll back on a ==failed== update.' }, { content: 'A **change set** previews an update.' }] }])
    const options = { templates, paper: 'a4' as const, buildDate: '2025-03-04' }
    const fit = await browser.fit(renderSheet(notes, options))
    expect(fit.fontSizePt).toBeGreaterThanOrEqual(10)
    const { page } = await browser.open(renderSheet(notes, { ...options, fit }), { media: 'print' })
    try {
      const boxes = await page.evaluate(() =>
        Object.fromEntries(['.deck', '.domains', '.sheet-header', '.page'].map((s) => {
          const r = document.querySelector(s)!.getBoundingClientRect()
          return [s, { left: r.left, right: r.right, top: r.top, bottom: r.bottom }]
        })),
      )
      const deckBox = boxes['.deck']!
      const chart = boxes['.domains']!
      const apart = chart.top >= deckBox.bottom - 0.5 || chart.left >= deckBox.right - 0.5
      expect(apart, `deck ${JSON.stringify(deckBox)} and chart ${JSON.stringify(chart)} overlap`).toBe(true)
      expect(chart.right).toBeLessThanOrEqual(boxes['.page']!.right + 0.5)
      expect(chart.bottom).toBeLessThanOrEqual(boxes['.sheet-header']!.bottom + 0.5)
    } finally {
      await page.close()
    }
  })

  it('fits a table holding a 120-character token on one page, with no warning', async () => {
    const token = `${LONG_ARN}-`.padEnd(120, '7')
    expect(token).toHaveLength(120)
    const notes = makeNotes([
      {
        name: 'AWS IAM',
        facts: [
          tableRow('Roles', ['Role', 'ARN', 'Use'], ['pipeline', token, 'runs the data pipeline'], ['Roles']),
          { content: `The role ${token} is assumed by the pipeline.` },
        ],
      },
    ])
    const { fit, layout: l, pdf } = await printAndCheck(notes, 'a4')
    expect(fit).toMatchObject({ fits: true, pages: 1, oversize: [] })
    expect(fit.fontSizePt).toBeGreaterThan(6)
    expectAllOnThePage(l, pdf.text, notes)
  })

  it('keeps code blocks inside their column, with their own indentation, and task boxes letter-sized', async () => {
    const code = 'def drain(queue):\n    for item in queue.items(timeout=30, on_failure="retry with exponential backoff and jitter"):\n        yield item\n'
    const fence = '```'
    const termWithCode = `**Drain**: runs like this:\n\n${fence}python\n${code}${fence}`
    const tasks = 'Before a release:\n\n- [ ] check the lag\n- [x] drain'
    const notes = makeNotes(
      Array.from({ length: 30 }, (_, i) => ({
        name: `Queue ${i + 1}`,
        facts: [
          { content: termWithCode },
          { content: tasks },
        ],
      })),
    )
    const { layout: l } = await printAndCheck(notes, 'a4')
    expect(l.tooWide).toEqual([])
    const fitted = renderSheet(notes, { templates, paper: 'a4', buildDate: '2025-03-04', fit: await browser.fit(renderSheet(notes, { templates, paper: 'a4', buildDate: '2025-03-04' })) })
    const { page } = await browser.open(fitted, { media: 'print' })
    try {
      const state = await page.evaluate(() => ({
        code: document.querySelector('.fact pre')!.textContent,
        box: document.querySelector('.fact input')!.getBoundingClientRect().height,
        font: parseFloat(getComputedStyle(document.querySelector('.fact')!).fontSize),
      }))
      expect(state.code).toBe(code)
      expect(state.box).toBeLessThanOrEqual(state.font)
    } finally {
      await page.close()
    }
  })

  it('hides card-only sub-bullets from the printed sheet, with no stray separator', async () => {
    // Through the parser: the #card-only mark is read where the notes are.
    const notesDir = join(tmp, 'card-only')
    mkdirSync(notesDir)
    writeFileSync(join(notesDir, 'deck.yaml'), 'title: Q\nexam: Q-1\ndomains:\n  - { id: q, name: Queues, weight: 100 }\nkeyTopics: [Queues]\n')
    const items = ['- Drain before a deploy:', '  - Hidden first detail #card-only', '  - Lag under a minute', '  - Alarm on depth']
    writeFileSync(join(notesDir, 'queues.md'), ['---', 'name: Queues', 'domains: [q]', '---', '', '# Queues', '', ...items, ''].join('\n'))
    const { notes, ok } = await compile({ notes: notesDir, now: 0 })
    expect(ok).toBe(true)
    const { pdf } = await printAndCheck(notes, 'a4')
    const text = pdf.text.replace(/\s+/g, ' ')
    expect(text).toMatch(/Drain before a deploy: ?Lag under a minute \/ Alarm on depth/)
    expect(text).not.toContain('Hidden first detail')
  })

  it('prints a light page even when the screen is dark, with the topic colour on borders', async () => {
    const html = renderSheet(syntheticNotes({ topics: 6, factsPerTopic: 2 }), { templates, paper: 'a4', buildDate: '2025-03-04' })
    const { page } = await browser.open(html, { media: 'print' })
    try {
      const look = () =>
        page.evaluate(() => {
          const style = (selector: string) => getComputedStyle(document.querySelector(selector)!)
          return {
            background: style('.page').backgroundColor,
            color: style('.page').color,
            border: style('.topic').borderTopColor,
            rule: style('.topic-name').borderBottomColor,
          }
        })
      await page.emulateMedia({ media: 'print', colorScheme: 'dark' })
      const printed = await look()
      expect(printed).toMatchObject({ background: 'rgb(255, 255, 255)', color: 'rgb(0, 0, 0)' })
      expect(printed.border).not.toMatch(/rgb\((\d+), \1, \1\)/) // a colour, not a grey
      expect(printed.rule).toBe(printed.border)
      await page.emulateMedia({ media: 'screen', colorScheme: 'dark' })
      expect((await look()).background).not.toBe('rgb(255, 255, 255)')
    } finally {
      await page.close()
    }
  })
})
