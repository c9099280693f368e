/**
 * The sheet in a real browser: the system's Chromium (Debian's `chromium` package) driven by
 * playwright-core. It measures the fit (the sheet's own script, in print layout) and prints
 * the PDF. Never downloads a browser; every request the page tries is refused.
 *
 * playwright-core is loaded only when a browser is launched: it is the heaviest module
 * cheatdeck uses, and a build that neither fits nor prints never needs it.
 */
import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Paper } from './index.ts'

/** Finds and loads playwright-core (from `node_modules` beside the sources or the installed command). */
const require = createRequire(import.meta.url)

/**
 * Where distributions put Chromium. Debian's `/usr/bin/chromium` is a shell script (it checks the
 * CPU, sweeps old crash reports, reads /etc/chromium.d) that then starts `/usr/lib/chromium/chromium`:
 * started directly, Chromium is up ~0.2-0.3 s sooner, and playwright passes every flag it needs.
 */
const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium']

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

/** How long loading (and so fitting) a sheet may take before the build gives up on it. */
export const FIT_TIMEOUT_MS = 180_000

/**
 * Loading the sheet, and so fitting it, took longer than allowed: the build writes the sheet
 * unfitted (it fits itself when opened) instead of failing. Anything else that goes wrong in
 * Chromium is a crash.
 */
export class SheetLoadTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`loading and fitting it in Chromium took over ${Math.round(timeoutMs / 1000)} s`)
    this.name = 'SheetLoadTimeout'
  }
}

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
    require.resolve('playwright-core')
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
  /**
   * Let playwright close Chromium on SIGINT, SIGTERM and SIGHUP (ending the process on SIGINT),
   * as suits one build (default). A session keeping Chromium between builds closes it itself.
   */
  handleSignals?: boolean
  /** How long loading (and so fitting) one sheet may take; then `SheetLoadTimeout`. Default `FIT_TIMEOUT_MS`. */
  fitTimeoutMs?: number
}

export interface PrintOptions {
  paper: Paper
}

/** One Chromium for several pages (the build fits, then prints; the tests do more). */
export interface SheetBrowser {
  /**
   * Loads the sheet in print media, lets its script fit the type, reads the result. Fits and
   * prints take turns on one page, emptied (a fresh document and script globals) before each.
   */
  fit(html: string): Promise<FitResult>
  /** Prints the sheet to PDF on its CSS page size (`preferCSSPageSize`), backgrounds on. */
  printPdf(html: string, options: PrintOptions): Promise<Uint8Array>
  /**
   * A page with the sheet loaded, for tests to inspect; `requests` lists every URL the page
   * tried to load (all refused). Closed with the browser.
   */
  open(html: string, options?: { media?: 'print' | 'screen' }): Promise<{ page: Page; requests: string[] }>
  /** False once Chromium has closed, crashed or been killed. */
  isConnected(): boolean
  close(): Promise<void>
}

export async function launchSheetBrowser(options: SheetBrowserOptions = {}): Promise<SheetBrowser> {
  const executablePath = options.executablePath ?? findChromium()
  if (!executablePath) throw new Error(`No Chromium found: ${CHROMIUM_INSTALL_HINT}`)
  if (!playwrightInstalled()) throw new Error(`playwright-core is not installed: ${PLAYWRIGHT_INSTALL_HINT}`)
  // Required, not imported: playwright-core is CommonJS, and an `import` of it first has Node scan
  // its 12 MB of code for the names it exports (cjs-module-lexer, ~0.13 s of the ~0.65 s load on Node 20).
  const { chromium } = require('playwright-core') as typeof import('playwright-core')
  const signals = options.handleSignals ?? true
  const timeoutMs = options.fitTimeoutMs ?? FIT_TIMEOUT_MS
  const browser: Browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
    headless: true,
    handleSIGINT: signals,
    handleSIGTERM: signals,
    handleSIGHUP: signals,
  })
  // One context for everything: offline, and no requests beyond the HTML we hand it.
  const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 1000 } })
  const onKeptPage = keptPage(() => newPage(context, 'print'), timeoutMs)

  return {
    async open(html, { media = 'print' } = {}) {
      const requests: string[] = []
      const page = await newPage(context, media, requests)
      await load(page, html, timeoutMs)
      return { page, requests }
    },
    fit: (html) =>
      onKeptPage(html, async (page) => {
        const raw = await page.evaluate(() => document.documentElement.getAttribute('data-fit'))
        // The script runs while the page loads: no result by then means it failed or never ran.
        if (raw === null) throw new Error('the sheet was not fitted in Chromium: its fit script left no result (data-fit) when the page had loaded')
        return JSON.parse(raw) as FitResult
      }),
    printPdf: (html, { paper }) =>
      onKeptPage(html, async (page) => {
        const pdf = await page.pdf({
          preferCSSPageSize: true,
          printBackground: true,
          // Only used if the CSS page size were ignored.
          format: paper === 'letter' ? 'Letter' : 'A4',
          landscape: true,
        })
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)
      }),
    isConnected: () => browser.isConnected(),
    async close() {
      await browser.close()
    },
  }
}

/** A page that refuses every request (listing them in `requests`, when given), in `media`. */
async function newPage(context: BrowserContext, media: 'print' | 'screen', requests?: string[]): Promise<Page> {
  const page = await context.newPage()
  if (requests) page.on('request', (request) => void requests.push(request.url()))
  await page.route('**/*', (route) => route.abort('blockedbyclient'))
  await page.emulateMedia({ media })
  return page
}

/**
 * Loads the sheet, and so fits it: its inline script runs while the document is parsed, before
 * `load` (a long sheet on a busy machine takes a while). Nothing is polled after: waiting on a
 * function made each fit ~0.15 s slower (playwright injects its own script to run it).
 */
async function load(page: Page, html: string, timeoutMs: number): Promise<void> {
  try {
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs })
  } catch (error) {
    throw (error as Error | undefined)?.name === 'TimeoutError' ? new SheetLoadTimeout(timeoutMs) : error
  }
}

/**
 * Runs fits and prints one at a time on one page: a new page per fit costs about twice the fit
 * (measured on the shipped notes). A page that had a sheet goes to `about:blank` before the next,
 * since `setContent` alone keeps the last sheet's script globals (a new page is blank already:
 * the one-shot build's single fit skips that navigation); a page that failed is replaced.
 */
function keptPage(create: () => Promise<Page>, timeoutMs: number): <T>(html: string, use: (page: Page) => Promise<T>) => Promise<T> {
  let kept: Promise<Page> | undefined
  let used = false
  const inTurn = takingTurns()
  return (html, use) =>
    inTurn(async () => {
      if (!kept) {
        kept = create()
        used = false
      }
      const page = await kept.catch((error: unknown) => {
        kept = undefined
        throw error
      })
      try {
        if (used) await page.goto('about:blank')
        used = true
        await load(page, html, timeoutMs)
        return await use(page)
      } catch (error) {
        kept = undefined
        await page.close().catch(() => {})
        throw error
      }
    })
}

/**
 * Runs async steps one at a time, in the order given: each starts when the one before has settled
 * (a step that failed does not stop the next).
 */
export function takingTurns(): <T>(step: () => Promise<T>) => Promise<T> {
  let turn: Promise<unknown> = Promise.resolve()
  return (step) => {
    const run = turn.then(step)
    turn = run.catch(() => {})
    return run
  }
}
