/**
 * What the build says when the sheet does not fit the pages asked for at the type floor: the
 * sheet then continues onto more pages (nothing is dropped), and the warning says how many it
 * takes and what the pages asked for would need. A topic longer than a page continues too; only a
 * single fact bigger than a whole page (which is never cut) loses its end, and gets a warning.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics.ts'
import type { Notes } from '../../facts/model.ts'
import type { FitResult } from './browser.ts'
import { PAPERS, type Paper } from './index.ts'

const pages = (n: number): string => `${n} page${n === 1 ? '' : 's'}`

/** `prints on 3 pages at 6 pt; 1 page would need 2.4 pt` */
export function describeOverflow(fit: FitResult): string {
  const needs = fit.fitsAtPt === null ? 'type under 1 pt' : `${fit.fitsAtPt} pt`
  return `prints on ${pages(fit.pages)} at ${fit.fontSizePt} pt; ${pages(fit.requestedPages)} would need ${needs}`
}

/** The warnings for a fit: none when the notes fit the pages asked for. */
export function overflowDiagnostics(fit: FitResult, notes: Notes, paper: Paper): Diagnostic[] {
  const inOrder = [...notes.topics].sort((a, b) => a.order - b.order)
  const paperName = PAPERS[paper].id === 'a4' ? 'A4' : 'Letter'
  const diagnostics: Diagnostic[] = []
  if (fit.pages > fit.requestedPages) {
    // Pointed at the first topic that spills past the pages asked for.
    const spill = fit.breaks[fit.requestedPages - 1]
    const topic = spill === undefined ? undefined : inOrder[topicOfBox(spill, inOrder.length, fit.splits ?? [])]
    diagnostics.push(
      diagnostic(
        'warning',
        'sheet-overflow',
        { file: topic?.file || inOrder[0]?.file || 'deck.yaml', line: 1, column: 1 },
        `Unexpected notes too long for ${pages(fit.requestedPages)} of ${paperName} at the ${fit.fontSizePt} pt floor, expected them to fit: ` +
          `the sheet ${describeOverflow(fit)}; ` +
          `ask for \`--pages ${fit.pages}\`, or put fewer topics on the sheet (\`--topics\`, \`--tags\`, \`sheet: false\`)`,
      ),
    )
  }
  const facts = new Map(notes.facts.map((f) => [f.id, f]))
  for (const id of fit.oversize) {
    const place = facts.get(id)?.source ?? { file: inOrder[0]?.file || 'deck.yaml', line: 1, column: 1 }
    diagnostics.push(
      diagnostic(
        'warning',
        'sheet-overflow',
        place,
        `Unexpected fact bigger than a whole ${paperName} page at ${fit.fontSizePt} pt, expected it to fit on one: its end is cut off the sheet; split it into shorter facts`,
      ),
    )
  }
  return diagnostics
}

/** The topic (index in print order) of a box: the topics, each followed by one box per cut inside it. */
function topicOfBox(box: number, topicCount: number, splits: readonly [number, number][]): number {
  let first = 0
  for (let topic = 0; topic < topicCount; topic++) {
    first += 1 + splits.filter(([t, fact]) => t === topic && fact > 0).length
    if (box < first) return topic
  }
  return topicCount - 1
}
