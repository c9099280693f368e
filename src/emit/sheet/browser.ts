/**
 * The sheet in a real browser: the system's Chromium (Debian's `chromium` package) driven by
 * playwright-core. It measures the fit (the sheet's own script, in print layout) and prints
 * the PDF. Never downloads a browser; every request the page tries is refused.
 *
 * playwright-core is imported only when a browser is launched: it is the heaviest module
 * cheatdeck uses, and a build that neither fits nor prints never needs it.
 */
import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, Page } from 'playwright-core'
import type { Paper } from './index.ts'

/** Where Debian (and most distributions) put Chromium. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium']

/** Headless, and nothing that would reach the network in the background. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** How long loading (and so fitting) a sheet may take before the build gives up. */
const FIT_TIMEOUT_MS = 180_000

/** How to get a Chromium, for the message the build shows when there is none. */
export const CHROMIUM_INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH to its executable'

/** How to get playwright-core, for the message shown when an install lacks it. */
export const PLAYWRIGHT_INSTALL_HINT =
  'install playwright-core, which drives Chromium (`npm install playwright-core`)'

/** What fitting or printing the sheet needs: a Chromium to launch, or why there is none here. */
export type SheetBrowserLookup = { executablePath: string } | { missing: string; hint: string }

/** Finds a Chromium and checks that playwright-core is installed, without loading it. */
export function findSheetBrowser(env: NodeJS.ProcessEnv = process.env): SheetBrowserLookup {
  if (!playwrightInstalled()) return { missing: 'playwright-core not installed', hint: PLAYWRIGHT_INSTALL_HINT }
  const executablePath = findChromium(env)
  return executablePath ? { executablePath } : { missing: 'no Chromium found', hint: CHROMIUM_INSTALL_HINT }
}

function playwrightInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('playwright-core')
    return true
  } catch {
    return false
  }
}

/** The Chromium executable: `CHROMIUM_PATH` when set, else the first system install found. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env['CHROMIUM_PATH']
  if (fromEnv) return executable(fromEnv) ? fromEnv : undefined
  return CHROMIUM_CANDIDATES.find(executable)
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** What the sheet's fit found, in print layout (`templates/sheet/fit.js`). */
export interface FitResult {
  /** Root (body text) size, in pt; never under the floor. */
  fontSizePt: number
  /** Column count chosen. */
  columns: number
  /** Pages the sheet takes: the pages asked for or fewer when it fits, more when it doesn't. */
  pages: number
  /** The pages asked for (`--pages`). */
  requestedPages: number
  /** Whether every topic fits on the pages asked for at or above the floor. */
  fits: boolean
  /**
   * The largest type (pt) at which everything fits on the pages asked for: `fontSizePt` when it
   * fits; below the floor when it doesn't (so the build can say how much to cut: text area goes
   * with its square); null when not even 1 pt would do.
   */
  fitsAtPt: number | null
  /** Index (in print order, continuations counted) of the first topic box of each page after the first. */
  breaks: number[]
  /** Height (CSS px) each page's topic area is cut to so the pages balance; null on one page. */
  fillPx: number | null
  /** Ids of facts bigger than a whole page even at the floor (clipped): normally none. */
  oversize: string[]
  /** Where topics are cut to continue in the next column or page (`SheetFit.splits`); absent: nowhere. */
  splits?: [number, number][]
}

export interface SheetBrowserOptions {
  /** Default: `findChromium()`. */
  executablePath?: string
}

export interface PrintOptions {
  paper: Paper
}

/** One Chromium for several pages (the build fits, then prints; the tests do more). */
export interface SheetBrowser {
  /** Loads the sheet in print media, lets its script fit the type, reads the result. */
  fit(html: string): Promise<FitResult>
  /** Prints the sheet to PDF on its CSS page size (`preferCSSPageSize`), backgrounds on. */
  printPdf(html: string, options: PrintOptions): Promise<Uint8Array>
  /**
   * A page with the sheet loaded, for tests to inspect; `requests` lists every URL the page
   * tried to load (all refused). Closed with the browser.
   */
  open(html: string, options?: { media?: 'print' | 'screen' }): Promise<{ page: Page; requests: string[] }>
  close(): Promise<void>
}

export async function launchSheetBrowser(options: SheetBrowserOptions = {}): Promise<SheetBrowser> {
  const executablePath = options.executablePath ?? findChromium()
  if (!executablePath) throw new Error(`No Chromium found: ${CHROMIUM_INSTALL_HINT}`)
  if (!playwrightInstalled()) throw new Error(`playwright-core is not installed: ${PLAYWRIGHT_INSTALL_HINT}`)
  const { chromium } = await import('playwright-core')
  const browser: Browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true })
  // One context for everything: offline, and no requests beyond the HTML we hand it.
  const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 1000 } })

  async function open(html: string, { media = 'print' }: { media?: 'print' | 'screen' } = {}) {
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (request) => {
      requests.push(request.url())
    })
    await page.route('**/*', (route) => route.abort('blockedbyclient'))
    await page.emulateMedia({ media })
    // The fit runs before `load`: a long sheet on a busy machine takes a while.
    await page.setContent(html, { waitUntil: 'load', timeout: FIT_TIMEOUT_MS })
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-fit'), undefined, {
      timeout: FIT_TIMEOUT_MS,
    })
    return { page, requests }
  }

  return {
    open,
    async fit(html) {
      const { page } = await open(html, { media: 'print' })
      try {
        const raw = await page.evaluate(() => document.documentElement.getAttribute('data-fit'))
        return JSON.parse(raw ?? 'null') as FitResult
      } finally {
        await page.close()
      }
    },
    async printPdf(html, { paper }) {
      const { page } = await open(html, { media: 'print' })
      try {
        const pdf = await page.pdf({
          preferCSSPageSize: true,
          printBackground: true,
          // Only used if the CSS page size were ignored.
          format: paper === 'letter' ? 'Letter' : 'A4',
          landscape: true,
        })
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)
      } finally {
        await page.close()
      }
    },
    async close() {
      await browser.close()
    },
  }
}
