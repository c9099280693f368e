/**
 * One topic file → its metadata and raw facts (without ids and GUIDs, which need every file).
 * The tree comes from ./processor.ts (remark-parse, GFM, frontmatter, the notes' syntaxes); this module
 * walks it: headings make sections (or, with `cards: headings`, questions); every list item,
 * paragraph, code block and table row is a fact.
 */
import type { Code, Heading, Html, ListItem, Nodes, Paragraph, PhrasingContent, Root, RootContent, Table } from 'mdast'
import type { Math } from 'mdast-util-math'
import { toString } from 'mdast-util-to-string'
import type { Position } from 'unist'
import { VFile } from 'vfile'
import { adopt, Diagnostics, type Diagnostic, type Place } from '../diagnostics.ts'
import type { Blocks, CardParts, CardsSetting, Fact, FactBody, SourcePosition } from '../facts/model.ts'
import { readItem } from './forms/index.ts'
import { blocksText, plain } from './forms/text.ts'
import { takeHashtags } from './hashtags.ts'
import { readFrontmatter, type TopicMeta } from './frontmatter.ts'
import { findTooDeep, MAX_NESTING } from './nesting.ts'
import './linear-edit-map.ts'
import { texWarning } from '../render/math.ts'
import { readCallout } from './callout.ts'
import { numberClozes } from './remark-cloze.ts'
import { parseTree } from './processor.ts'
import { collectClozes, notAPin, readTable, takePin } from './table.ts'
import { escapesNotes, safeHtml } from './inline-checks.ts'

export { topicIdFromPath, type TopicMeta } from './frontmatter.ts'

/** A fact as one file knows it: what the file says, without the identity that needs every file. */
export interface RawFact extends Pick<Fact, 'section' | 'text' | 'markdown' | 'body' | 'source' | 'media'> {
  /** The card the fact's markup makes (see `./forms/`). */
  card: CardParts
  pin?: string
  /** The words a derived id is made of (cloze answers, the term, the question, or the text). */
  keyWords: string
  /** Its inline `#tags`. */
  tags: string[]
}

export interface ParsedTopic {
  file: string
  meta: TopicMeta | undefined
  /** The one `# Title`'s text, when the file has exactly one. */
  title: string | undefined
  /** Tags of every fact: frontmatter `tags` and lines of `#tags` alone. */
  tags: string[]
  facts: RawFact[]
  diagnostics: Diagnostic[]
  /** Whether any fact holds images or `[[links]]` (the build resolves only those; unset: maybe). */
  holds?: { images: boolean; wikiLinks: boolean }
}

export interface ParseOptions {
  /** The deck's `cards:` setting (a file's frontmatter `cards:` wins). */
  cards?: CardsSetting
}

/** Longest fact text a card can hold and stay a card. */
export const MAX_FACT_CHARS = 2000

/** Parses one topic file. Pure: text in, topic and positioned diagnostics out. */
export function parseTopic(file: string, value: string, options: ParseOptions = {}): ParsedTopic {
  const vfile = new VFile({ path: file, value })
  const diagnostics = new Diagnostics()
  const result: ParsedTopic = { file, meta: undefined, title: undefined, tags: [], facts: [], diagnostics: diagnostics.list }
  if (!value.trim()) {
    diagnostics.warn('empty-file', { file, line: 1, column: 1 }, 'Unexpected empty file, expected notes')
    return result
  }
  const deep = findTooDeep(value)
  if (deep) {
    diagnostics.error('too-deep', { file, line: deep.line, column: deep.column }, `Unexpected block quotes or lists nested over ${MAX_NESTING} levels deep, expected at most ${MAX_NESTING} (flatten the notes)`)
    return result
  }
  try {
    readTopic(vfile, diagnostics, result, options)
  } catch (error) {
    // Inline markup nested thousands of times (emphasis in emphasis) can still overflow the stack
    // of the recursive tree walkers: the file is refused, the build goes on.
    if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error
    Object.assign(result, { meta: undefined, title: undefined, tags: [], facts: [] })
    diagnostics.list.length = 0
    diagnostics.error('too-deep', { file, line: 1, column: 1 }, 'Unexpected markup nested too deep to read, expected emphasis, links and lists a few levels deep')
  }
  return result
}

function readTopic(vfile: VFile, diagnostics: Diagnostics, result: ParsedTopic, options: ParseOptions): void {
  const { file } = result
  const tree = parseTree(vfile)
  // remark-cloze's messages are kept as made, on this file.
  for (const message of vfile.messages) diagnostics.list.push(adopt(message))

  const walker = new TopicWalker(file, String(vfile.value), diagnostics)
  result.meta = walker.frontmatter(tree)
  // Without its closing `---` the whole file is one broken frontmatter block: nothing else to read.
  if (walker.unterminated) return
  walker.walk(tree, result.meta?.cards ?? options.cards)
  result.title = walker.title
  result.tags = [...new Set([...(result.meta?.tags ?? []), ...walker.tags])]
  result.facts = walker.facts
  result.holds = { images: false, wikiLinks: false }
  const stack: Nodes[] = [tree]
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'image') result.holds.images = true
    if (node.type === 'wikiLink') result.holds.wikiLinks = true
    if ('children' in node) for (const child of node.children) stack.push(child)
  }
}

class TopicWalker {
  title: string | undefined
  facts: RawFact[] = []
  /** Tags of the whole topic: lines of inline `#tags` alone. */
  tags: string[] = []
  /** The one `# Title` that names the topic, when there is one. */
  private titleNode: Heading | undefined
  /** `cards: headings`: the heading level that asks questions, and the question open. */
  private questionLevel: number | undefined
  private question: { heading: Heading; blocks: Blocks } | undefined
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

  walk(tree: Root, cards: CardsSetting | undefined): void {
    const level = cards?.headings
    // One `# Title` names the topic; several (or none) are top-level sections like `##`.
    const titles = tree.children.filter((n): n is Heading => n.type === 'heading' && n.depth === 1)
    if (titles.length === 1 && level !== 1) this.titleNode = titles[0]
    if (this.titleNode) this.title = headingText(this.titleNode)
    this.questionLevel = level
    this.blocks(tree.children)
    this.finishQuestion()
    this.closeHeadings(1)
    if (this.seen === 0) {
      const end = tree.position?.end
      const place = { file: this.file, line: end?.line ?? 1, column: end?.column ?? 1 }
      this.diagnostics.warn('empty-file', place, 'Unexpected end of file without facts, expected text, list items or a table')
    }
  }

  /** Block content in order; a code or math block goes with the paragraph or list item that introduces it. */
  private blocks(nodes: readonly RootContent[]): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as RootContent
      const next = nodes[i + 1]
      if (this.question && !(node.type === 'heading' && node.depth <= (this.questionLevel ?? 0))) {
        this.question.blocks.push(node as Blocks[number])
        continue
      }
      const code = (next?.type === 'code' || next?.type === 'math') && introduces(node) ? next : undefined
      if (code) i++
      this.block(node, code)
    }
  }

  private block(node: RootContent, code: Code | Math | undefined): void {
    switch (node.type) {
      case 'heading':
        this.heading(node)
        return
      case 'list':
        node.children.forEach((item, index) => this.blockFact(item, [...(item.children as Blocks), ...(code && index === node.children.length - 1 ? [code] : [])], true))
        return
      case 'paragraph':
      case 'code':
      case 'math':
        this.blockFact(node, code ? [node, code] : [node], false)
        return
      case 'blockquote': {
        // A quote's paragraphs and lists are facts like any others; a callout's title is their context.
        const callout = readCallout(node)
        const outer = this.section
        if (callout) this.section = [...outer, callout.title]
        this.blocks(callout ? callout.blocks : node.children)
        this.section = outer
        return
      }
      case 'table':
        this.table(node)
        return
      case 'html':
        // A comment is the writer's, not the reader's.
        if (!/^<!--[\s\S]*-->\s*$/.test(node.value)) this.blockFact(node, [node], false)
        return
      case 'yaml':
      case 'definition':
      case 'footnoteDefinition':
      case 'thematicBreak':
        return
      default:
        this.diagnostics.warn('stray-content', this.range(node), `Unexpected ${node.type}, expected text, list items, tables or code`)
    }
  }

  private heading(node: Heading): void {
    if (node === this.titleNode) {
      this.section = []
      return
    }
    this.finishQuestion()
    if (node.depth === this.questionLevel) {
      this.question = { heading: node, blocks: [] }
      return
    }
    const text = headingText(node)
    this.closeHeadings(node.depth)
    this.headings.push({ depth: node.depth, text, place: this.range(node), facts: 0 })
    this.section = this.headings.map((h) => h.text)
  }

  /** `cards: headings`: the open heading is the front, the blocks under it the back. */
  private finishQuestion(): void {
    const open = this.question
    if (!open) return
    this.question = undefined
    const { heading, blocks } = open
    const pin = this.takePin(heading.children, heading)
    const questionTree = heading.children
    const tags = takeHashtags([heading, ...blocks])
    const text = headingText(heading)
    if (!blocks.length || !blocksText(blocks)) {
      this.diagnostics.warn('empty-section', this.range(heading), `Unexpected question \`${text}\` without an answer, expected text under the heading`)
      return
    }
    const question = { question: plain(questionTree), answer: blocksText(blocks), questionTree, answerTree: blocks }
    const card: CardParts = { form: 'qa', question }
    const body: FactBody = { type: 'item', blocks: [{ type: 'paragraph', children: questionTree }, ...blocks] }
    const end = blocks[blocks.length - 1]?.position?.end.offset
    const markdown = this.value.slice(heading.position?.start.offset ?? 0, end).trim()
    const fact: RawFact = { section: [...this.section], text: `${question.question} ${question.answer}`, markdown, body, source: this.start(heading), card, keyWords: question.question, tags }
    if (pin) fact.pin = pin
    this.addFact(fact, { type: 'root', children: blocks })
  }

  /** Reports headings that close (a new heading of the same or higher level) without facts. */
  private closeHeadings(depth: number): void {
    while (this.headings.length && (this.headings[this.headings.length - 1]?.depth ?? 0) >= depth) {
      const heading = this.headings.pop()
      if (heading && heading.facts === 0) {
        this.diagnostics.error('empty-section', heading.place, `Unexpected section \`${heading.text}\` without facts, expected text, a list or a table under it`)
      }
    }
  }

  private rawHtml(node: { value: string; position?: Position | undefined }): void {
    if (safeHtml(node.value)) return
    // One line: a message is printed as one `file:line:col: …` line, and an HTML block spans several.
    const shown = node.value.replace(/\s+/g, ' ').slice(0, 30)
    this.diagnostics.warn('raw-html', this.range(node), `Unexpected raw HTML \`${shown}\`, expected markdown or a safe inline tag such as \`<br>\`, \`<sup>\` or \`<kbd>\` (write \`\\<\` or use \`code\` to show a tag)`)
  }

  private addFact(fact: RawFact, node: Nodes): void {
    // A fact too long is still a fact of its section: no cascade of "without facts" errors.
    for (const heading of this.headings) heading.facts++
    this.seen++
    // Kept (leaving it out would lose it), but a card this long is not learnt: split it.
    if (fact.text.length > MAX_FACT_CHARS) {
      this.diagnostics.warn('fact-too-long', fact.source, `Unexpected fact of ${fact.text.length} characters, expected at most ${MAX_FACT_CHARS} (one idea per fact)`)
    }
    this.checkNested(node)
    this.facts.push(fact)
  }

  /** Checks a fact's inline content for raw HTML and paths that leave the notes folder. */
  private checkNested(node: Nodes): void {
    // A plain walk (no unist-util-visit): it runs on every fact, and the visitor's closures add up.
    const walk = (child: Nodes): void => {
      if (child.type === 'html') this.rawHtml(child)
      // TeX that Temml cannot read still builds (shown as its source): a warning at the math.
      const tex = child.type === 'inlineMath' || child.type === 'math' ? texWarning(child) : undefined
      if (tex) this.diagnostics.warn('invalid-tex', this.range(child), tex)
      if ((child.type === 'image' || child.type === 'link') && escapesNotes(this.file, child.url)) {
        this.diagnostics.error('path-outside-notes', this.range(child), `Unexpected path \`${child.url}\` outside the notes folder, expected a file inside it or a web address`)
      }
      if ('children' in child) for (const grandchild of child.children) walk(grandchild)
    }
    walk(node)
  }

  /**
   * A list item, a paragraph, a code block or an HTML block (with the code block it introduces):
   * one fact. Only a list item is expected to make a card; prose and code are content as they are.
   */
  private blockFact(node: ListItem | Paragraph | Code | Math | Html, blocks: Blocks, listItem: boolean): void {
    const what = listItem ? 'list item' : 'paragraph'
    if (blocks.length === 0 || !blocks.some((block) => toString(block).trim())) {
      if (listItem) this.diagnostics.warn('empty-item', this.range(node), 'Unexpected empty list item, expected a fact')
      return
    }
    const first = blocks[0]?.type === 'paragraph' ? (blocks[0] as Paragraph) : undefined
    const pin = first ? this.takePin(first.children, first) : undefined
    const tags = takeHashtags(blocks)
    if (!blocks.some((block) => block.type === 'code' || block.type === 'html' || toString(block).trim())) {
      // `- ^my-id` alone: a pin with nothing to pin; a line of `#tags` alone tags the whole topic.
      if (pin) this.diagnostics.warn('empty-item', this.range(node), `Unexpected ${what} holding only the pin \`^${pin}\`, expected a fact before it`)
      else this.tags.push(...tags)
      return
    }
    const clozes = collectClozes({ type: 'root', children: blocks })
    numberClozes(clozes)
    const reading = readItem({ blocks, clozes })
    if (reading.problem && (listItem || reading.problem.ruleId !== 'no-card')) this.diagnostics.warn(reading.problem.ruleId, this.range(node), reading.problem.reason)
    const body: FactBody = { type: 'item', blocks }
    const fact: RawFact = { section: [...this.section], text: reading.text, markdown: this.markdownOf(blocks, pin), body, source: this.start(node), card: reading.card, keyWords: reading.keyWords, tags }
    if (pin) fact.pin = pin
    this.addFact(fact, { type: 'root', children: blocks })
  }

  private table(table: Table): void {
    const caption = this.section[this.section.length - 1] ?? this.title ?? ''
    for (const row of readTable(table, caption, this.value)) {
      if ('problem' in row) {
        const [ruleId, reason] = row.problem
        if (ruleId === 'empty-section') this.diagnostics.warn(ruleId, this.range(row.node), reason)
        else this.diagnostics.error(ruleId, this.range(row.node), reason)
      } else {
        if (row.notPin) this.warnNotPin(row.notPin, row.node.children[0] ?? row.node)
        if (row.short) this.diagnostics.warn('short-row', this.range(row.node), row.short)
        const fact: RawFact = { ...row.fact, section: [...this.section], source: this.start(row.node) }
        this.addFact(fact, row.node)
      }
    }
  }

  /** Takes a trailing `^pin` off inline content; says so when what reads as one is not a pin. */
  private takePin(children: PhrasingContent[], holder: Nodes): string | undefined {
    const pin = takePin(children)
    const not = pin ? undefined : notAPin(children)
    if (not) this.warnNotPin(not, holder)
    return pin
  }

  /** `^café`: what reads as a pin but isn't one is said, not left as text without a word. */
  private warnNotPin(name: string, holder: Nodes): void {
    // The pin ends the paragraph or cell: its `^` is the last one before the holder's end.
    const end = holder.position?.end
    const caret = end?.offset === undefined ? -1 : this.value.lastIndexOf('^', end.offset)
    const place = end && caret >= 0 && end.column > end.offset! - caret ? { file: this.file, line: end.line, column: end.column - (end.offset! - caret) } : this.start(holder)
    this.diagnostics.warn('invalid-pin', place, `Unexpected pin \`^${name}\` with letters outside A–Z, expected ASCII letters, digits, \`-\` and \`_\` as in Obsidian (it stays text)`)
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
    // The block's indent off every line but the first (one pattern per fact, not per line).
    const dedent = indent > 0 ? new RegExp(`^ {0,${indent}}`) : undefined
    const lines = dedent ? text.split('\n').map((line, index) => (index === 0 ? line : line.replace(dedent, ''))) : [text]
    return lines.join('\n').trim()
  }
}

/** A heading's name on one line (a setext heading can span lines). */
function headingText(node: Heading): string {
  return toString(node).replace(/\s+/g, ' ').trim()
}

/** A paragraph, or a list's last item, that ends with `:` introduces the code block after it. */
function introduces(node: RootContent): boolean {
  const last = node.type === 'list' ? node.children.at(-1)?.children.at(-1) : node
  return last?.type === 'paragraph' && /:\s*$/.test(toString(last))
}
