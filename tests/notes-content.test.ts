/**
 * The shipped DOP-C02 notes: pins their shape (38 services, the facts per service, the deck's
 * domains and key topics) and checks that every bullet of the source article is covered.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { compile, type CompileResult } from '../src/index.ts'

const NOTES = fileURLToPath(new URL('../notes', import.meta.url))
const COVERAGE = fileURLToPath(new URL('./fixtures/article-coverage.json', import.meta.url))

interface CoverageEntry {
  service: string
  bullet: string
  keyTerms: string[]
}

/** Facts per service (topic id = file slug). Change a count only together with the notes. */
const FACTS_PER_TOPIC: Record<string, number> = {
  'api-gateway': 4,
  cloudformation: 36,
  cloudtrail: 4,
  cloudwatch: 5,
  codeartifact: 8,
  codebuild: 9,
  codecommit: 1,
  codedeploy: 14,
  codeguru: 5,
  codepipeline: 8,
  config: 8,
  'control-tower': 15,
  detective: 1,
  dms: 1,
  dynamodb: 7,
  'ec2-image-builder': 4,
  ecr: 2,
  efs: 4,
  'elastic-beanstalk': 11,
  elasticache: 1,
  eventbridge: 3,
  'firewall-manager': 6,
  glue: 1,
  guardduty: 1,
  'iam-identity-center': 3,
  lambda: 5,
  organizations: 5,
  rds: 3,
  'resource-access-manager': 1,
  sam: 3,
  'service-catalog': 8,
  'service-control-policies': 3,
  sqs: 2,
  'step-functions': 1,
  'systems-manager': 22,
  'trusted-advisor': 3,
  waf: 4,
  'x-ray': 2,
}

/** Article bullets per service (141 in all; the 5 Elastic Beanstalk table rows come on top). */
const ARTICLE_BULLETS: Record<string, number> = {
  codecommit: 1, codepipeline: 5, codebuild: 7, codedeploy: 9, codeartifact: 6, codeguru: 3,
  'ec2-image-builder': 4, cloudformation: 18, 'service-catalog': 7, 'systems-manager': 13,
  organizations: 4, 'service-control-policies': 3, 'control-tower': 6, 'resource-access-manager': 1,
  'elastic-beanstalk': 1, ecr: 2, lambda: 4, 'api-gateway': 3, 'step-functions': 1, sqs: 1,
  eventbridge: 2, sam: 2, cloudtrail: 2, cloudwatch: 3, 'x-ray': 2, config: 7, 'iam-identity-center': 3,
  waf: 4, 'firewall-manager': 3, guardduty: 1, detective: 1, 'trusted-advisor': 2, efs: 2, rds: 2,
  elasticache: 1, dynamodb: 3, dms: 1, glue: 1,
}

let result: CompileResult
let coverage: CoverageEntry[]

beforeAll(async () => {
  result = await compile({ notes: NOTES })
  coverage = JSON.parse(readFileSync(COVERAGE, 'utf8')) as CoverageEntry[]
})

describe('shipped notes: deck', () => {
  it('compiles without any diagnostic (no error, no warning)', () => {
    expect(result.diagnostics).toEqual([])
    expect(result.ok).toBe(true)
  })

  it('has the six exam domains, weights summing to 100', () => {
    const { domains } = result.notes.deck
    expect(domains.map((d) => d.id)).toEqual(['sdlc', 'iac', 'resilience', 'monitoring', 'incident', 'security'])
    expect(domains.map((d) => d.weight)).toEqual([22, 17, 15, 15, 14, 17])
    expect(domains.reduce((sum, d) => sum + d.weight, 0)).toBe(100)
  })

  it('has the twelve key topics', () => {
    expect(result.notes.deck.keyTopics).toHaveLength(12)
    expect(result.notes.deck.keyTopics[7]).toBe('Auto scaling, load balancing and caching')
  })
})

describe('shipped notes: topics and facts', () => {
  it('has 38 topics, one per service', () => {
    expect(result.notes.topics).toHaveLength(38)
    expect(result.notes.topics.map((t) => t.id).sort()).toEqual(Object.keys(FACTS_PER_TOPIC).sort())
  })

  it('every topic names at least one known domain and has its title equal to its name', () => {
    const known = new Set(result.notes.deck.domains.map((d) => d.id))
    for (const topic of result.notes.topics) {
      expect(topic.domains.length, topic.id).toBeGreaterThan(0)
      for (const domain of topic.domains) expect(known.has(domain), `${topic.id}: ${domain}`).toBe(true)
      expect(topic.title, topic.id).toBe(topic.name)
    }
  })

  it('has the pinned number of facts per service', () => {
    const counts: Record<string, number> = {}
    for (const fact of result.notes.facts) counts[fact.topic] = (counts[fact.topic] ?? 0) + 1
    expect(counts).toEqual(FACTS_PER_TOPIC)
    for (const topic of result.notes.topics) expect(topic.factCount, topic.id).toBe(FACTS_PER_TOPIC[topic.id])
    expect(result.notes.facts).toHaveLength(Object.values(FACTS_PER_TOPIC).reduce((a, b) => a + b, 0))
  })

  it('every fact makes a card', () => {
    const none = result.notes.facts.filter((f) => f.form === 'none').map((f) => f.id)
    expect(none).toEqual([])
  })

  it('every fact has an explicit, unique, kebab-case pin', () => {
    const ids = result.notes.facts.map((f) => f.id)
    for (const id of ids) {
      expect(id, id).not.toContain('/')
      expect(id, id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    }
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('the Elastic Beanstalk deployment policies are a five-row table, one value to recall per row', () => {
    const rows = result.notes.facts.flatMap((fact) => (fact.topic === 'elastic-beanstalk' && fact.body.type === 'row' ? [{ fact, row: fact.body.row }] : []))
    expect(rows.map((r) => r.row.label)).toEqual(['All at once', 'Rolling', 'Rolling with an additional batch', 'Immutable', 'Traffic splitting'])
    // A cloze per row, not a Basic card asking for three yes/no values at once (overloaded-card).
    for (const { fact } of rows) expect(fact.form).toBe('cloze')
    expect(rows.map(({ fact }) => fact.form === 'cloze' && fact.cloze.deletions.map((d) => d.answer))).toEqual([['Yes'], ['No'], ['No'], ['Yes'], ['Application Load Balancer']])
    const split = rows[4]?.row.cells.map((c) => c.value)
    expect(split).toEqual(['Yes (Application Load Balancer only)', 'No', 'No'])
  })
})

describe('shipped notes: article coverage', () => {
  it('lists all 141 article bullets and the 5 table rows', () => {
    expect(coverage).toHaveLength(146)
    const counts: Record<string, number> = {}
    for (const entry of coverage) if (!entry.bullet.startsWith('Supported Deployment Policies table row')) counts[entry.service] = (counts[entry.service] ?? 0) + 1
    expect(counts).toEqual(ARTICLE_BULLETS)
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(141)
  })

  it('every coverage entry is found in a fact of its service', () => {
    const texts = new Map<string, string[]>()
    for (const fact of result.notes.facts) texts.set(fact.topic, [...(texts.get(fact.topic) ?? []), fact.text.toLowerCase()])
    const missing: string[] = []
    for (const entry of coverage) {
      expect(entry.keyTerms.length, entry.bullet).toBeGreaterThan(0)
      for (const term of entry.keyTerms) {
        const found = (texts.get(entry.service) ?? []).some((text) => text.includes(term.toLowerCase()))
        if (!found) missing.push(`${entry.service}: "${term}" (${entry.bullet})`)
      }
    }
    expect(missing).toEqual([])
  })
})
