/** No card markup: still a fact for the sheet and the dataset, with a warning. Reads every item. */
import { blocksText } from './text.ts'
import type { FormReader } from './types.ts'

export const none: FormReader<'none'> = {
  form: 'none',
  item({ blocks }) {
    const text = blocksText(blocks)
    return {
      card: { form: 'none' },
      text,
      keyWords: text,
      problem: { ruleId: 'no-card', reason: 'Unexpected fact without card markup, expected `==cloze==`, `**Term**: definition` or `Question? :: Answer`' },
    }
  },
}
