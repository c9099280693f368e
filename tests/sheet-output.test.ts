/**
 * The sheet output in real headless Chromium: it names its files after the deck, says how the
 * sheet fitted, and warns (`sheet-overflow`) when the notes overflow the page at the 6 pt floor.
 * Without Chromium these tests are skipped, except under CHEATDECK_REQUIRE_BROWSER=1 (CI).
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { OutputContext, OutputOptions } from '../src/emit/index.ts'
import { findChromium } from '../src/emit/sheet/browser.ts'
import { createSheetBrowserPool } from '../src/emit/sheet/browser-pool.ts'
import { sheetOutput } from '../src/emit/sheet/output.ts'
import { DEFAULT_TEMPLATES } from '../src/build.ts'
import { emptyLockfile } from '../src/facts/lockfile.ts'
import type { Notes } from '../src/facts/model.ts'
import { syntheticNotes } from './fixtures/sheet/notes.ts'

const REQUIRED = process.env['CHEATDECK_REQUIRE_BROWSER'] === '1'
const chromium = findChromium()
if (!chromium && REQUIRED) throw new Error('CHEATDECK_REQUIRE_BROWSER=1 but no Chromium found')

const NOW = 1_767_225_600 // 2026-01-01

function context(notes: Notes, options: OutputOptions, templates = DEFAULT_TEMPLATES): OutputContext {
  return {
    notes,
    lock: emptyLockfile(notes.deck.namespace, NOW),
    removed: [],
    now: NOW,
    templates,
    options,
    timed: async (_stage, run) => run(),
  }
}

const names = (files: { name: string }[]): string[] => files.map((f) => f.name)

describe('the sheet output without a browser', () => {
  it('writes only the HTML, dated by the build clock, and says nothing when fitting is off', async () => {
    const notes = syntheticNotes({ topics: 4, factsPerTopic: 2, words: 6 })
    const emission = await sheetOutput.emit(context(notes, { fit: false }))
    expect(names(emission.files)).toEqual(['aws-devops-pro-dop-c02.sheet.html'])
    expect(new TextDecoder().decode(emission.files[0]!.data as Uint8Array)).toContain('2026-01-01')
    expect(emission.diagnostics).toEqual([])
    expect(emission.notices).toEqual([])
  })
})

describe.skipIf(!chromium)('the sheet output in Chromium', { timeout: 120_000 }, () => {
  it('fits the sheet, says at what size, and prints the PDF beside the HTML', async () => {
    const notes = syntheticNotes({ topics: 12, factsPerTopic: 2, words: 6 })
    const emission = await sheetOutput.emit(context(notes, { pdf: true, paper: 'letter' }))
    expect(names(emission.files)).toEqual(['aws-devops-pro-dop-c02.sheet.html', 'aws-devops-pro-dop-c02.sheet.pdf'])
    expect(new TextDecoder().decode((emission.files[1]!.data as Uint8Array).subarray(0, 5))).toBe('%PDF-')
    expect(emission.diagnostics).toEqual([])
    expect(emission.notices).toHaveLength(1)
    expect(emission.notices?.[0]).toMatch(/^sheet: one page at \d+(\.\d+)? pt in [4-7] columns$/)
  })

  it('warns, at the first topic past the page, when the notes need more pages at the 6 pt floor', async () => {
    const notes = syntheticNotes({ topics: 38, factsPerTopic: 12, words: 20 })
    const emission = await sheetOutput.emit(context(notes, { paper: 'a4' }))
    expect(names(emission.files)).toEqual(['aws-devops-pro-dop-c02.sheet.html'])
    expect(emission.notices).toEqual([])
    expect(emission.diagnostics).toHaveLength(1)
    const [overflow] = emission.diagnostics!
    expect(overflow).toMatchObject({ ruleId: 'sheet-overflow', severity: 'warning', line: 1, column: 1 })
    const match = /^Unexpected notes too long for 1 page of A4 at the 6 pt floor, expected them to fit: the sheet prints on (\d+) pages at 6 pt; 1 page would need \d+(\.\d+)? pt; ask for `--pages \1`, or put fewer topics on the sheet/.exec(overflow!.message)
    expect(match, overflow!.message).not.toBeNull()
    // the file of the first topic on page 2
    const html = new TextDecoder().decode(emission.files[0]!.data as Uint8Array)
    const secondPage = html.split('<section class="page">')[1]!
    const first = /data-topic="([^"]+)"/.exec(secondPage)![1]
    expect(overflow!.file).toBe(notes.topics.find((t) => t.name === first)!.file)
  })

  it('fits the pages asked for: two pages, balanced, and says so', async () => {
    const notes = syntheticNotes({ topics: 38, factsPerTopic: 6, words: 12 })
    const emission = await sheetOutput.emit(context(notes, { paper: 'a4', pages: 2 }))
    expect(emission.diagnostics).toEqual([])
    expect(emission.notices?.[0]).toMatch(/^sheet: 2 pages at \d+(\.\d+)? pt in [4-7] columns$/)
    const html = new TextDecoder().decode(emission.files[0]!.data as Uint8Array)
    expect(html.match(/<section class="page/g)).toHaveLength(2)
    expect(html).toMatch(/--fill: \d+px/)
  })

  it('writes a sheet too long to fit in time as it is, says so, and goes on (no crash)', async () => {
    // The templates with a fit script that never ends, and a browser that waits 1.5 s for it.
    const templates = await mkdtemp(path.join(tmpdir(), 'cheatdeck-hang-'))
    const pool = createSheetBrowserPool({ fitTimeoutMs: 1500 })
    try {
      await cp(DEFAULT_TEMPLATES, templates, { recursive: true })
      await writeFile(path.join(templates, 'sheet', 'fit.js'), 'for (;;) {}\n')
      const notes = syntheticNotes({ topics: 4, factsPerTopic: 2, words: 6 })
      for (const pdf of [false, true]) {
        const emission = await sheetOutput.emit(context(notes, { paper: 'a4', pdf, browser: pool }, templates))
        expect(names(emission.files)).toEqual(['aws-devops-pro-dop-c02.sheet.html'])
        const html = new TextDecoder().decode(emission.files[0]!.data as Uint8Array)
        expect(html).toContain('for (;;) {}')
        expect(html).not.toContain('data-fit=')
        expect(emission.diagnostics).toEqual([])
        expect(emission.notices).toEqual([
          `sheet not measured at build time${pdf ? ' and no PDF written' : ''} (loading and fitting it in Chromium took over 2 s): put fewer topics on the sheet (\`--topics\`, \`--tags\`, or \`sheet:\` in deck.yaml), or build with --no-fit`,
        ])
      }
      // The page that hung was replaced: the same Chromium still fits a sheet that can be fitted.
      const fitted = await sheetOutput.emit(context(syntheticNotes({ topics: 4, factsPerTopic: 2, words: 6 }), { paper: 'a4', browser: pool }))
      expect(fitted.notices?.[0]).toMatch(/^sheet: one page at /)
      expect(pool.launches).toBe(1)
    } finally {
      await pool.close()
      await rm(templates, { recursive: true, force: true })
    }
  })
})
