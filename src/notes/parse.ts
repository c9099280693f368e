/**
 * One topic file → its metadata and raw facts (without ids and GUIDs, which need every file).
 * The tree comes from unified + remark-parse (+ gfm, frontmatter) and remark-cloze; this module
 * walks it: headings make sections, list items and table rows make facts.
 */
import path from 'node:path'
import type { BlockContent, DefinitionContent, List, ListItem, Nodes, Paragraph, PhrasingContent, Root, RootContent, Table, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Position } from 'unist'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { Diagnostics, type Diagnostic } from '../diagnostics.ts'
import type { ClozeParts, Fact, QuestionParts, SourcePosition, TableRowParts, TermParts } from '../facts/model.ts'
import { describe, ID_PATTERN } from './deck.ts'
import remarkCloze, { numberClozes } from './remark-cloze.ts'
import { escapeClozeHtml, escapeHtml, renderBlocks, renderInline } from './render.ts'
import { slugify } from '../facts/slug.ts'
import { isRecord, parseYaml } from './yaml.ts'

type Cloze = import('mdast').Cloze
type Block = BlockContent | DefinitionContent

/** A fact as one file knows it: what the file says, without the identity that needs every file. */
export interface RawFact extends Pick<Fact, 'section' | 'form' | 'text' | 'markdown' | 'html' | 'cloze' | 'term' | 'question' | 'table' | 'source'> {
  pin?: string
  /** The words a derived id is made of (cloze answers, the term, the question, or the text). */
  keyWords: string
}

export interface TopicMeta {
  id: string
  /** Where the id comes from: the frontmatter's `id`, else the file itself. */
  idPlace: SourcePosition
  name: string
  domains: { id: string; place: SourcePosition }[]
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

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).use(remarkCloze)

/** Parses one topic file. Pure: text in, topic and positioned diagnostics out. */
export function parseTopic(file: string, value: string): ParsedTopic {
  const vfile = new VFile({ path: file, value })
  const diagnostics = new Diagnostics()
  const result: ParsedTopic = { file, meta: undefined, title: undefined, facts: [], diagnostics: diagnostics.list }
  if (!value.trim()) {
    diagnostics.error('empty-file', { file, line: 1, column: 1 }, 'Unexpected empty file, expected frontmatter, a `# Title` and facts')
    return result
  }
  const tree = processor.runSync(processor.parse(vfile), vfile) as Root
  for (const message of vfile.messages) {
    const place = { file, line: message.line ?? 1, column: message.column ?? 1 }
    if (message.fatal) diagnostics.error(message.ruleId ?? 'markdown', place, message.reason)
    else diagnostics.warn(message.ruleId ?? 'markdown', place, message.reason)
  }

  const walker = new TopicWalker(file, value, diagnostics)
  result.meta = walker.frontmatter(tree)
  // Without its closing `---` the whole file is one broken frontmatter block: nothing else to read.
  if (walker.unterminated) return result
  walker.walk(tree)
  result.title = walker.title
  result.facts = walker.facts
  return result
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

  frontmatter(tree: Root): TopicMeta | undefined {
    const node = tree.children[0]
    if (node?.type !== 'yaml') {
      if (/^---[ \t]*\n/.test(this.value)) {
        this.unterminated = true
        this.diagnostics.error('unterminated-frontmatter', this.at0(), 'Unexpected `---` frontmatter that is never closed, expected a closing `---` line')
      } else {
        this.diagnostics.error('missing-frontmatter', this.at0(), 'Unexpected markdown without frontmatter, expected a `---` YAML block with `name` and `domains`')
      }
      return undefined
    }
    const line0 = (node.position?.start.line ?? 1) + 1
    const yaml = parseYaml(node.value, this.file, line0, 'invalid-frontmatter', this.diagnostics)
    if (yaml.data === undefined) return undefined
    const data = yaml.data
    if (!isRecord(data)) {
      this.diagnostics.error('invalid-frontmatter', yaml.root, `Unexpected ${describe(data)} as frontmatter, expected a mapping with \`name\` and \`domains\``)
      return undefined
    }
    let ok = true
    const name = data['name']
    if (typeof name !== 'string' || !name.trim()) {
      ok = false
      this.diagnostics.error('missing-key', name === undefined ? yaml.root : yaml.at(yaml.node('name')), `Unexpected ${name === undefined ? 'frontmatter without `name`' : describe(name)}, expected \`name\`: the topic's name`)
    }
    const rawDomains = typeof data['domains'] === 'string' ? [data['domains']] : data['domains']
    const domains: TopicMeta['domains'] = []
    if (!Array.isArray(rawDomains) || rawDomains.length === 0) {
      ok = false
      this.diagnostics.error('missing-key', rawDomains === undefined ? yaml.root : yaml.at(yaml.node('domains')), 'Unexpected frontmatter without `domains`, expected `domains`: one or more domain ids from the deck file')
    } else {
      rawDomains.forEach((domain: unknown, index) => {
        const place = typeof data['domains'] === 'string' ? yaml.at(yaml.node('domains')) : yaml.at(yaml.node('domains', index))
        if (typeof domain === 'string' && domain.trim()) domains.push({ id: domain.trim(), place })
        else {
          ok = false
          this.diagnostics.error('missing-key', place, `Unexpected ${describe(domain)} in \`domains\`, expected a domain id`)
        }
      })
    }
    const explicitId = data['id']
    if (explicitId !== undefined && (typeof explicitId !== 'string' || !ID_PATTERN.test(explicitId))) {
      ok = false
      this.diagnostics.error('invalid-frontmatter', yaml.at(yaml.node('id')), 'Unexpected `id`, expected a lowercase id of letters, digits, `-` and `_`')
    }
    if (!ok || typeof name !== 'string') return undefined
    const id = typeof explicitId === 'string' ? explicitId : topicIdFromPath(this.file)
    const idPlace = typeof explicitId === 'string' ? yaml.at(yaml.node('id')) : this.at0()
    return { id, idPlace, name: name.trim(), domains }
  }

  walk(tree: Root): void {
    for (const node of tree.children) this.block(node)
    this.closeHeadings(1)
    if (this.title === undefined) {
      const first = tree.children.find((n) => n.type !== 'yaml')
      this.diagnostics.error('missing-title', first ? this.start(first) : this.at0(), 'Unexpected topic without a title, expected a `# Title` heading')
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
            this.diagnostics.error('extra-title', this.start(node), `Unexpected second \`# ${text}\`, expected one \`# Title\` per file (use \`##\` for sections)`)
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
        this.diagnostics.warn('stray-content', this.start(node), `Unexpected ${describeNode(node)} outside a list, expected facts as list items (\`- …\`) or table rows`)
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
    this.diagnostics.error('raw-html', this.start(node), `Unexpected raw HTML \`${shown}\`, expected markdown (write \`\\<\` or use \`code\` to show a tag)`)
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
    if (node.type === 'html') this.rawHtml(node)
    if ((node.type === 'image' || node.type === 'link') && escapesNotes(this.file, node.url)) {
      this.diagnostics.error('path-outside-notes', this.start(node), `Unexpected path \`${node.url}\` outside the notes folder, expected a file inside it or a web address`)
    }
    if ('children' in node) for (const child of node.children) this.checkNested(child)
  }

  private listItem(item: ListItem): void {
    const blocks = item.children as Block[]
    const source = this.start(item)
    if (blocks.length === 0 || !toString(item).trim()) {
      this.diagnostics.error('empty-fact', source, 'Unexpected empty list item, expected a fact')
      return
    }
    const first = blocks[0]?.type === 'paragraph' ? (blocks[0] as Paragraph) : undefined
    const pin = first ? this.takePin(first) : undefined
    // `- ^my-id` alone: a pin with nothing to pin.
    if (pin && !toString(item).trim()) {
      this.diagnostics.error('empty-fact', source, `Unexpected list item holding only the pin \`^${pin}\`, expected a fact before it`)
      return
    }
    const clozes = collectClozes(item)
    numberClozes(clozes)
    const markdown = this.markdownOf(blocks, pin)
    const base = { section: [...this.section], markdown, source }

    const qa = first ? splitQuestion(first) : undefined
    let fact: RawFact
    if (qa) {
      const rest = blocks.slice(1)
      const answerBlocks: Block[] = qa.answer.length ? [{ type: 'paragraph', children: qa.answer }, ...rest] : rest
      const question: QuestionParts = {
        question: plain(qa.question),
        answer: blocksText(answerBlocks),
        questionHtml: renderInline(qa.question),
        answerHtml: renderBlocks(answerBlocks),
      }
      fact = {
        ...base,
        form: 'qa',
        keyWords: question.question,
        text: `${question.question} ${question.answer}`.trim(),
        html: `<span class="question">${question.questionHtml}</span> <span class="answer">${question.answerHtml}</span>`,
        question,
      }
    } else if (clozes.length) {
      const cloze: ClozeParts = {
        text: blocks.map((b) => clozeText(b)).join('\n'),
        html: renderBlocks(blocks, 'cloze'),
        deletions: clozes.map((c) => {
          const deletion: ClozeParts['deletions'][number] = { index: c.index, answer: plain(c.children) }
          if (c.hint) deletion.hint = c.hint
          return deletion
        }),
      }
      fact = { ...base, form: 'cloze', keyWords: cloze.deletions.map((d) => d.answer).join(' '), text: blocksText(blocks), html: renderBlocks(blocks), cloze }
    } else {
      const term = first ? splitTerm(first) : undefined
      if (term) {
        const rest = blocks.slice(1)
        const definitionBlocks: Block[] = term.definition.length ? [{ type: 'paragraph', children: term.definition }, ...rest] : rest
        const parts: TermParts = {
          term: plain(term.term),
          definition: blocksText(definitionBlocks),
          termHtml: renderInline(term.term),
          definitionHtml: renderBlocks(definitionBlocks),
        }
        fact = { ...base, form: 'term', keyWords: parts.term, text: blocksText(blocks), html: renderBlocks(blocks), term: parts }
      } else {
        fact = { ...base, form: 'none', keyWords: blocksText(blocks), text: blocksText(blocks), html: renderBlocks(blocks) }
        this.diagnostics.warn('no-card', source, 'Unexpected fact without card markup, expected `==cloze==`, `**Term**: definition` or `Question? :: Answer`')
      }
    }
    if (pin) fact.pin = pin
    this.addFact(fact, item)
  }

  private table(table: Table): void {
    const [header, ...rows] = table.children
    if (!header) return
    const headers = header.children.map((cell) => toString(cell).trim())
    const caption = this.section[this.section.length - 1] ?? this.title ?? ''
    if (rows.length === 0) {
      this.diagnostics.error('empty-section', this.start(table), 'Unexpected table without rows, expected one row per fact')
      return
    }
    for (const row of rows) {
      const source = this.start(row)
      const rowSource = this.value.slice(row.position?.start.offset ?? 0, row.position?.end.offset ?? 0)
      const declared = rowSource.replace(/\\\|/g, '').replace(/`[^`]*`/g, '').split('|').length - (rowSource.trim().startsWith('|') ? 1 : 0) - (rowSource.trim().endsWith('|') ? 1 : 0)
      if (declared !== headers.length || row.children.length !== headers.length) {
        this.diagnostics.error('ragged-table', source, `Unexpected row of ${declared} cells, expected ${headers.length} like the header row`)
        continue
      }
      const [labelCell, ...valueCells] = row.children
      if (!labelCell) continue
      const pin = this.takeCellPin(labelCell.children)
      const clozes = collectClozes(row)
      numberClozes(clozes)
      const label = plain(labelCell.children)
      if (!label) {
        this.diagnostics.error('empty-fact', source, 'Unexpected row without a name in its first cell, expected the row\'s name there')
        continue
      }
      const cells = valueCells.map((cell, index) => ({
        header: headers[index + 1] ?? '',
        value: plain(cell.children),
        valueHtml: renderInline(cell.children),
      }))
      const parts: TableRowParts = { caption, labelHeader: headers[0] ?? '', label, cells }
      const text = `${label}: ${cells.map((c) => `${c.header}: ${c.value}`).join('; ')}`
      const labelHtml = renderInline(labelCell.children)
      const definitionHtml = `<ul class="row-values">${cells.map((c) => `<li><span class="row-header">${escapeHtml(c.header)}</span>: ${c.valueHtml}</li>`).join('')}</ul>`
      const markdown = (pin ? rowSource.replace(new RegExp(`\\s+\\^${pin}(?=\\s*(\\||$))`), '') : rowSource).trim()
      const base = { section: [...this.section], markdown, source, text, table: parts }
      let fact: RawFact
      if (clozes.length) {
        const cloze: ClozeParts = {
          text: `${clozeText({ type: 'paragraph', children: labelCell.children })}: ${valueCells.map((cell, i) => `${headers[i + 1] ?? ''}: ${clozeText({ type: 'paragraph', children: cell.children })}`).join('; ')}`,
          html: `${renderInline(labelCell.children, 'cloze')}<ul class="row-values">${valueCells.map((cell, i) => `<li><span class="row-header">${escapeClozeHtml(headers[i + 1] ?? '')}</span>: ${renderInline(cell.children, 'cloze')}</li>`).join('')}</ul>`,
          deletions: clozes.map((c) => ({ index: c.index, answer: plain(c.children), ...(c.hint ? { hint: c.hint } : {}) })),
        }
        fact = { ...base, form: 'cloze', keyWords: label, html: `<strong>${labelHtml}</strong>${definitionHtml}`, cloze }
      } else {
        const term: TermParts = { term: label, definition: cells.map((c) => `${c.header}: ${c.value}`).join('; '), termHtml: labelHtml, definitionHtml }
        fact = { ...base, form: 'term', keyWords: label, html: `<strong>${labelHtml}</strong>${definitionHtml}`, term }
      }
      if (pin) fact.pin = pin
      this.addFact(fact, row)
    }
  }

  /** Removes a trailing `^pin` from a paragraph (mdast) and returns it. */
  private takePin(paragraph: Paragraph): string | undefined {
    return this.takeCellPin(paragraph.children)
  }

  private takeCellPin(children: PhrasingContent[]): string | undefined {
    const last = children[children.length - 1]
    if (last?.type !== 'text') return undefined
    const match = PIN.exec(last.value)
    if (!match) return undefined
    last.value = last.value.slice(0, match.index + (match[1]?.length ?? 0)).replace(/\s+$/, '')
    if (!last.value) children.pop()
    return match[2]
  }

  /** The item's markdown as written (indentation of continuation lines removed, pin dropped). */
  private markdownOf(blocks: Block[], pin: string | undefined): string {
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

/** Splits `Question? :: Answer` at the first ` :: ` in the paragraph's own text. */
function splitQuestion(paragraph: Paragraph): { question: PhrasingContent[]; answer: PhrasingContent[] } | undefined {
  const children = paragraph.children
  for (let i = 0; i < children.length; i++) {
    const child = children[i]
    if (child?.type !== 'text') continue
    const match = /(^|\s)::(\s|$)/.exec(child.value)
    if (!match) continue
    const before = child.value.slice(0, match.index).trimEnd()
    const after = child.value.slice(match.index + match[0].length).trimStart()
    const question = [...children.slice(0, i), ...(before ? [{ type: 'text', value: before } as Text] : [])]
    const answer = [...(after ? [{ type: 'text', value: after } as Text] : []), ...children.slice(i + 1)]
    if (!plain(question) || (!plain(answer) && answer.length === 0)) return undefined
    return { question, answer }
  }
  return undefined
}

/** Splits `**Term**: definition` (or `**Term:** definition`) at the start of a paragraph. */
function splitTerm(paragraph: Paragraph): { term: PhrasingContent[]; definition: PhrasingContent[] } | undefined {
  const [strong, next, ...rest] = paragraph.children
  if (strong?.type !== 'strong') return undefined
  const inner = [...strong.children]
  const lastInner = inner[inner.length - 1]
  if (lastInner?.type === 'text' && /:\s*$/.test(lastInner.value)) {
    const trimmed = lastInner.value.replace(/:\s*$/, '')
    inner[inner.length - 1] = { ...lastInner, value: trimmed }
    const definition = next ? [trimText(next), ...rest] : []
    return plain(inner) ? { term: inner, definition } : undefined
  }
  if (next?.type === 'text' && /^\s*:/.test(next.value)) {
    return plain(inner) ? { term: inner, definition: [{ ...next, value: next.value.replace(/^\s*:\s*/, '') }, ...rest] } : undefined
  }
  return undefined
}

function trimText(node: PhrasingContent): PhrasingContent {
  return node.type === 'text' ? { ...node, value: node.value.trimStart() } : node
}

function collectClozes(node: Nodes): Cloze[] {
  const found: Cloze[] = []
  const visit = (n: Nodes): void => {
    if (n.type === 'cloze') found.push(n)
    if ('children' in n) for (const child of n.children) visit(child)
  }
  visit(node)
  return found
}

function plain(children: PhrasingContent[]): string {
  return toString({ type: 'paragraph', children }).replace(/\s+/g, ' ').trim()
}

/** Plain text of blocks; list items and blocks on lines of their own. */
function blocksText(blocks: Block[]): string {
  return blocks.map((block) => blockText(block)).filter(Boolean).join('\n')
}

function blockText(block: Block | ListItem): string {
  if (block.type === 'list') return (block as List).children.map((item) => blockText(item)).join('\n')
  if (block.type === 'listItem') return (block.children as Block[]).map((b) => blockText(b)).join('\n')
  return toString(block).replace(/[ \t]*\n[ \t]*/g, ' ').trim()
}

/** Plain text with `{{cN::answer}}` marks. */
function clozeText(node: Nodes): string {
  if (node.type === 'cloze') return `{{c${node.index}::${toString(node)}${node.hint ? `::${node.hint}` : ''}}}`
  if (node.type === 'text' || node.type === 'inlineCode') return node.value
  if (!('children' in node)) return toString(node)
  const separator = node.type === 'list' || node.type === 'listItem' || node.type === 'root' ? '\n' : ''
  return (node.children as Nodes[]).map((child) => clozeText(child)).join(separator).replace(/[ \t]*\n[ \t]*/g, node.type === 'paragraph' ? ' ' : '\n')
}

/** Topic id from a file path: the slug of its name (`AWS CloudFormation.md` → `aws-cloudformation`). */
export function topicIdFromPath(file: string): string {
  const base = file.replace(/\.md$/i, '')
  return slugify(base) || 'topic'
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
