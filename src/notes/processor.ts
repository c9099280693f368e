/**
 * The markdown parser cheatdeck reads notes with: remark-parse with GFM, frontmatter, math and
 * the notes' own syntaxes (comments, `\(…\)` math, Obsidian's, inline HTML, clozes, card-only
 * sub-bullets). A file is parsed without GFM's autolink literals unless its text could hold one
 * (./autolink-gate.ts): the same tree, a quarter of the parse less.
 */
import type { Root } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { mayHoldAutolinkLiteral, withoutAutolinkLiterals } from './autolink-gate.ts'
import remarkCardOnly from './remark-card-only.ts'
import remarkCloze from './remark-cloze.ts'
import remarkIgnoreComments from './remark-ignore-comments.ts'
import remarkInlineHtml from './remark-inline-html.ts'
import remarkObsidian from './remark-obsidian.ts'
import remarkTexDelimiters from './remark-tex-delimiters.ts'

function processor(literals: boolean) {
  const gfm = literals ? unified().use(remarkParse).use(remarkGfm) : unified().use(remarkParse).use(remarkGfm).use(withoutAutolinkLiterals)
  return gfm.use(remarkFrontmatter, ['yaml']).use(remarkIgnoreComments).use(remarkMath).use(remarkTexDelimiters).use(remarkObsidian).use(remarkInlineHtml).use(remarkCloze).use(remarkCardOnly)
}

const full = processor(true)
const quick = processor(false)

/** The file's tree, the notes' syntaxes applied (their messages on `file`). */
export function parseTree(file: VFile): Root {
  return full.runSync(syntaxTree(file), file) as Root
}

/** The tree as parsed, before the notes' syntaxes run; with or without autolink literals (tests compare them). */
export function syntaxTree(file: VFile, literals: 'gated' | 'always' | 'never' = 'gated'): Root {
  if (literals === 'always') return full.parse(file)
  const lean = quick.parse(file)
  return literals === 'never' || !mayHoldAutolinkLiteral(lean) ? lean : full.parse(file)
}
