/**
 * One topic file → its metadata and raw facts (without ids and GUIDs, which need every file).
 * The tree comes from unified + remark-parse (+ gfm, frontmatter) and remark-cloze; this module
 * walks it: headings make sections, list items and table rows make facts.
 */
import path from 'node:path'
import type { Cloze, ListItem, Nodes, Paragraph, PhrasingContent, Root, RootContent, Table, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Position } from 'unist'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'
import { VFile } from 'vfile'
import { adopt, Diagnostics, type Diagnostic, type Place } from '../diagnostics.ts'
import type { Blocks, CardParts, Fact, FactBody, SourcePosition, TableRow } from '../facts/model.ts'
import { readItem, readRow } from './forms/index.ts'
import { plain } from './forms/text.ts'
import { readFrontmatter, type TopicMeta } from './frontmatter.ts'
import { findTooDeep, MAX_NESTING } from './nesting.ts'
import './linear-edit-map.ts'
import remarkCardOnly from './remark-card-only.ts'
import remarkCloze, { numberClozes } from './remark-cloze.ts'
import remarkIgnoreComments from './remark-ignore-comments.ts'

export { topicIdFromPath, type TopicMeta } from './frontmatter.ts'

/** A fact as one file knows it: what the file says, without the identity that needs every file. */
export interface RawFact extends Pick<Fact, 'section' | 'text' | 'markdown' | 'body' | 'source'> {
  /** The card the fact's markup makes (see `./forms/`). */
  card: CardParts
  pin?: string
  /** The words a derived id is made of (cloze answers, the term, the question, or the text). */
  keyWords: string
}

export interface ParsedTopic {
  file: string
  meta: TopicMeta | undefined
  title: string | undefined
  facts: RawFact[]
  diagnostics: Diagnostic[]
}

/** Longest fact text a card can hold and stay a card. */
export const MAX_FACT_CHARS = 2000

const PIN = /(^|\s)\^([A-Za-z0-9][A-Za-z0-9_-]*)\s*$/
/** A trailing `^…` of letters and digits of any script: a pin to Obsidian only when all ASCII. */
const UNICODE_PIN = /(^|\s)\^([\p{L}\p{N}][\p{L}\p{N}\p{M}_-]*)\s*$/u

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).use(remarkIgnoreComments).use(remarkCloze).use(remarkCardOnly)

/** Parses one topic file. Pure: text in, topic and positioned diagnostics out. */
export function parseTopic(file: string, value: string): ParsedTopic {
  const vfile = new VFile({ path: file, value })
  const diagnostics = new Diagnostics()
  const result: ParsedTopic = { file, meta: undefined, title: undefined, facts: [], diagnostics: diagnostics.list }
  if (!value.trim()) {
    diagnostics.error('empty-file', { file, line: 1, column: 1 }, 'Unexpected empty file, expected frontmatter, a `# Title` and facts')
    return result
  }
  const deep = findTooDeep(value)
  if (deep) {
    diagnostics.error('too-deep', { file, line: deep.line, column: deep.column }, `Unexpected block quotes or lists nested over ${MAX_NESTING} levels deep, expected at most ${MAX_NESTING} (flatten the notes)`)
    return result
  }
  try {
    readTopic(vfile, diagnostics, result)
  } catch (error) {
    // Inline markup nested thousands of times (emphasis in emphasis) can still overflow the stack
    // of the recursive tree walkers: the file is refused, the build goes on.
    if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error
    Object.assign(result, { meta: undefined, title: undefined, facts: [] })
    diagnostics.list.length = 0
    diagnostics.error('too-deep', { file, line: 1, column: 1 }, 'Unexpected markup nested too deep to read, expected emphasis, links and lists a few levels deep')
  }
  return result
}

function readTopic(vfile: VFile, diagnostics: Diagnostics, result: ParsedTopic): void {
  const { file } = result
  const tree = processor.runSync(processor.parse(vfile), vfile) as Root
  // remark-cloze's messages are kept as made, on this file.
  for (const message of vfile.messages) diagnostics.list.push(adopt(message))

  const walker = new TopicWalker(file, String(vfile.value), diagnostics)
  result.meta = walker.frontmatter(tree)
  // Without its closing `---` the whole file is one broken frontmatter block: nothing else to read.
  if (walker.unterminated) return
  walker.walk(tree)
  result.title = walker.title
  result.facts = walker.facts
}

class TopicWalker {
  title: string | undefined
  facts: RawFact[] = []
  unterminated = false
  /** Facts met, kept or not (a fact too long is reported once, not again as a missing fact). */
  private seen = 0
  private section: string[] = []
  /** Open headings and whether a fact came under them yet. */
  private headings: { depth: number; text: string; place: SourcePosition; facts: number }[] = []

  constructor(
    private readonly file: string,
    private readonly value: string,
    private readonly diagnostics: Diagnostics,
  ) {}

  /** The file's first character. */
  private at0(): SourcePosition {
    return { file: this.file, line: 1, column: 1 }
  }

  /** Where a node starts: the parser's own line and column (no rescan of the text, so linear). */
  private start(node: { position?: Position | undefined }): SourcePosition {
    const point = node.position?.start
    return { file: this.file, line: point?.line ?? 1, column: point?.column ?? 1 }
  }

  /** A node's span, for a message about it. */
  private range(node: { position?: Position | undefined }): Place {
    const end = node.position?.end
    return end ? { ...this.start(node), end: { line: end.line, column: end.column } } : this.start(node)
  }

  frontmatter(tree: Root): TopicMeta | undefined {
    const read = readFrontmatter(tree, this.file, this.value, this.diagnostics)
    this.unterminated = read.unterminated
    return read.meta
  }

  walk(tree: Root): void {
    for (const node of tree.children) this.block(node)
    this.closeHeadings(1)
    if (this.title === undefined) {
      const first = tree.children.find((n) => n.type !== 'yaml')
      this.diagnostics.error('missing-title', first ? this.range(first) : this.at0(), 'Unexpected topic without a title, expected a `# Title` heading')
    }
    if (this.seen === 0 && this.title !== undefined) {
      const end = tree.position?.end
      const place = { file: this.file, line: end?.line ?? 1, column: end?.column ?? 1 }
      this.diagnostics.error('empty-file', place, 'Unexpected end of file without facts, expected list items or a table')
    }
  }

  private block(node: RootContent): void {
    switch (node.type) {
      case 'yaml':
      case 'definition':
        return
      case 'heading': {
        // A setext heading can span lines: its name (section, message) is one line.
        const text = toString(node).replace(/\s+/g, ' ').trim()
        if (node.depth === 1) {
          if (this.title !== undefined) {
            this.diagnostics.error('extra-title', this.range(node), `Unexpected second \`# ${text}\`, expected one \`# Title\` per file (use \`##\` for sections)`)
            return
          }
          this.title = text
          this.section = []
          return
        }
        this.closeHeadings(node.depth)
        this.headings.push({ depth: node.depth, text, place: this.start(node), facts: 0 })
        this.section = this.headings.map((h) => h.text)
        return
      }
      case 'list':
        for (const item of node.children) this.listItem(item)
        return
      case 'table':
        this.table(node)
        return
      case 'html':
        this.rawHtml(node)
        return
      default:
        this.diagnostics.warn('stray-content', this.range(node), `Unexpected ${describeNode(node)} outside a list, expected facts as list items (\`- …\`) or table rows`)
    }
  }

  /** Reports headings that close (a new heading of the same or higher level) without facts. */
  private closeHeadings(depth: number): void {
    while (this.headings.length && (this.headings[this.headings.length - 1]?.depth ?? 0) >= depth) {
      const heading = this.headings.pop()
      if (heading && heading.facts === 0) {
        this.diagnostics.error('empty-section', heading.place, `Unexpected section \`${heading.text}\` without facts, expected list items or a table under it`)
      }
    }
  }

  private rawHtml(node: { value: string; position?: Position | undefined }): void {
    // One line: a message is printed as one `file:line:col: …` line, and an HTML block spans several.
    const shown = node.value.replace(/\s+/g, ' ').slice(0, 30)
    this.diagnostics.error('raw-html', this.range(node), `Unexpected raw HTML \`${shown}\`, expected markdown (write \`\\<\` or use \`code\` to show a tag)`)
  }

  private addFact(fact: RawFact, node: Nodes): void {
    // A fact too long is still a fact of its section: no cascade of "without facts" errors.
    for (const heading of this.headings) heading.facts++
    this.seen++
    if (fact.text.length > MAX_FACT_CHARS) {
      this.diagnostics.error('fact-too-long', fact.source, `Unexpected fact of ${fact.text.length} characters, expected at most ${MAX_FACT_CHARS} (one idea per fact)`)
      return
    }
    this.checkNested(node)
    this.facts.push(fact)
  }

  /** Checks a fact's inline content for raw HTML and paths that leave the notes folder. */
  private checkNested(node: Nodes): void {
    visit(node, (child) => {
      if (child.type === 'html') this.rawHtml(child)
      if ((child.type === 'image' || child.type === 'link') && escapesNotes(this.file, child.url)) {
        this.diagnostics.error('path-outside-notes', this.range(child), `Unexpected path \`${child.url}\` outside the notes folder, expected a file inside it or a web address`)
      }
    })
  }

  private listItem(item: ListItem): void {
    const blocks = item.children as Blocks
    const source = this.start(item)
    if (blocks.length === 0 || !toString(item).trim()) {
      this.diagnostics.error('empty-fact', this.range(item), 'Unexpected empty list item, expected a fact')
      return
    }
    const first = blocks[0]?.type === 'paragraph' ? (blocks[0] as Paragraph) : undefined
    const pin = first ? this.takePin(first) : undefined
    // `- ^my-id` alone: a pin with nothing to pin.
    if (pin && !toString(item).trim()) {
      this.diagnostics.error('empty-fact', this.range(item), `Unexpected list item holding only the pin \`^${pin}\`, expected a fact before it`)
      return
    }
    const clozes = collectClozes(item)
    numberClozes(clozes)
    const reading = readItem({ blocks, clozes })
    if (reading.problem) this.diagnostics.warn(reading.problem.ruleId, this.range(item), reading.problem.reason)
    const body: FactBody = { type: 'item', blocks }
    const fact: RawFact = { section: [...this.section], text: reading.text, markdown: this.markdownOf(blocks, pin), body, source, card: reading.card, keyWords: reading.keyWords }
    if (pin) fact.pin = pin
    this.addFact(fact, item)
  }

  private table(table: Table): void {
    const [header, ...rows] = table.children
    if (!header) return
    const headers = header.children.map((cell) => toString(cell).trim())
    const caption = this.section[this.section.length - 1] ?? this.title ?? ''
    if (rows.length === 0) {
      this.diagnostics.error('empty-section', this.range(table), 'Unexpected table without rows, expected one row per fact')
      return
    }
    for (const row of rows) {
      const source = this.start(row)
      const rowSource = this.value.slice(row.position?.start.offset ?? 0, row.position?.end.offset ?? 0)
      const declared = rowSource.replace(/\\\|/g, '').replace(/`[^`]*`/g, '').split('|').length - (rowSource.trim().startsWith('|') ? 1 : 0) - (rowSource.trim().endsWith('|') ? 1 : 0)
      if (declared !== headers.length || row.children.length !== headers.length) {
        this.diagnostics.error('ragged-table', this.range(row), `Unexpected row of ${declared} cells, expected ${headers.length} like the header row`)
        continue
      }
      const [labelCell, ...valueCells] = row.children
      if (!labelCell) continue
      const pin = this.takeCellPin(labelCell.children, labelCell)
      const clozes = collectClozes(row)
      numberClozes(clozes)
      const label = plain(labelCell.children)
      if (!label) {
        this.diagnostics.error('empty-fact', this.range(row), 'Unexpected row without a name in its first cell, expected the row\'s name there')
        continue
      }
      const cells = valueCells.map((cell, index) => ({ header: headers[index + 1] ?? '', value: plain(cell.children), tree: cell.children }))
      const tableRow: TableRow = { caption, labelHeader: headers[0] ?? '', label, labelTree: labelCell.children, cells }
      const text = `${label}: ${cells.map((c) => `${c.header}: ${c.value}`).join('; ')}`
      const markdown = (pin ? rowSource.replace(new RegExp(`\\s+\\^${pin}(?=\\s*(\\||$))`), '') : rowSource).trim()
      const card = readRow({ row: tableRow, clozes })
      const fact: RawFact = { section: [...this.section], text, markdown, body: { type: 'row', row: tableRow }, source, card, keyWords: label }
      if (pin) fact.pin = pin
      this.addFact(fact, row)
    }
  }

  /** Removes a trailing `^pin` from a paragraph (mdast) and returns it. */
  private takePin(paragraph: Paragraph): string | undefined {
    return this.takeCellPin(paragraph.children, paragraph)
  }

  private takeCellPin(children: PhrasingContent[], holder: Nodes): string | undefined {
    const last = children[children.length - 1]
    if (last?.type !== 'text') return undefined
    const match = PIN.exec(last.value)
    if (!match) {
      this.warnUnicodePin(last, holder)
      return undefined
    }
    last.value = last.value.slice(0, match.index + (match[1]?.length ?? 0)).replace(/\s+$/, '')
    if (!last.value) children.pop()
    return match[2]
  }

  /** `^café`: what reads as a pin but isn't one is said, not left as text without a word. */
  private warnUnicodePin(text: Text, holder: Nodes): void {
    const match = UNICODE_PIN.exec(text.value)
    if (!match) return
    // The pin ends the paragraph or cell: its `^` is the last one before the holder's end.
    const end = holder.position?.end
    const caret = end?.offset === undefined ? -1 : this.value.lastIndexOf('^', end.offset)
    const place = end && caret >= 0 && end.column > end.offset! - caret ? { file: this.file, line: end.line, column: end.column - (end.offset! - caret) } : this.start(holder)
    this.diagnostics.warn('invalid-pin', place, `Unexpected pin \`^${match[2]}\` with letters outside A–Z, expected ASCII letters, digits, \`-\` and \`_\` as in Obsidian (it stays text)`)
  }

  /** The item's markdown as written (indentation of continuation lines removed, pin dropped). */
  private markdownOf(blocks: Blocks, pin: string | undefined): string {
    const first = blocks[0]
    const last = blocks[blocks.length - 1]
    const start = first?.position?.start.offset ?? 0
    const end = last?.position?.end.offset ?? start
    const indent = (first?.position?.start.column ?? 1) - 1
    let text = this.value.slice(start, end)
    if (pin && first?.type === 'paragraph') {
      const firstEnd = (first.position?.end.offset ?? start) - start
      const head = text.slice(0, firstEnd).replace(new RegExp(`\\s*\\^${pin}\\s*$`), '')
      text = head + text.slice(firstEnd)
    }
    return text
      .split('\n')
      .map((line, index) => (index === 0 ? line : line.replace(new RegExp(`^ {0,${indent}}`), '')))
      .join('\n')
      .trim()
  }
}

function describeNode(node: RootContent): string {
  const names: Partial<Record<RootContent['type'], string>> = {
    paragraph: 'paragraph',
    code: 'code block',
    blockquote: 'block quote',
    thematicBreak: 'thematic break',
  }
  return names[node.type] ?? node.type
}

function collectClozes(node: Nodes): Cloze[] {
  const found: Cloze[] = []
  visit(node, 'cloze', (cloze) => {
    found.push(cloze)
  })
  return found
}

function escapesNotes(file: string, url: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#')) return /^file:/i.test(url)
  if (url.startsWith('/')) return true
  let target = url.split(/[?#]/)[0] ?? ''
  try {
    target = decodeURIComponent(target)
  } catch {
    // A malformed %-escape is kept as written.
  }
  target = path.posix.normalize(path.posix.join(path.posix.dirname(file), target))
  return target === '..' || target.startsWith('../')
}
