/**
 * The nesting limit (`too-deep`): block quotes and lists deeper than MAX_NESTING are refused before
 * the markdown parser sees them (its time grows faster than the square of the depth), and inline
 * markup deep enough to overflow the stack of the tree walkers is refused instead of crashing.
 * The corpus (tests/fixtures/bad) drives 10 000 `>` and 3 000 lists through the CLI.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findTooDeep, MAX_NESTING } from '../src/notes/nesting.ts'
import { parseTopic } from '../src/notes/parse.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const HEAD = '---\nname: Deep\ndomains: [build]\n---\n\n# Deep\n\n'

describe('findTooDeep', () => {
  it('counts `>`, list markers and footnote labels opened on a line, and two columns of indentation per level', () => {
    expect(findTooDeep(`${'>'.repeat(MAX_NESTING)} x`)).toBeUndefined()
    expect(findTooDeep(`${'>'.repeat(MAX_NESTING + 1)} x`)).toEqual({ line: 1, column: MAX_NESTING + 1, offset: MAX_NESTING })
    expect(findTooDeep(`${'> '.repeat(MAX_NESTING)}x`)).toBeUndefined()
    expect(findTooDeep(`${'- '.repeat(MAX_NESTING)}x`)).toBeUndefined()
    expect(findTooDeep(`a\n${'1. '.repeat(MAX_NESTING + 1)}x`)).toEqual({ line: 2, column: 3 * MAX_NESTING + 1, offset: 2 + 3 * MAX_NESTING })
    expect(findTooDeep(`${'[^a]: '.repeat(MAX_NESTING + 1)}x`)?.column).toBe(6 * MAX_NESTING + 1)
    expect(findTooDeep(`${' '.repeat(2 * MAX_NESTING)}- x`)).toEqual({ line: 1, column: 2 * MAX_NESTING + 1, offset: 2 * MAX_NESTING })
    expect(findTooDeep(`${'\t'.repeat(MAX_NESTING / 2)}- x`)).toBeDefined()
  })

  it('leaves alone lines that open nothing, and thematic breaks', () => {
    // Deeply indented text or code continues containers opened before; it opens none.
    expect(findTooDeep(`- a\n${' '.repeat(10 * MAX_NESTING)}code`)).toBeUndefined()
    expect(findTooDeep(`${'- '.repeat(3 * MAX_NESTING)}-`)).toBeUndefined()
    expect(findTooDeep(`> ${'* '.repeat(3 * MAX_NESTING)}`)).toBeUndefined()
    expect(findTooDeep('-not a list '.repeat(1000))).toBeUndefined()
  })
})

describe('parsing deep notes', () => {
  it('reads lists nested below the limit into one fact', () => {
    const depth = 40
    const lines = Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i}${i === 0 ? ' ==cloze==' : ''}`)
    const { facts, diagnostics } = parseTopic('deep.md', `${HEAD}${lines.join('\n')}\n`)
    expect(diagnostics).toEqual([])
    expect(facts.length).toBe(1)
    expect(facts[0]?.text.split('\n').length).toBe(depth)
  })

  it('refuses the whole file at the line and column where the limit is passed, and nothing else', () => {
    const value = `${HEAD}- a ==fact==\n\n${'>'.repeat(10_000)} deep\n`
    const parsed = parseTopic('deep.md', value)
    expect(parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}`)).toEqual([`10:${MAX_NESTING + 1} error too-deep`])
    expect(parsed.diagnostics[0]?.message).toMatch(/^Unexpected .* nested over 100 levels deep, expected at most 100/)
    expect(parsed.facts).toEqual([])
  })

  it('turns a stack overflow in the tree walkers into a `too-deep` error, not a crash', () => {
    // A small stack makes 300 nested emphases overflow it, as thousands do with the default one
    // (the parse stage walks the tree; rendering, in the outputs, sees only facts under 2 000 characters).
    const script = `import { parseTopic } from ${JSON.stringify(path.join(ROOT, 'src/notes/parse.ts'))}
const value = ${JSON.stringify(`${HEAD}- a ${'*a '.repeat(300)}x${' b*'.repeat(300)}\n`)}
console.log(JSON.stringify(parseTopic('deep.md', value)))`
    const run = (stack: number) =>
      spawnSync(process.execPath, [`--stack-size=${stack}`, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })
    const small = run(100)
    expect(small.status, small.stderr).toBe(0)
    const parsed = JSON.parse(small.stdout) as ReturnType<typeof parseTopic>
    expect(parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual(['1:1 too-deep'])
    expect(parsed.facts).toEqual([])
    // With the default stack the same file is read.
    const normal = run(984)
    expect(normal.status, normal.stderr).toBe(0)
    expect((JSON.parse(normal.stdout) as ReturnType<typeof parseTopic>).facts.length).toBe(1)
  }, 60_000)
})
