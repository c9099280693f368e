/**
 * The card forms, one by one (src/notes/forms/): what each reads from a list item or a table row,
 * what it leaves to the next form, and the registry's priority.
 */
import { describe, expect, it } from 'vitest'
import { toString } from 'mdast-util-to-string'
import { factsJsonSchema } from '../src/emit/dataset/index.ts'
import { FORMS, readItem } from '../src/notes/forms/index.ts'
import { itemInput, rowInput } from './helpers/facts.ts'

const item = (form: keyof typeof FORMS, markdown: string) => FORMS[form].item?.(itemInput(markdown))

describe('qa', () => {
  it('splits `Question? :: Answer` at the first ` :: `', () => {
    const reading = item('qa', 'Which port? :: Port `8443` :: really.')
    expect(reading?.card.form).toBe('qa')
    if (reading?.card.form !== 'qa') return
    expect(reading.card.question).toMatchObject({ question: 'Which port?', answer: 'Port 8443 :: really.' })
    expect(toString({ type: 'paragraph', children: reading.card.question.questionTree })).toBe('Which port?')
    expect(reading.card.question.answerTree.map((b) => b.type)).toEqual(['paragraph'])
    expect(reading).toMatchObject({ text: 'Which port? Port 8443 :: really.', keyWords: 'Which port?' })
    expect(reading.problem).toBeUndefined()
  })

  it('keeps the blocks after the first paragraph in the answer', () => {
    const reading = item('qa', 'Which hooks run? :: In order:\n\n- BeforeInstall\n- AfterInstall')
    if (reading?.card.form !== 'qa') throw new Error('not a qa')
    expect(reading.card.question.answer).toBe('In order:\nBeforeInstall\nAfterInstall')
    expect(reading.card.question.answerTree.map((b) => b.type)).toEqual(['paragraph', 'list'])
  })

  it('reads no `::` between letters (a name), in code, or with nothing before it', () => {
    expect(item('qa', 'AWS::AccountId is a pseudo parameter.')).toBeUndefined()
    // A `{{c1::` that never closes is given back as text nodes side by side: still no separator.
    expect(item('qa', 'Starts {{c1::quickly and never closes.')).toBeUndefined()
    expect(item('qa', 'Write `a :: b` in code.')).toBeUndefined()
    expect(item('qa', ':: an answer without a question')).toBeUndefined()
    expect(item('qa', 'A question without an answer? ::')).toBeUndefined()
  })

  it('reads no table rows', () => {
    expect(FORMS.qa.row).toBeUndefined()
  })
})

describe('cloze', () => {
  it('lists the deletions in document order, numbered as Anki numbers them', () => {
    const reading = item('cloze', 'Keys rotate every {{c2::90 days::how long?}} and log to ==CloudTrail==.')
    if (reading?.card.form !== 'cloze') throw new Error('not a cloze')
    expect(reading.card.cloze).toEqual({
      text: 'Keys rotate every {{c2::90 days::how long?}} and log to {{c1::CloudTrail}}.',
      deletions: [
        { index: 2, answer: '90 days', hint: 'how long?' },
        { index: 1, answer: 'CloudTrail' },
      ],
    })
    expect(reading).toMatchObject({ text: 'Keys rotate every 90 days and log to CloudTrail.', keyWords: '90 days CloudTrail' })
  })

  it('reads nothing without cloze marks', () => {
    expect(item('cloze', 'No marks, and `==code==` is code.')).toBeUndefined()
    expect(FORMS.cloze.row?.(rowInput('T', ['Name', 'Value'], ['a', 'b']))).toBeUndefined()
  })

  it('makes a table row with marks in its cells a cloze, its text labelled by the headers', () => {
    expect(FORMS.cloze.row?.(rowInput('Policies', ['Policy', 'LB', 'Single'], ['Rolling', 'Yes', '==No==']))).toEqual({
      form: 'cloze',
      cloze: { text: 'Rolling: LB: Yes; Single: {{c1::No}}', deletions: [{ index: 1, answer: 'No' }] },
    })
  })
})

describe('term', () => {
  it('reads `**Term**: definition` and `**Term:** definition`', () => {
    for (const markdown of ['**Widget pool**: a set of *warm* widgets.', '**Widget pool:** a set of *warm* widgets.']) {
      const reading = item('term', markdown)
      if (reading?.card.form !== 'term') throw new Error(`not a term: ${markdown}`)
      expect(reading.card.term).toMatchObject({ term: 'Widget pool', definition: 'a set of warm widgets.' })
      expect(toString({ type: 'paragraph', children: reading.card.term.termTree })).toBe('Widget pool')
      expect(reading.keyWords).toBe('Widget pool')
      expect(reading.text).toBe('Widget pool: a set of warm widgets.')
    }
  })

  it('reads no bold that is not a leading term', () => {
    expect(item('term', '**Bold** without a colon.')).toBeUndefined()
    expect(item('term', 'A **Term**: not at the start.')).toBeUndefined()
    expect(item('term', '**:** nothing in the bold')).toBeUndefined()
  })

  it('reads every table row: its name is the term, its labelled values the definition', () => {
    expect(FORMS.term.row?.(rowInput('Policies', ['Policy', 'LB', 'Single'], ['All at once', 'Yes', '`Yes`']))).toMatchObject({
      form: 'term',
      term: { term: 'All at once', definition: 'LB: Yes; Single: Yes' },
    })
  })
})

describe('none', () => {
  it('reads any item, with a no-card warning', () => {
    expect(item('none', 'Raise the quota with a request.')).toEqual({
      card: { form: 'none' },
      text: 'Raise the quota with a request.',
      keyWords: 'Raise the quota with a request.',
      problem: {
        ruleId: 'no-card',
        reason: 'Unexpected fact without card markup, expected `==cloze==`, `**Term**: definition` or `Question? :: Answer`',
      },
    })
  })
})

describe('the registry', () => {
  it('has every form the dataset schema allows, and no other', () => {
    const published = factsJsonSchema() as { $defs: { fact: { oneOf: { properties: { form: { const: string } } }[] } } }
    expect(Object.keys(FORMS).sort()).toEqual(published.$defs.fact.oneOf.map((branch) => branch.properties.form.const).sort())
  })

  it('gives an item the first form that reads it', () => {
    expect(readItem(itemInput('What holds the ==state==? :: DynamoDB.')).card.form).toBe('qa')
    expect(readItem(itemInput('**Stack policy**: protects ==every resource==.')).card.form).toBe('cloze')
    expect(readItem(itemInput('**Stack policy**: protects every resource.')).card.form).toBe('term')
    expect(readItem(itemInput('Plain.')).card.form).toBe('none')
  })
})
