/**
 * YAML with positions: the deck file and every frontmatter block go through here, so a problem
 * in either points at the line and column where it is.
 */
import { isMap, isScalar, LineCounter, parseDocument, visit, type Alias, type Document, type Node as YamlNode } from 'yaml'
import type { SourcePosition } from '../facts/model.ts'
import type { Diagnostics, Place } from '../diagnostics.ts'
import type { RuleId } from '../rules/index.ts'

export interface ParsedYaml {
  /** The document's root as plain data; undefined when the YAML is broken. */
  data: unknown
  /** Span of a node in the host file (the frontmatter's offset applied). */
  at(node: unknown): Place
  /** The node at a key path of the root map, for positioning messages about it. */
  node(...keys: (string | number)[]): unknown
  /** The key node of a key path (the last key) in the root map. */
  key(...keys: (string | number)[]): unknown
  root: SourcePosition
}

/**
 * Parses `text` as YAML; `line0` is the 1-based host line the text starts on.
 * Reports broken YAML under `ruleId` and returns data undefined.
 */
export function parseYaml(text: string, file: string, line0: number, ruleId: RuleId, diagnostics: Diagnostics): ParsedYaml {
  const counter = new LineCounter()
  const doc: Document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
  const place = (offset: number): SourcePosition => {
    const { line, col } = counter.linePos(Math.max(0, Math.min(offset, text.length)))
    return { file, line: line + line0 - 1, column: col }
  }
  const root = place(doc.contents?.range?.[0] ?? 0)
  const parsed: ParsedYaml = {
    data: undefined,
    root,
    at(node) {
      const range = (node as YamlNode | undefined)?.range
      if (!range) return root
      const end = place(range[1])
      return { ...place(range[0]), end: { line: end.line, column: end.column } }
    },
    node(...keys) {
      return doc.getIn(keys, true)
    },
    key(...keys) {
      const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents
      const last = keys[keys.length - 1]
      return isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key : undefined
    },
  }
  const problem = doc.errors[0]
  if (problem) {
    const reason = problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+.*$/, '') ?? 'error'
    diagnostics.error(ruleId, place(problem.pos[0]), `Unexpected YAML error (${reason}), expected valid YAML`)
    return parsed
  }
  try {
    parsed.data = doc.toJS()
  } catch (error) {
    // An alias to no anchor (`*x`) or one that expands too far is only found here, not in `errors`.
    const reason = (error as Error).message.split('\n')[0] ?? 'error'
    let alias: Alias | undefined
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined) return undefined
        alias = node
        return visit.BREAK
      },
    })
    diagnostics.error(ruleId, alias ? parsed.at(alias) : root, `Unexpected YAML error (${reason}), expected valid YAML`)
  }
  return parsed
}
