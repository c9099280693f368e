/**
 * Fact content for hand-built `Notes` (the emitters' tests), read from markdown by the real
 * parser pieces: remark (+ gfm) and remark-cloze make the tree, the card form registry reads it.
 */
import type { Cloze, Nodes, Root, Table } from 'mdast'
import { toString } from 'mdast-util-to-string'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import type { Blocks, CardParts, FactBody, TableRow } from '../../src/facts/model.ts'
import { readItem, readRow, type ItemInput, type RowInput } from '../../src/notes/forms/index.ts'
import { plain } from '../../src/notes/forms/text.ts'
import remarkCloze, { numberClozes } from '../../src/notes/remark-cloze.ts'

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkCloze)

function tree(markdown: string): { root: Root; clozes: Cloze[] } {
  const file = new VFile(markdown)
  const root = processor.runSync(processor.parse(file), file) as Root
  const clozes = collectClozes([root])
  numberClozes(clozes)
  return { root, clozes }
}

function collectClozes(nodes: Nodes[]): Cloze[] {
  const found: Cloze[] = []
  const visit = (node: Nodes): void => {
    if (node.type === 'cloze') found.push(node)
    if ('children' in node) for (const child of node.children) visit(child)
  }
  for (const node of nodes) visit(node)
  return found
}

export interface FactContent {
  body: FactBody
  card: CardParts
  text: string
}

/** A list item's content (`markdown` is the item's text, without `- `). */
export function itemContent(markdown: string): FactContent {
  const { root, clozes } = tree(markdown)
  const blocks = root.children as Blocks
  const reading = readItem({ blocks, clozes })
  return { body: { type: 'item', blocks }, card: reading.card, text: reading.text }
}

/** A table row's content: `headers` and `cells` are markdown, the first cell names the row. */
export function rowContent(caption: string, headers: string[], cells: string[]): FactContent {
  const line = (values: string[]) => `| ${values.join(' | ')} |`
  const { root, clozes } = tree([line(headers), line(headers.map(() => '---')), line(cells)].join('\n'))
  const table = root.children[0] as Table
  const [labelCell, ...valueCells] = table.children[1]!.children
  const labels = table.children[0]!.children.map((cell) => toString(cell).trim())
  const row: TableRow = {
    caption,
    labelHeader: labels[0] ?? '',
    label: plain(labelCell!.children),
    labelTree: labelCell!.children,
    cells: valueCells.map((cell, i) => ({ header: labels[i + 1] ?? '', value: plain(cell.children), tree: cell.children })),
  }
  const text = `${row.label}: ${row.cells.map((c) => `${c.header}: ${c.value}`).join('; ')}`
  return { body: { type: 'row', row }, card: readRow({ row, clozes }), text }
}

/** What a card form reads from a list item (`markdown` is the item's text, without `- `). */
export function itemInput(markdown: string): ItemInput {
  const { root, clozes } = tree(markdown)
  return { blocks: root.children as Blocks, clozes }
}

/** What a card form reads from a table row. */
export function rowInput(caption: string, headers: string[], cells: string[]): RowInput {
  const content = rowContent(caption, headers, cells)
  if (content.body.type !== 'row') throw new Error('not a row')
  const { row } = content.body
  return { row, clozes: collectClozes([...row.labelTree, ...row.cells.flatMap((c) => c.tree)]) }
}
