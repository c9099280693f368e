/** Cloze marks (`==…==`, `{{cN::…}}`, see remark-cloze): a Cloze note, one card per number. */
import { blocksText, clozeText, deletions, inlineClozeText } from './text.ts'
import type { FormReader } from './types.ts'

export const cloze: FormReader<'cloze'> = {
  form: 'cloze',
  item({ blocks, clozes }) {
    if (clozes.length === 0) return undefined
    const parts = { text: blocks.map((b) => clozeText(b)).join('\n'), deletions: deletions(clozes) }
    return { card: { form: 'cloze', cloze: parts }, text: blocksText(blocks), keyWords: parts.deletions.map((d) => d.answer).join(' ') }
  },
  row({ row, clozes }) {
    if (clozes.length === 0) return undefined
    const values = row.cells.map((c) => `${c.header}: ${inlineClozeText(c.tree)}`).join('; ')
    return { form: 'cloze', cloze: { text: `${inlineClozeText(row.labelTree)}: ${values}`, deletions: deletions(clozes) } }
  },
}
