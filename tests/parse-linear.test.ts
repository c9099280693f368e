/**
 * Parsing is linear in the facts of one file. Counted, not timed: the characters that the string
 * scans (`slice`, `substring`, `split`, `indexOf`, `lastIndexOf`) go over while one file is parsed.
 * Looking a position up by rescanning the text from its start (as `position()` and remark-cloze's
 * `place()` once did, per fact and per cloze mark) makes that count grow with the square of the
 * facts; here four times the facts must cost about four times the scanning, not sixteen.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { EditMap } from 'micromark-util-edit-map'
import { original } from '../src/notes/linear-edit-map.ts'
import { parseTopic } from '../src/notes/parse.ts'

/** One file of `count` facts: every card form, clozes of both syntaxes, warnings and a table. */
function topicFile(count: number): string {
  const lines = ['---', 'name: Linear', 'domains: [build]', '---', '', '# Linear', '']
  for (let i = 0; i < count; i++) {
    if (i % 50 === 0) lines.push('', `## Section ${i}`, '')
    const kind = i % 5
    if (kind === 0) lines.push(`- Fact ${i} hides ==answer ${i}== and {{c2::another::hint}}. ^pin-${i}`)
    else if (kind === 1) lines.push(`- **Term ${i}**: the definition of term ${i}.`)
    else if (kind === 2) lines.push(`- What is ${i}? :: The answer ${i}.`)
    else if (kind === 3) lines.push(`- A plain fact ${i} without a card, so it warns.`)
    else lines.push(`- Broken ${i} ==open cloze`)
  }
  lines.push('', '## Table', '', '| Name | Value |', '| --- | --- |')
  for (let r = 0; r < count / 10; r++) lines.push(`| Row ${r} | ==value ${r}== |`)
  return `${lines.join('\n')}\n`
}

const SCANS = ['slice', 'substring', 'split', 'indexOf', 'lastIndexOf'] as const
const originals = new Map(SCANS.map((name) => [name, String.prototype[name]]))

afterEach(() => {
  for (const [name, original] of originals) Object.defineProperty(String.prototype, name, { value: original, writable: true, configurable: true })
})

/** Characters scanned by the string methods above while `run` runs. */
function scanned(run: () => void): number {
  let total = 0
  const count = (name: (typeof SCANS)[number], cost: (self: string, args: unknown[], result: unknown) => number): void => {
    const original = originals.get(name) as (...args: unknown[]) => unknown
    Object.defineProperty(String.prototype, name, {
      value(this: string, ...args: unknown[]) {
        const result = original.apply(this, args)
        total += cost(String(this), args, result)
        return result
      },
      writable: true,
      configurable: true,
    })
  }
  const sliced = (_self: string, _args: unknown[], result: unknown): number => String(result).length
  count('slice', sliced)
  count('substring', sliced)
  count('split', (self) => self.length)
  count('indexOf', (self, args, result) => {
    const from = Math.max(0, Number(args[1] ?? 0) || 0)
    return (result as number) === -1 ? self.length - from : (result as number) - from + 1
  })
  count('lastIndexOf', (self, args, result) => {
    const from = args[1] === undefined ? self.length : Number(args[1])
    return from - (result as number) + 1
  })
  try {
    run()
  } finally {
    for (const [name, original] of originals) Object.defineProperty(String.prototype, name, { value: original, writable: true, configurable: true })
  }
  return total
}

describe('parsing one file', () => {
  it('scans the text a number of times that does not grow with the facts (4× the facts, < 5× the work)', () => {
    const small = topicFile(300)
    const large = topicFile(1200)
    // The work per fact, with every message positioned (no-card warnings, unclosed clozes).
    let parsed = parseTopic('linear.md', small)
    expect(parsed.facts.length).toBeGreaterThan(250)
    expect(parsed.diagnostics.some((d) => d.ruleId === 'malformed-cloze' && d.line > 250)).toBe(true)
    const smallWork = scanned(() => void parseTopic('linear.md', small))
    const largeWork = scanned(() => {
      parsed = parseTopic('linear.md', large)
    })
    expect(parsed.facts.length).toBeGreaterThan(1000)
    expect(smallWork).toBeGreaterThan(small.length)
    const ratio = largeWork / smallWork
    expect(ratio, `${smallWork} → ${largeWork} characters scanned`).toBeGreaterThan(3)
    expect(ratio, `${smallWork} → ${largeWork} characters scanned`).toBeLessThan(5)
  }, 60_000)

  it('still points every message at its own line and column', () => {
    const value = topicFile(200)
    const { diagnostics } = parseTopic('linear.md', value)
    const lines = value.split('\n')
    const broken = diagnostics.filter((d) => d.ruleId === 'malformed-cloze')
    expect(broken.length).toBe(40)
    for (const d of broken) expect(lines[d.line - 1]?.slice(d.column - 1, d.column + 1)).toBe('==')
    const plain = diagnostics.filter((d) => d.ruleId === 'no-card' && !lines[d.line - 1]?.includes('Broken'))
    expect(plain.length).toBe(40)
    for (const d of plain) expect(lines[d.line - 1]?.startsWith('- A plain fact', d.column - 1)).toBe(true)
  })
})

/** Array work (elements pushed or copied by `slice`) while `run` runs. */
function arrayWork(run: () => void): number {
  const push = Array.prototype.push
  const slice = Array.prototype.slice
  let total = 0
  Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
    total += items.length
    return push.apply(this, items)
  }
  Array.prototype.slice = function (this: unknown[], ...args: [number?, number?]) {
    const result = slice.apply(this, args)
    total += result.length
    return result
  }
  try {
    run()
  } finally {
    Array.prototype.push = push
    Array.prototype.slice = slice
  }
  return total
}

/** Many sections of one fact each: a list closes after every paragraph. */
function sectionsFile(count: number): string {
  const lines = ['---', 'name: Sections', 'domains: [build]', '---', '', '# Sections', '']
  for (let i = 0; i < count; i++) lines.push(`## Section ${i}`, '', `- Fact ${i} hides ==answer ${i}==.`, '', `> quoted ${i}`, 'lazy', '')
  return `${lines.join('\n')}\n`
}

describe('parsing a file of many sections', () => {
  it('does array work that grows with the sections, not their square (micromark\'s EditMap.consume)', () => {
    const small = sectionsFile(200)
    const large = sectionsFile(800)
    const smallWork = arrayWork(() => void parseTopic('sections.md', small))
    let parsed = parseTopic('sections.md', small)
    const largeWork = arrayWork(() => {
      parsed = parseTopic('sections.md', large)
    })
    // Each section's list item and its block quote are facts.
    expect(parsed.facts.length).toBe(1600)
    const ratio = largeWork / smallWork
    expect(ratio, `${smallWork} → ${largeWork} elements`).toBeGreaterThan(3)
    expect(ratio, `${smallWork} → ${largeWork} elements`).toBeLessThan(5)
  }, 60_000)

  it('reads the same tree as micromark\'s own EditMap.consume', () => {
    const value = `${sectionsFile(30)}\n- a\n  - b\nlazy\n\n> - c\n> d\ne\n\nSetext\n---\n\n| A | B |\n| - | - |\n| x | ==y== |\n`
    const patched = parseTopic('same.md', value)
    const ours = EditMap.prototype.consume
    EditMap.prototype.consume = original
    try {
      expect(parseTopic('same.md', value)).toEqual(patched)
    } finally {
      EditMap.prototype.consume = ours
    }
  })
})
