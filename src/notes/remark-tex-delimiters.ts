/**
 * remark-tex-delimiters: Anki's and LaTeX's own math delimiters, `\(…\)` inline and `\[…\]`
 * display, read as math (the `inlineMath` nodes of remark-math) instead of markdown escapes that
 * would drop their backslashes. A micromark extension tried before the character escape at `\`;
 * its tokens are remark-math's, so mdast-util-math builds the node. `\[…\]` is marked display.
 *
 * Markdown escapes brackets the same way: Pandoc and Notion exports write `\[1\]` and
 * `\[optional\]`, Obsidian's own docs `\[\[link\]\]`. What lies between is read as TeX only when it
 * reads as math (`readsAsTex`); brackets around a number, a word of prose or another escaped
 * bracket stay the markdown escapes they are.
 */
import type { Root } from 'mdast'
// The node types (mdast-util-math) and token types (micromark-extension-math) this builds on.
import type { InlineMath } from 'mdast-util-math'
import type {} from 'micromark-extension-math'
import type { Code, Construct, Effects, State, TokenizeContext } from 'micromark-util-types'
import { markdownLineEnding } from 'micromark-util-character'
import type { Processor } from 'unified'
import type { VFile } from 'vfile'

declare module 'mdast-util-math' {
  interface InlineMathData {
    /** Written `\[…\]`: display math inside a paragraph. */
    texDisplay?: boolean
  }
}

const BACKSLASH = 92
const CLOSER: Record<number, number> = { 40: 41, 91: 93 } // ( → ), [ → ]

const texMath: Construct = { name: 'texMath', tokenize }

function tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let closer = 0
  let opener = 0
  /** What lies between the delimiters, as read so far. */
  let content = ''
  const closing: Construct = { tokenize: tokenizeClosing, partial: true }
  return start

  function start(code: Code): State | undefined {
    effects.enter('mathText')
    effects.enter('mathTextSequence')
    effects.consume(code)
    return open
  }
  function open(code: Code): State | undefined {
    const close = code === null ? undefined : CLOSER[code]
    if (close === undefined) return nok(code)
    closer = close
    opener = code as number
    effects.consume(code)
    effects.exit('mathTextSequence')
    return between
  }
  function between(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      content += '\n'
      return between
    }
    if (code === BACKSLASH) return effects.attempt(closing, done, escaped)(code)
    effects.enter('mathTextData')
    return data(code)
  }
  /** A backslash that does not close: it and the character after it are TeX (`\\`, `\{`). */
  function escaped(code: Code): State | undefined {
    effects.enter('mathTextData')
    take(code)
    return afterBackslash
  }
  function afterBackslash(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return data(code)
    take(code)
    return data
  }
  function data(code: Code): State | undefined {
    if (code === null || code === BACKSLASH || markdownLineEnding(code)) {
      effects.exit('mathTextData')
      return between(code)
    }
    take(code)
    return data
  }
  function take(code: Code): void {
    // Negative codes are micromark's virtual spaces (a tab's columns).
    content += code !== null && code > 0 ? String.fromCodePoint(code) : ' '
    effects.consume(code)
  }
  function done(code: Code): State | undefined {
    if (!readsAsTex(content, opener)) return nok(code)
    effects.exit('mathText')
    return ok(code)
  }
  function tokenizeClosing(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    return (code) => {
      effects.enter('mathTextSequence')
      effects.consume(code)
      return (next: Code) => {
        if (next !== closer) return nok(next)
        effects.consume(next)
        effects.exit('mathTextSequence')
        return ok
      }
    }
  }
}

/**
 * Whether what lies between `\(…\)` or `\[…\]` reads as math: a TeX command, a sub- or
 * superscript, braces, an operator, or symbols too short to be prose (`x`, `AB`, `f(x)`). Not:
 * nothing, a number (`\[1\]`), text with a word of prose in it (`\[optional\]`), another escaped
 * bracket (`\[\[link\]\]`).
 */
function readsAsTex(content: string, opener: number): boolean {
  const text = content.trim()
  if (!text || text.startsWith(`\\${String.fromCharCode(opener)}`)) return false
  if (/[\\^_{}=+*/<>|&~]/.test(text)) return true
  if (/^[\d\s.,;:]+$/.test(text)) return false
  return !/\p{L}{3}/u.test(text)
}

/** Use after remark-math (whose mdast-util-math turns the tokens into nodes). */
export default function remarkTexDelimiters(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push({ text: { [BACKSLASH]: texMath } })
  return (tree: Root, file: VFile) => {
    const source = String(file.value)
    const visit = (node: Root | Root['children'][number]): void => {
      if (node.type === 'inlineMath') markDisplay(node, source)
      if ('children' in node) for (const child of node.children) visit(child)
    }
    visit(tree)
  }
}

function markDisplay(node: InlineMath, source: string): void {
  const offset = node.position?.start.offset
  if (offset !== undefined && source.startsWith('\\[', offset)) (node.data ??= {}).texDisplay = true
}
