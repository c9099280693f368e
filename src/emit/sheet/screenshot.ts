/**
 * `npm run screenshot`: compiles notes/, fits and prints the sheet in Chromium, and turns the
 * PDF's page into `templates/sheet/preview.png` (poppler's pdftoppm) for the README.
 * Usage: tsx src/emit/sheet/screenshot.ts [--paper a4|letter] [--out file.png]
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { compile, currentTime } from '../../index.ts'
import { CHROMIUM_INSTALL_HINT, findChromium, launchSheetBrowser } from './browser.ts'
import { loadSheetTemplates, renderSheet, type Paper } from './index.ts'

const { values } = parseArgs({
  options: {
    paper: { type: 'string', default: 'a4' },
    out: { type: 'string', default: 'templates/sheet/preview.png' },
    notes: { type: 'string', default: 'notes' },
  },
})
const paper = values.paper as Paper
if (paper !== 'a4' && paper !== 'letter') throw new Error(`Unexpected paper \`${paper}\`, expected a4 or letter`)
if (!findChromium()) {
  console.error(`screenshot: no Chromium: ${CHROMIUM_INSTALL_HINT}`)
  process.exit(1)
}

const { notes } = await compile({ notes: values.notes, now: 0 })
const templates = await loadSheetTemplates('templates/sheet')
const buildDate = new Date(currentTime() * 1000).toISOString().slice(0, 10)
const browser = await launchSheetBrowser()
const dir = await mkdtemp(join(tmpdir(), 'cheatdeck-screenshot-'))
try {
  const fit = await browser.fit(renderSheet(notes, { templates, paper, buildDate }))
  const html = renderSheet(notes, { templates, paper, buildDate, fit })
  const pdf = join(dir, 'sheet.pdf')
  await writeFile(pdf, await browser.printPdf(html, { paper }))
  const out = values.out.replace(/\.png$/, '')
  execFileSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', pdf, out])
  console.error(
    `screenshot: wrote ${out}.png (${paper}, ${fit.fontSizePt} pt, ${fit.columns} columns` +
      (fit.fits ? ')' : `; does NOT fit: would need ${fit.fitsAtPt} pt; off the page: ${fit.overflowing.join(', ')})`),
  )
} finally {
  await browser.close()
  await rm(dir, { recursive: true, force: true })
}
