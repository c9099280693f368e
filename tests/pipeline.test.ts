import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { datasetFact } from '../src/emit/dataset/index.ts'
import { compile, type Fact } from '../src/index.ts'

/** A `facts.json` fact, loosely typed: what the assertions below read. */
type DatasetFact = Pick<Fact, 'id' | 'form' | 'text' | 'markdown' | 'section' | 'source' | 'tags'> & {
  html: string
  cloze?: { text: string; html: string; deletions: unknown[] }
  term?: Record<string, string>
  question?: Record<string, string>
  table?: unknown
}
import { FIXTURES } from './helpers/fixture.ts'

const NOW = 1_700_000_000

async function forms() {
  const result = await compile({ notes: path.join(FIXTURES, 'forms'), now: NOW })
  /** The fact whose text starts so, as `facts.json` shows it (with its HTML renderings). */
  const byText = (start: string) => {
    const fact = result.notes.facts.find((f) => f.text.startsWith(start))
    if (!fact) throw new Error(`no fact starting with ${start}`)
    return datasetFact(fact) as DatasetFact
  }
  return { result, byText }
}

describe('card forms', () => {
  it('makes a cloze from ==marks==, numbering them in order', async () => {
    const { byText } = await forms()
    const fact = byText('A widget stores')
    expect(fact.form).toBe('cloze')
    expect(fact.text).toBe('A widget stores its state in DynamoDB.')
    expect(fact.cloze).toEqual({
      text: 'A widget stores its state in {{c1::DynamoDB}}.',
      html: 'A widget stores its state in {{c1::DynamoDB}}.',
      deletions: [{ index: 1, answer: 'DynamoDB' }],
    })
    expect(fact.html).toBe('A widget stores its state in <strong class="cloze">DynamoDB</strong>.')
  })

  it("accepts Anki's {{cN::answer::hint}} and numbers ==marks== around explicit numbers", async () => {
    const { byText } = await forms()
    const fact = byText('Widgets rotate keys')
    expect(fact.form).toBe('cloze')
    expect(fact.cloze?.deletions).toEqual([
      { index: 2, answer: '90 days', hint: 'how long?' },
      { index: 1, answer: 'CloudTrail' },
    ])
    expect(fact.cloze?.html).toBe('Widgets rotate keys every {{c2::90 days::how long?}} and log to {{c1::CloudTrail}}.')
  })

  it('makes term → definition from a leading **Term**: (colon inside or outside the bold)', async () => {
    const { byText } = await forms()
    expect(byText('Widget pool').term).toEqual({
      term: 'Widget pool',
      definition: 'a set of warm widgets kept ready for bursts.',
      termHtml: 'Widget pool',
      definitionHtml: 'a set of warm widgets kept ready for bursts.',
    })
    expect(byText('Cold start').term?.definition).toBe('the delay before a new widget serves traffic.')
  })

  it('makes question → answer from `Question? :: Answer`', async () => {
    const { byText } = await forms()
    const fact = byText('Which port')
    expect(fact.form).toBe('qa')
    expect(fact.id).toBe('widget-port')
    expect(fact.question).toEqual({
      question: 'Which port does a widget listen on?',
      answer: 'Port 8443.',
      questionHtml: 'Which port does a widget listen on?',
      answerHtml: 'Port <code>8443</code>.',
    })
    expect(fact.markdown).toBe('Which port does a widget listen on? :: Port `8443`.')
  })

  it('keeps a nested list inside its fact', async () => {
    const { byText } = await forms()
    const fact = byText('A widget runs these hooks')
    expect(fact.form).toBe('cloze')
    expect(fact.text).toBe('A widget runs these hooks, in order:\nBeforeInstall\nAfterInstall')
    expect(fact.html).toContain('<li><strong class="cloze">BeforeInstall</strong></li>')
    expect(fact.markdown).toBe('A widget runs these hooks, in order:\n- ==BeforeInstall==\n- AfterInstall')
  })

  it('keeps a fact without card markup, as form none', async () => {
    const { result, byText } = await forms()
    expect(byText('Raise the widget quota').form).toBe('none')
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`)).toEqual(['widgets.md:22:1 no-card', 'widgets.md:28:1 overloaded-card'])
  })

  it('turns each table row into a fact labelled by the header cells', async () => {
    const { byText } = await forms()
    const all = byText('All at once')
    expect(all.id).toBe('widget-policy-all')
    expect(all.form).toBe('term')
    expect(all.section).toEqual(['Policies'])
    expect(all.table).toEqual({
      caption: 'Policies',
      labelHeader: 'Policy',
      label: 'All at once',
      cells: [
        { header: 'Load-balanced', value: 'Yes', valueHtml: 'Yes' },
        { header: 'Single-instance', value: 'Yes', valueHtml: 'Yes' },
      ],
    })
    expect(all.text).toBe('All at once: Load-balanced: Yes; Single-instance: Yes')
    expect(all.markdown).toBe('| All at once | Yes | Yes |')
    const rolling = byText('Rolling')
    expect(rolling.form).toBe('cloze')
    expect(rolling.cloze?.deletions).toEqual([{ index: 1, answer: 'No' }])
  })
})

describe('sections, ids and positions', () => {
  it('records the section path, source position and document order', async () => {
    const { result, byText } = await forms()
    const quota = byText('A Region allows')
    expect(quota.section).toEqual(['Limits', 'Quotas'])
    expect(quota.source).toEqual({ file: 'widgets.md', line: 21, column: 1 })
    expect(result.notes.facts.map((f) => f.order)).toEqual(result.notes.facts.map((_, i) => i))
    expect(quota.tags).toEqual(['TST-01::topic::widgets', 'TST-01::domain::build', 'TST-01::domain::run', 'TST-01::section::widgets::limits::quotas'])
  })

  it('uses a pin as the id, else derives topic/key-words', async () => {
    const { result } = await forms()
    expect(result.notes.facts.map((f) => f.id)).toEqual([
      'widget-state',
      'widgets/90-days-cloudtrail',
      'widgets/widget-pool',
      'widgets/cold-start',
      'widget-port',
      'widgets/beforeinstall',
      'widgets/1-000',
      'widgets/raise-widget-quota-service-quotas',
      'widget-policy-all',
      'widgets/rolling',
    ])
  })

  it('derives GUIDs from the namespace and id only: same id, same GUID, whatever the wording or clock', async () => {
    const a = await compile({ notes: path.join(FIXTURES, 'forms'), now: NOW })
    const b = await compile({ notes: path.join(FIXTURES, 'forms'), now: NOW + 5000 })
    expect(b.notes.facts.map((f) => f.guid)).toEqual(a.notes.facts.map((f) => f.guid))
    expect(new Set(a.notes.facts.map((f) => f.guid)).size).toBe(a.notes.facts.length)
    for (const fact of a.notes.facts) expect(fact.guid).toMatch(/^[\x21-\x7e]{10}$/)
  })

  it('reads the deck file: title, slug, exam, domains with weights, key topics', async () => {
    const { result } = await forms()
    expect(result.notes.deck).toEqual({
      title: 'Test Deck',
      slug: 'test-deck',
      exam: 'TST-01',
      namespace: 'test-deck',
      domains: [
        { id: 'build', number: 1, name: 'Building', weight: 60 },
        { id: 'run', number: 2, name: 'Running', weight: 40 },
      ],
      keyTopics: ['First key topic', 'Second key topic'],
    })
    expect(result.notes.topics).toEqual([{ id: 'widgets', name: 'Widget Service', title: 'Widget Service', domains: ['build', 'run'], file: 'widgets.md', order: 0, factCount: 10 }])
    expect(result.cards).toBe(10)
  })
})
