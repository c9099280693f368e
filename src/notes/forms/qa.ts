/** `Question? :: Answer`: a Basic card, question on the front. Wins over every other markup. */
import type { Paragraph, PhrasingContent, Text } from 'mdast'
import type { Blocks } from '../../facts/model.ts'
import { blocksText, plain } from './text.ts'
import type { FormReader } from './types.ts'

export const qa: FormReader<'qa'> = {
  form: 'qa',
  item({ blocks }) {
    const [first, ...rest] = blocks
    const split = first?.type === 'paragraph' ? splitQuestion(first) : undefined
    if (!split) return undefined
    const answerTree: Blocks = split.answer.length ? [{ type: 'paragraph', children: split.answer }, ...rest] : rest
    const question = { question: plain(split.question), answer: blocksText(answerTree), questionTree: split.question, answerTree }
    return { card: { form: 'qa', question }, text: `${question.question} ${question.answer}`.trim(), keyWords: question.question }
  },
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
