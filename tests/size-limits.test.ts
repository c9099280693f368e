/**
 * House limits, kept true by a test: no file in src/ over 400 lines, no function over 80 (a
 * function, method, accessor or arrow function, counted from its first token to its last, with
 * what is nested in it), measured with the TypeScript compiler's own parse.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SRC = path.resolve(import.meta.dirname, '..', 'src')
const MAX_FILE_LINES = 400
const MAX_FUNCTION_LINES = 80

const files = (await readdir(SRC, { recursive: true })).filter((file) => file.endsWith('.ts')).sort()

/** A file's lines (a final newline ends the last line, it does not start another). */
function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}

/** Every function-like node of a file, named for the message, with its length in lines. */
function functions(file: string, text: string): { name: string; line: number; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: { name: string; line: number; lines: number }[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      const name = 'name' in node && node.name ? node.name.getText(source) : `(${ts.SyntaxKind[node.kind]})`
      found.push({ name, line: start + 1, lines: end - start + 1 })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('size limits in src/', () => {
  it('reads the sources', () => {
    expect(files.length).toBeGreaterThan(40)
  })

  it(`has no file over ${MAX_FILE_LINES} lines`, async () => {
    const long: string[] = []
    for (const file of files) {
      const lines = lineCount(await readFile(path.join(SRC, file), 'utf8'))
      if (lines > MAX_FILE_LINES) long.push(`src/${file}: ${lines} lines`)
    }
    expect(long).toEqual([])
  })

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, async () => {
    const long: string[] = []
    for (const file of files) {
      for (const f of functions(file, await readFile(path.join(SRC, file), 'utf8'))) {
        if (f.lines > MAX_FUNCTION_LINES) long.push(`src/${file}:${f.line} ${f.name}: ${f.lines} lines`)
      }
    }
    expect(long).toEqual([])
  })

  it('measures what it says (a function of 81 lines is too long, of 80 is not)', () => {
    const body = (n: number) => `function f() {\n${'  x()\n'.repeat(n - 2)}}\n`
    expect(functions('a.ts', body(81))).toEqual([{ name: 'f', line: 1, lines: 81 }])
    expect(functions('a.ts', `class A {\n  m() {\n    return () => {\n      y()\n    }\n  }\n}\n`)).toEqual([
      { name: 'm', line: 2, lines: 5 },
      { name: '(ArrowFunction)', line: 3, lines: 3 },
    ])
    expect(lineCount('a\nb\n')).toBe(2)
  })
})
