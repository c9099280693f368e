/**
 * One Chromium kept for the builds of a session (`build --watch`), so a rebuild whose sheet
 * changed fits it without importing playwright-core and starting Chromium again (about 1.5–2 s
 * of each such rebuild). Launched the first time a build fits or prints, never before; launched
 * again when the last one closed, crashed or was killed; closed with the session.
 */
import { launchSheetBrowser, takingTurns, type SheetBrowser } from './browser.ts'

export interface SheetBrowserPool {
  /** The kept Chromium (at `executablePath`), launched now if none is running. */
  get(options: { executablePath: string }): Promise<SheetBrowser>
  /** How many times this pool has started Chromium. */
  readonly launches: number
  /** Closes the kept Chromium, if any; a later `get` starts another. */
  close(): Promise<void>
}

export interface SheetBrowserPoolOptions {
  /** How long loading (and so fitting) one sheet may take (default `FIT_TIMEOUT_MS`, 3 minutes). */
  fitTimeoutMs?: number
}

export function createSheetBrowserPool(options: SheetBrowserPoolOptions = {}): SheetBrowserPool {
  let kept: { executablePath: string; browser: SheetBrowser } | undefined
  let launches = 0
  // Gets and closes take turns: two builds asking at once share one launch.
  const inTurn = takingTurns()
  const drop = async (): Promise<void> => {
    const old = kept
    kept = undefined
    // A browser that died is closed too: playwright frees what is left of it.
    await old?.browser.close().catch(() => {})
  }

  return {
    get launches() {
      return launches
    },
    get: ({ executablePath }) =>
      inTurn(async () => {
        if (kept?.executablePath === executablePath && kept.browser.isConnected()) return kept.browser
        await drop()
        // The session closes it (on Ctrl-C too): playwright's own signal handlers would end the process.
        const browser = await launchSheetBrowser({ executablePath, handleSignals: false, ...options })
        launches++
        kept = { executablePath, browser }
        return browser
      }),
    close: () => inTurn(drop),
  }
}
