/**
 * `npm run screenshot`: compiles a notes folder, fits and prints its sheet in Chromium, and turns
 * the PDF's pages into a PNG for the README (poppler's pdftoppm; several pages side by side).
 * Usage: tsx src/emit/sheet/screenshot.ts [--notes dir] [--paper a4|letter] [--pages n] [--min-font pt] [--out file.png]
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { isoDate } from '../../facts/clock.ts'
import { compile, currentTime } from '../../index.ts'
import { CHROMIUM_INSTALL_HINT, findChromium, launchSheetBrowser, type SheetBrowser } from './browser.ts'
import { loadSheetTemplates, renderSheet, type Paper } from './index.ts'
import { describeOverflow } from './overflow.ts'

const { values } = parseArgs({
  options: {
    paper: { type: 'string', default: 'a4' },
    out: { type: 'string', default: 'templates/sheet/preview.png' },
    notes: { type: 'string', default: 'notes' },
    pages: { type: 'string', default: '1' },
    'min-font': { type: 'string', default: '6' },
  },
})
const paper = values.paper as Paper
if (paper !== 'a4' && paper !== 'letter') throw new Error(`Unexpected paper \`${paper}\`, expected a4 or letter`)
const pages = Number(values.pages)
if (!Number.isInteger(pages) || pages < 1) throw new Error(`Unexpected --pages \`${values.pages}\`, expected a whole number from 1`)
const minFontPt = Number(values['min-font'])
if (!findChromium()) {
  console.error(`screenshot: no Chromium: ${CHROMIUM_INSTALL_HINT}`)
  process.exit(1)
}

const { notes } = await compile({ notes: values.notes, now: 0 })
const templates = await loadSheetTemplates('templates/sheet')
const buildDate = isoDate(currentTime())
const browser = await launchSheetBrowser()
const dir = await mkdtemp(join(tmpdir(), 'cheatdeck-screenshot-'))
try {
  const options = { templates, paper, buildDate, pages, minFontPt }
  const fit = await browser.fit(renderSheet(notes, options))
  const html = renderSheet(notes, { ...options, fit })
  const pdf = join(dir, 'sheet.pdf')
  await writeFile(pdf, await browser.printPdf(html, { paper }))
  execFileSync('pdftoppm', ['-png', '-r', fit.pages === 1 ? '110' : '80', pdf, join(dir, 'page')])
  const images = (await readdir(dir)).filter((f) => f.startsWith('page')).sort()
  await writeFile(values.out, await sideBySide(browser, await Promise.all(images.map((f) => readFile(join(dir, f))))))
  console.error(
    `screenshot: wrote ${values.out} (${paper}, ${fit.pages} page${fit.pages === 1 ? '' : 's'}, ${fit.fontSizePt} pt, ${fit.columns} columns` +
      (fit.fits ? ')' : `; does NOT fit ${pages} page${pages === 1 ? '' : 's'}: ${describeOverflow(fit)})`),
  )
} finally {
  await browser.close()
  await rm(dir, { recursive: true, force: true })
}

/** One page as it is; several side by side on grey, shot in the same Chromium. */
async function sideBySide(browser: SheetBrowser, pngs: Buffer[]): Promise<Uint8Array> {
  if (pngs.length === 1) return pngs[0]!
  const imgs = pngs.map((png) => `<img src="data:image/png;base64,${png.toString('base64')}">`).join('')
  const { page } = await browser.open(
    `<!doctype html><style>body{margin:0;display:inline-flex;gap:16px;padding:16px;background:#8a9099}img{display:block;box-shadow:0 2px 10px #0007}</style>${imgs}<script>document.documentElement.setAttribute('data-fit','{}')</script>`,
    { media: 'screen' },
  )
  try {
    const size = await page.evaluate(() => ({ width: document.body.scrollWidth, height: document.body.scrollHeight }))
    await page.setViewportSize(size)
    return await page.screenshot({ fullPage: true, type: 'png' })
  } finally {
    await page.close()
  }
}
