/** Hand-built `Notes` for the Anki emitter's tests: no markdown, no pipeline. */
import type { DeckInfo, Fact, Notes, Topic } from '../src/facts/model.ts'
import { itemContent, rowContent, type FactContent } from './helpers/facts.ts'

export const T0 = 1_735_689_600 // 2025-01-01T00:00:00Z, unix seconds

export const deck: DeckInfo = {
  title: 'AWS DevOps Pro DOP-C02',
  slug: 'aws-devops-pro-dop-c02',
  exam: 'DOP-C02',
  examName: 'AWS Certified DevOps Engineer – Professional',
  namespace: 'aws-devops-pro-dop-c02',
  domains: [
    { id: 'sdlc', number: 1, name: 'SDLC Automation', weight: 22 },
    { id: 'iac', number: 2, name: 'Configuration Management and IaC', weight: 17 },
  ],
  keyTopics: ['Implementing CI/CD pipelines'],
}

export function topic(id: string, name: string, order: number, domains: string[] = ['iac']): Topic {
  return { id, name, title: name, domains, file: `${id}.md`, order, factCount: 0 }
}

/** What makes a fact apart from its content: everything else has a default. */
type FactInput = Partial<Omit<Fact, 'form' | 'body' | 'text'>> & Pick<Fact, 'id' | 'topic'>

/** A fact with every field filled; its content from `content`; `order`, `source.line` and `guid` follow from the arguments. */
export function fact(input: FactInput, content: FactContent, order: number): Fact {
  const { id, topic } = input
  return {
    guid: `g${id.replace(/[^a-z0-9]/gi, '').slice(0, 8)}${order}`,
    domains: ['iac'],
    section: ['Stack policies'],
    text: content.text,
    markdown: id,
    body: content.body,
    tags: [`DOP-C02::topic::${topic}`, 'DOP-C02::domain::iac'],
    contentHash: `hash-${id}`,
    modified: T0 + order,
    added: T0,
    order,
    source: { file: `${topic}.md`, line: 10 + order, column: 1 },
    ...input,
    ...content.card,
  } as Fact
}

/** A cloze fact from markdown with cloze marks. */
export function clozeFact(id: string, topicId: string, markdown: string, order: number, extra: Partial<Fact> = {}): Fact {
  return fact({ id, topic: topicId, ...extra }, itemContent(markdown), order)
}

/** A term fact: `**term**: definition` (both markdown). */
export function termFact(id: string, topicId: string, term: string, definition: string, order: number, extra: Partial<Fact> = {}): Fact {
  return fact({ id, topic: topicId, ...extra }, itemContent(`**${term}**: ${definition}`), order)
}

/** A question fact: `question :: answer` (both markdown). */
export function qaFact(id: string, topicId: string, question: string, answer: string, order: number, extra: Partial<Fact> = {}): Fact {
  return fact({ id, topic: topicId, ...extra }, itemContent(`${question} :: ${answer}`), order)
}

/** Two topics, six facts: a cloze with two numbers, a term, a qa, a table row, a fact without a card, a one-number cloze. */
export function sampleNotes(): Notes {
  const topics = [topic('cloudformation', 'AWS CloudFormation', 0), topic('codepipeline', 'AWS CodePipeline', 1, ['sdlc'])]
  const facts: Fact[] = [
    clozeFact(
      'cfn-stack-policy-default',
      'cloudformation',
      'A stack policy protects {{c1::**every resource**}} by {{c2::default}}.',
      0,
    ),
    termFact(
      'cloudformation/stack-policy',
      'cloudformation',
      'Stack policy',
      'A JSON document that says which update actions are allowed on which resources.',
      1,
    ),
    qaFact(
      'cfn-stack-policy-allow',
      'cloudformation',
      'What must a stack policy state to let a resource be updated?',
      'An explicit `Allow`.',
      2,
    ),
    fact({ id: 'codepipeline/action-types/source', topic: 'codepipeline', section: ['Action types'] }, rowContent('Action types', ['Action', 'Category'], ['Source', '`Source`']), 3),
    fact({ id: 'codepipeline/prose', topic: 'codepipeline', section: [] }, itemContent('codepipeline/prose'), 4),
    clozeFact('codepipeline/stages', 'codepipeline', 'A pipeline has at least {{c1::two}} stages.', 5, { section: [] }),
  ]
  return { deck, topics: topics.map((t) => ({ ...t, factCount: facts.filter((f) => f.topic === t.id).length })), facts }
}
