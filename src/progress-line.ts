/**
 * The CLI's progress line: on a terminal, a build (or watch rebuild) that runs past about a second
 * says what it is doing on one line of stderr, rewritten in place and wiped before the report.
 * Never in `--json` output, never when stderr is not a terminal (the CLI decides; see `cli.ts`).
 */
import type { ProgressStep } from './compile.ts'

/** Shown only once a build has run this long: quick builds print nothing extra. */
export const PROGRESS_DELAY_MS = 1000
/** At most this often, so a 50 000-fact parse does not spend its time repainting. */
const REPAINT_MS = 100

export interface ProgressLine {
  /** Takes the build's latest step (a `read` step starts a new build). */
  update(step: ProgressStep): void
  /** Wipes the line, if shown, and stops the timer (before the report is printed). */
  clear(): void
}

export function progressLine(write: (text: string) => void, delayMs = PROGRESS_DELAY_MS): ProgressLine {
  let started = 0
  let latest: ProgressStep | undefined
  let shown = false
  let painted = 0
  let timer: NodeJS.Timeout | undefined
  const paint = (): void => {
    if (!latest) return
    painted = performance.now()
    shown = true
    write(`\r\x1b[2K${describe(latest)}`)
  }
  const stop = (): void => {
    clearTimeout(timer)
    timer = undefined
  }
  return {
    update(step) {
      const now = performance.now()
      if (step.stage === 'read' || !started) {
        started = now
        stop()
        timer = setTimeout(paint, delayMs)
        timer.unref()
      }
      latest = step
      if (now - started >= delayMs && now - painted >= Math.min(REPAINT_MS, delayMs)) paint()
    },
    clear() {
      stop()
      if (shown) write('\r\x1b[2K')
      shown = false
      started = 0
      latest = undefined
    },
  }
}

function describe(step: ProgressStep): string {
  if (step.stage === 'parse' && step.total !== undefined) return `cheatdeck: parsing notes, ${step.done ?? 0} of ${step.total} files`
  const names: Record<string, string> = { read: 'reading notes', facts: 'ids, lockfile and card checks', dataset: 'writing the dataset', sheet: 'rendering the sheet', apkg: 'writing the Anki deck', write: 'writing files' }
  return `cheatdeck: ${names[step.stage] ?? step.stage}…`
}
