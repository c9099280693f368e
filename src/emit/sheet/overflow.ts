/**
 * What the build says when the sheet does not fit the pages asked for at the type floor: the
 * sheet then continues onto more pages (nothing is dropped), and the warning says how many it
 * takes and what the pages asked for would need.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics.ts'
import type { Notes } from '../../facts/model.ts'
import type { FitResult } from './browser.ts'
import { PAPERS, type Paper } from './index.ts'

const pages = (n: number): string => `${n} page${n === 1 ? '' : 's'}`

/** `fits 3 pages at 6 pt; 1 page needs 2.4 pt` */
export function describeOverflow(fit: FitResult): string {
  const needs = fit.fitsAtPt === null ? 'type under 1 pt' : `${fit.fitsAtPt} pt`
  return `fits ${pages(fit.pages)} at ${fit.fontSizePt} pt; ${pages(fit.requestedPages)} ${fit.requestedPages === 1 ? 'needs' : 'need'} ${needs}`
}

/** The warnings for a fit: none when the notes fit the pages asked for. */
export function overflowDiagnostics(fit: FitResult, notes: Notes, paper: Paper): Diagnostic[] {
  const inOrder = [...notes.topics].sort((a, b) => a.order - b.order)
  const paperName = PAPERS[paper].id === 'a4' ? 'A4' : 'Letter'
  const diagnostics: Diagnostic[] = []
  if (!fit.fits) {
    // Pointed at the first topic that spills past the pages asked for.
    const spill = inOrder[fit.breaks[fit.requestedPages - 1] ?? -1]?.file ?? inOrder[0]?.file ?? 'deck.yaml'
    diagnostics.push(
      diagnostic(
        'warning',
        'sheet-overflow',
        { file: spill, line: 1, column: 1 },
        `Unexpected notes too long for ${pages(fit.requestedPages)} of ${paperName} at the ${fit.fontSizePt} pt floor, expected them to fit: ` +
        `the sheet continues onto ${pages(fit.pages)} (${describeOverflow(fit)}); ` +
        `ask for \`--pages ${fit.pages}\`, or put fewer topics on the sheet (\`--topics\`, \`--tags\`, \`sheet: false\`)`,
      ),
    )
  }
  for (const name of fit.oversize) {
    const file = inOrder.find((t) => t.name === name)?.file ?? 'deck.yaml'
    diagnostics.push(
      diagnostic(
        'warning',
        'sheet-overflow',
        { file, line: 1, column: 1 },
        `Unexpected topic \`${name}\` bigger than a whole ${paperName} page at ${fit.fontSizePt} pt, expected it to fit on one: its end is cut off the sheet; split it into topics`,
      ),
    )
  }
  return diagnostics
}
