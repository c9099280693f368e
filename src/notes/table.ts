/**
 * A GFM table → one fact per row: the first cell names the row, the header cells label the
 * values, the section heading above is the caption. Pure: the row facts (without their section
 * and position, which the walker adds) or the problem with each row.
 */
import type { Cloze, Nodes, PhrasingContent, Table, TableRow as RowNode } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { TableRow } from '../facts/model.ts'
import type { RuleId } from '../rules/index.ts'
import { readRow } from './forms/index.ts'
import { plain } from './forms/text.ts'
import { takeHashtags } from './hashtags.ts'
import type { RawFact } from './parse.ts'
import { numberClozes } from './remark-cloze.ts'

const PIN = /(^|\s)\^([A-Za-z0-9][A-Za-z0-9_-]*)\s*$/
/** A trailing `^…` of letters and digits of any script: a pin to Obsidian only when all ASCII. */
const UNICODE_PIN = /(^|\s)\^([\p{L}\p{N}][\p{L}\p{N}\p{M}_-]*)\s*$/u

export type RowReading =
  | { node: RowNode; fact: Omit<RawFact, 'section' | 'source'>; notPin?: string; short?: string }
  | { node: RowNode | Table; problem: [RuleId, string] }

export function readTable(table: Table, caption: string, value: string): RowReading[] {
  const [header, ...rows] = table.children
  if (!header) return []
  const headers = header.children.map((cell) => toString(cell).trim())
  if (rows.length === 0) return [{ node: table, problem: ['empty-section', 'Unexpected table without rows, expected one row per fact'] }]
  return rows.map((row): RowReading => {
    const rowSource = value.slice(row.position?.start.offset ?? 0, row.position?.end.offset ?? 0)
    const declared = rowSource.replace(/\\\|/g, '').replace(/`[^`]*`/g, '').split('|').length - (rowSource.trim().startsWith('|') ? 1 : 0) - (rowSource.trim().endsWith('|') ? 1 : 0)
    const [labelCell, ...valueCells] = row.children
    // More cells than headers would lose the extra ones: an error. Fewer are empty, as GFM reads them.
    const count = Math.max(declared, row.children.length)
    if (!labelCell || count > headers.length) {
      // GFM ends a cell at a `|` even inside backticks (`a || b`): the cause, when the count is that.
      const why = row.children.length > declared ? ' (a `|` inside backticks ends the cell too: write it `\\|`)' : ''
      return { node: row, problem: ['ragged-table', `Unexpected row of ${count} cells, expected ${headers.length} like the header row${why}`] }
    }
    const short = declared < headers.length || row.children.length < headers.length
    const pin = takePin(labelCell.children)
    const notPin = pin ? undefined : notAPin(labelCell.children)
    const tags = takeHashtags(row.children)
    const clozes = collectClozes(row)
    numberClozes(clozes)
    const label = plain(labelCell.children)
    if (!label) return { node: row, problem: ['empty-fact', 'Unexpected row without a name in its first cell, expected the row\'s name there'] }
    const cells = headers.slice(1).map((header, index) => {
      const tree = valueCells[index]?.children ?? []
      return { header, value: plain(tree), tree }
    })
    const tableRow: TableRow = { caption, labelHeader: headers[0] ?? '', label, labelTree: labelCell.children, cells }
    const text = `${label}: ${cells.map((c) => `${c.header}: ${c.value}`).join('; ')}`
    const markdown = (pin ? rowSource.replace(new RegExp(`\\s+\\^${pin}(?=\\s*(\\||$))`), '') : rowSource).trim()
    const card = readRow({ row: tableRow, clozes })
    const fact: Omit<RawFact, 'section' | 'source'> = { text, markdown, body: { type: 'row', row: tableRow }, card, keyWords: label, tags }
    if (pin) fact.pin = pin
    const reading: RowReading = { node: row, fact }
    if (notPin) reading.notPin = notPin
    if (short) reading.short = `Unexpected row of ${declared} cells, expected ${headers.length} like the header row (the missing ones are empty)`
    return reading
  })
}

/** Removes a trailing `^pin` from inline content (in place) and returns it. */
export function takePin(children: PhrasingContent[]): string | undefined {
  const last = children[children.length - 1]
  if (last?.type !== 'text') return undefined
  const match = PIN.exec(last.value)
  if (!match) return undefined
  last.value = last.value.slice(0, match.index + (match[1]?.length ?? 0)).replace(/\s+$/, '')
  if (!last.value) children.pop()
  return match[2]
}

/** What reads as a pin at the end but is not one (`^café`: Obsidian's block ids are ASCII). */
export function notAPin(children: PhrasingContent[]): string | undefined {
  const last = children[children.length - 1]
  return last?.type === 'text' ? UNICODE_PIN.exec(last.value)?.[2] : undefined
}

export function collectClozes(node: Nodes): Cloze[] {
  const found: Cloze[] = []
  const walk = (child: Nodes): void => {
    if (child.type === 'cloze') found.push(child)
    if ('children' in child) for (const grandchild of child.children) walk(grandchild)
  }
  walk(node)
  return found
}
