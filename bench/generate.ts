/**
 * Synthetic notes for the benchmark: a deck file and `facts / FACTS_PER_FILE` topic files, each
 * with every card form cheatdeck knows — `==cloze==`, `{{cN::…}}` and `{{cN::…::hint}}`, both
 * syntaxes in one fact, `**Term**: definition`, `Question? :: Answer`, plain facts (no card),
 * items with nested lists, inline code and links, GFM tables (a fact per row, clozes in some
 * cells), `^pins` on about one fact in five — under `##` and `###` sections.
 *
 * Deterministic: the same `facts` and `seed` give the same bytes. Written to a folder the caller
 * chooses (a temp dir); never committed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const FACTS_PER_FILE = 50

export interface GeneratedNotes {
  dir: string
  files: number
  facts: number
  bytes: number
  /** Relative paths of the topic files, in the order written. */
  topicFiles: string[]
}

/** mulberry32: a small, fast, seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'stack pipeline stage artifact bucket policy role trail alarm metric log stream queue topic ' +
  'function layer alias version deployment canary rollback snapshot replica cluster node shard ' +
  'cache key secret parameter rotation region zone account boundary guardrail rule finding ' +
  'event bus target schedule template macro hook drift change set export import output ' +
  'listener target group health check scaling policy warm pool lifecycle instance volume ' +
  'encryption grant token session federation permission tag quota limit retry backoff batch ' +
  'window threshold dimension namespace filter pattern subscription endpoint gateway route'
).split(' ')

const DOMAINS = ['sdlc', 'iac', 'resilience', 'monitoring', 'incident', 'security']

class Writer {
  private readonly random: () => number
  private pins = 0
  constructor(seed: number) {
    this.random = rng(seed)
  }

  int(n: number): number {
    return Math.floor(this.random() * n)
  }

  word(): string {
    return WORDS[this.int(WORDS.length)] ?? 'word'
  }

  words(n: number): string {
    return Array.from({ length: n }, () => this.word()).join(' ')
  }

  title(n: number): string {
    return this.words(n).replace(/\b\w/g, (c) => c.toUpperCase())
  }

  /** A trailing ` ^pin` on about one fact in five. */
  pin(prefix: string): string {
    return this.random() < 0.2 ? ` ^${prefix}-p${++this.pins}` : ''
  }

  /** One list item (possibly several lines), any form. */
  item(prefix: string, serial: number): string {
    const pin = this.pin(prefix)
    const n = serial // keeps texts distinct within a file
    switch (this.int(10)) {
      case 0:
      case 1:
        return `- The ${this.words(3)} uses ==${this.words(2)}== to ${this.words(4)} (${n}).${pin}`
      case 2:
        return `- {{c1::${this.words(2)}::${this.word()}}} replaces the ${this.words(3)} when {{c2::${this.words(2)}}} is on, item ${n}.${pin}`
      case 3:
        // Both syntaxes in one fact: the `==…==` takes the first number the explicit one leaves free.
        return `- Set {{c2::${this.words(2)}}} before ==${this.word()}== so the \`${this.word()}\` ${this.words(3)} keeps ${n} ${this.words(2)}.${pin}`
      case 4:
      case 5:
        return `- **${this.title(2)} ${n}**: a ${this.words(5)} that ${this.words(6)}, see [the docs](https://example.com/${this.word()}/${n}).${pin}`
      case 6:
        return `- Which ${this.words(2)} stops the ${this.words(3)} in case ${n}? :: The ${this.words(2)}, with \`${this.word()}=${n}\`.${pin}`
      case 7:
        return `- **${this.title(2)} ${n}:** ${this.words(6)}:${pin}\n  - ${this.words(4)} first\n  - then ${this.words(5)}\n    - and ${this.words(3)}`
      case 8:
        return `- The ${this.words(4)} keeps ${n} ==${this.words(2)}== per ${this.word()}:${pin}\n  1. ${this.words(3)}\n  2. ${this.words(4)}`
      default:
        // No card markup: a fact for the sheet and the dataset only.
        return `- ${this.title(1)} ${this.words(8)} for ${n} ${this.words(3)}.${pin}`
    }
  }

  /** A table of `rows` rows: a fact per row, clozes in some cells, pins in some first cells. */
  table(prefix: string, rows: number, serial: number): string {
    const lines = ['| Option | Speed | Cost | Notes |', '| --- | --- | --- | --- |']
    for (let r = 0; r < rows; r++) {
      const pin = this.pin(prefix)
      const cost = this.random() < 0.4 ? `==${this.word()}==` : this.word()
      lines.push(`| \`${this.word()}-${serial}-${r}\`${pin} | ${this.words(2)} | ${cost} | ${this.words(4)} |`)
    }
    return lines.join('\n')
  }
}

/** One topic file of exactly `count` facts (list items and table rows). */
function topicFile(w: Writer, index: number, count: number): string {
  const prefix = `t${index}`
  const name = `Synthetic Topic ${index} ${w.title(2)}`
  const domains = [DOMAINS[index % DOMAINS.length], DOMAINS[(index + 2) % DOMAINS.length]]
  const out = ['---', `name: ${name}`, `domains: [${domains.join(', ')}]`, '---', '', `# ${name}`, '']
  let made = 0
  let section = 0
  while (made < count) {
    section++
    out.push(`## ${w.title(3)} ${section}`, '')
    // A section: some items, sometimes a `###` subsection, sometimes a table.
    const items = Math.min(count - made, 4 + w.int(6))
    for (let i = 0; i < items; i++) out.push(w.item(prefix, made++))
    out.push('')
    if (made < count && w.int(3) === 0) {
      out.push(`### ${w.title(2)} ${section}`, '')
      const more = Math.min(count - made, 2 + w.int(4))
      for (let i = 0; i < more; i++) out.push(w.item(prefix, made++))
      out.push('')
    }
    if (made < count && w.int(2) === 0) {
      const rows = Math.min(count - made, 3 + w.int(4))
      out.push(`### ${w.title(2)} table ${section}`, '', w.table(prefix, rows, section), '')
      made += rows
    }
  }
  return out.join('\n')
}

const DECK = `title: Bench Deck
exam: BENCH-01
examName: Synthetic benchmark deck
namespace: cheatdeck-bench
domains:
${DOMAINS.map((id, i) => `  - { id: ${id}, name: Domain ${i + 1} ${id}, weight: ${i < 4 ? 17 : 16} }`).join('\n')}
keyTopics:
  - Pipelines
  - Secrets
  - Observability
`

/** Writes `facts` facts over `ceil(facts / perFile)` files into `dir` (created). */
export async function generateNotes(dir: string, facts: number, seed = 42, perFile = FACTS_PER_FILE): Promise<GeneratedNotes> {
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'deck.yaml'), DECK)
  const w = new Writer(seed)
  const files = Math.ceil(facts / perFile)
  const topicFiles: string[] = []
  let bytes = DECK.length
  for (let i = 0; i < files; i++) {
    const count = Math.min(perFile, facts - i * perFile)
    const name = `topic-${String(i + 1).padStart(5, '0')}.md`
    const text = topicFile(w, i + 1, count)
    await writeFile(path.join(dir, name), text)
    topicFiles.push(name)
    bytes += Buffer.byteLength(text)
  }
  return { dir, files, facts, bytes, topicFiles }
}

// `tsx bench/generate.ts <dir> <facts> [seed]`: write a set by hand, e.g. to look at it.
if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const [dir, facts, seed] = process.argv.slice(2)
  if (!dir || !facts) {
    console.error('usage: tsx bench/generate.ts <dir> <facts> [seed]')
    process.exit(2)
  }
  const made = await generateNotes(dir, Number(facts), seed ? Number(seed) : 42)
  console.log(`${made.facts} facts in ${made.files} files (${made.bytes} bytes) → ${made.dir}`)
}

/** Makes a small edit to one fact of `file` (a word added to its first list item). */
export async function editOneFile(file: string, round: number): Promise<void> {
  const text = await readFile(file, 'utf8')
  const edited = text.replace(/^- (?!.*\^)(.*?)$/m, (_line, rest: string) => `- Edited${round} ${rest}`)
  if (edited === text) throw new Error(`no list item to edit in ${file}`)
  await writeFile(file, edited)
}
