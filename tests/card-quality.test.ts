/**
 * Card-quality rules: a planted leaky card per rule gets its warning at its file:line:col, and
 * the same facts written well get none. Plus the cards as text (what the rules and
 * `cheatdeck cards` read) and the "gives the answer away" test on its own.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile, type Diagnostic } from '../src/index.ts'
import { main } from '../src/cli.ts'
import { cardsOf, cardTexts } from '../src/cards/text.ts'
import { givesAway } from '../src/rules/quality/give-away.ts'
import { CARD_RULES } from '../src/rules/quality/index.ts'
import { splitWords, words } from '../src/rules/quality/words.ts'
import type { Fact } from '../src/facts/model.ts'
import { FIXTURES } from './helpers/fixture.ts'

const LEAKY = path.join(FIXTURES, 'quality', 'leaky')
const GOOD = path.join(FIXTURES, 'quality', 'good')
const positioned = (d: { file: string; line: number; column: number; ruleId: string }) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`

describe('card-quality rules', () => {
  it('warn about each planted leaky card at its file:line:col, with the rule id', async () => {
    const result = await compile({ notes: LEAKY, now: 1 })
    expect(result.ok).toBe(true)
    expect(result.diagnostics.map(positioned)).toEqual([
      'systems-manager.md:10:1 cloze-answer-in-context',
      'systems-manager.md:14:1 cloze-answer-in-text',
      'systems-manager.md:15:1 cloze-answer-in-text',
      'systems-manager.md:16:1 weak-cue',
      'systems-manager.md:17:1 ambiguous-cloze',
      'systems-manager.md:17:1 weak-cue',
      'systems-manager.md:18:1 overloaded-card',
      'systems-manager.md:19:1 weak-cue',
      'systems-manager.md:25:1 overloaded-card',
    ])
    for (const d of result.diagnostics) {
      expect(d.severity).toBe('warning')
      expect(d.message).toMatch(/^Unexpected .+, expected .+/)
    }
    // every rule is planted at least once
    expect(new Set(result.diagnostics.map((d) => d.ruleId))).toEqual(new Set(CARD_RULES.map((r) => r.id)))
  })

  it('say what gives the answer away, and point at the other card of an ambiguous pair', async () => {
    const { diagnostics } = await compile({ notes: LEAKY, now: 1 })
    // As remark-lint tests do: the message's string, with its severity, rule and other place.
    const text = diagnostics.map((d: Diagnostic) => `${String(d)} [${d.severity} ${d.ruleId}]${d.cause ? `\n  ${String(d.cause)}` : ''}`)
    expect(text).toContain(
      "systems-manager.md:10:1: Unexpected cloze answer `Automation` given away by \"Automation\" in the card's context `AWS Systems Manager › Automation`, " +
        'expected a breadcrumb that does not name the answer (rename the section, or hide another word) [warning cloze-answer-in-context]',
    )
    expect(text.find((t) => t.includes('`DynamoDB Local`'))).toContain('its main word "local" on the front `Local DynamoDB: run [...] in Docker for tests.`')
    expect(text.find((t) => t.includes('`Account Factory Customization`'))).toContain('its acronym "AFC"')
    expect(text.find((t) => t.includes('ambiguous-cloze]'))).toBe(
      "systems-manager.md:17:1: Unexpected front `Don't restrict the [...].` that reads like another card's `Don't restrict [...].`, " +
        'expected fronts that ask for one answer each (add what tells them apart) [warning ambiguous-cloze]\n  systems-manager.md:16:1: the other card',
    )
    expect(text.find((t) => t.includes('c1 hiding'))).toContain('cloze number c1 hiding 2 different answers (`Linux`, `Windows`)')
    expect(text.find((t) => t.includes('table row'))).toContain('table row `Rolling` asking for 2 values at once (Load-balanced, Single-instance)')
    expect(text.find((t) => t.includes('`Policy types?`'))).toContain('with 2 words besides the blank, expected at least 3')
  })

  it('find nothing in the same facts written well: every fact still carded', async () => {
    const leaky = await compile({ notes: LEAKY, now: 1 })
    const good = await compile({ notes: GOOD, now: 1 })
    expect(good.diagnostics).toEqual([])
    expect(good.notes.facts).toHaveLength(leaky.notes.facts.length)
    expect(good.notes.facts.filter((f) => f.form === 'none')).toEqual([])
  })

  it('are reported by `check` (exit 0: warnings only) and by the build', async () => {
    const err: string[] = []
    const io = { stdout: () => {}, stderr: (t: string) => void err.push(t) }
    expect(await main(['check', '--notes', LEAKY], io)).toBe(0)
    expect(err.join('')).toMatch(/^systems-manager\.md\n(.*\n)*19:1 +warning +Unexpected front `Policy types\?` with 2 words besides the blank/m)
    expect(err.join('')).toContain('\n⚠ 9 warnings\n')
  })
})

describe('what gives an answer away', () => {
  it('the whole answer, its main word, a capitalised word, or its acronym', () => {
    expect(givesAway('Automation', 'AWS Systems Manager › Automation')).toBe('"Automation"')
    expect(givesAway('Account Factory for Terraform', 'Account Factory')).toBe('its main word "factory"')
    expect(givesAway('VPC configuration', 'add a [...] (VPC, subnets, SGs)')).toBe('its words "vpc"')
    expect(givesAway('Multi-AZ', 'standby in another AZ')).toBe('its word "AZ"')
    expect(givesAway('Customizations for AWS Control Tower', '[...] (CfCT): GitOps')).toBe('its acronym "CfCT"')
    expect(givesAway('DHMC', 'Default Host Management Configuration')).toBe('"DHMC" spelled out')
  })

  it('not a shared word of a longer answer, a stop word answer, or the topic beyond its whole name', () => {
    expect(givesAway('Account Factory for Terraform', '[...]: Terraform-based provisioning')).toBeUndefined()
    expect(givesAway('Yes', 'Load-balanced: Yes; Single-instance: [...]')).toBeUndefined()
    expect(givesAway('item-level', 'only [...] changes, no table-level events')).toBeUndefined()
    expect(givesAway('file system policy', 'Amazon Elastic File System (EFS)', { wholeOnly: true })).toBeUndefined()
    expect(givesAway('Systems Manager', 'AWS Systems Manager', { wholeOnly: true })).toBe('"Systems Manager"')
  })
})

describe('words as the rules compare them', () => {
  it('lower case, plurals stemmed, the blank and punctuation dropped; accents gone and word breaks found beyond ASCII', () => {
    const cases: [string, string[]][] = [
      ['Stack policies: the [...] of CODEBUILD_SOURCE_VERSION, table-level', ['stack', 'policy', 'the', 'of', 'codebuild_source_version', 'table-level']],
      ['-_x_- AWS::SSM a/b Boxes Churches classes', ['x', 'aws', 'ssm', 'a', 'b', 'box', 'church', 'class']],
      ['Naïve café-au-lait Straße policies', ['naive', 'cafe', 'au', 'lait', 'straße', 'policy']],
      ['ภาษาไทย กับ Policies', ['ภาษา', 'ไทย', 'กบ', 'policy']],
    ]
    for (const [text, expected] of cases) {
      expect(splitWords(text)).toEqual(expected)
      // Kept once made: the same words, asked again.
      expect(words(text)).toEqual(expected)
      expect(words(text)).toBe(words(text))
    }
  })
})

describe('cards as text', () => {
  const base = { id: 'x', guid: 'g', topic: 't', domains: [], section: ['S'], markdown: '', body: { type: 'item' as const, blocks: [] }, tags: [], contentHash: '', modified: 0, added: 0, order: 0, source: { file: 't.md', line: 1, column: 1 } }

  it('a cloze fact makes one card per number: its blanks hidden ([...] or the hint), the others shown', () => {
    const fact: Fact = {
      ...base,
      form: 'cloze',
      text: 'Run A then B and C.',
      cloze: { text: 'Run {{c1::A}} then {{c2::B::letter}} and {{c1::C}}.', deletions: [{ index: 1, answer: 'A' }, { index: 2, answer: 'B', hint: 'letter' }, { index: 1, answer: 'C' }] },
    }
    const cards = cardsOf(fact, 'Topic')
    expect(cards.map((c) => [c.card, c.context, c.front, c.back, c.answers])).toEqual([
      [1, 'Topic › S', 'Run [...] then B and [...].', 'Run [A] then B and [C].', ['A', 'C']],
      [2, 'Topic › S', 'Run A then [letter] and C.', 'Run A then [B] and C.', ['B']],
    ])
  })

  it('an answer holding `::` or `}}` (in code) is cut out whole', () => {
    const fact: Fact = { ...base, form: 'cloze', text: 'Use a::b}} now.', cloze: { text: 'Use {{c1::a::b}}}} now.', deletions: [{ index: 1, answer: 'a::b}}' }] } }
    expect(cardsOf(fact, 'Topic').map((c) => c.front)).toEqual(['Use [...] now.'])
  })

  it('a term, a question and a table row make one card each; a plain fact none', async () => {
    const { notes } = await compile({ notes: path.join(FIXTURES, 'forms'), now: 1 })
    const cards = cardTexts(notes)
    const row = cards.find((c) => c.fact.body.type === 'row' && c.fact.form === 'term')
    expect(row?.values.length).toBeGreaterThan(1)
    expect(row?.back).toBe(row?.fact.form === 'term' && row.fact.term.definition)
    const qa = cards.find((c) => c.fact.form === 'qa')
    expect(qa?.front).toBe(qa?.fact.form === 'qa' && qa.fact.question.question)
    expect(cards.some((c) => c.fact.form === 'none')).toBe(false)
    expect(cards).toHaveLength(notes.facts.reduce((n, f) => n + (f.form === 'cloze' ? new Set(f.cloze.deletions.map((d) => d.index)).size : f.form === 'none' ? 0 : 1), 0))
  })
})

describe('cheatdeck cards', () => {
  const run = async (args: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await main(args, { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) })
    return { code, out: out.join(''), err: err.join('') }
  }

  it('prints each card: source and id, breadcrumb, front and back; writes nothing', async () => {
    const { code, out, err } = await run(['cards', '--notes', GOOD])
    expect(code).toBe(0)
    expect(out).toContain(
      'systems-manager.md:10  systems-manager/automation (cloze)\n' +
        '  AWS Systems Manager › Runbooks\n' +
        '  Q: AWS Config remediation runs [...] runbooks.\n' +
        '  A: AWS Config remediation runs [Automation] runbooks.\n',
    )
    // one cloze fact, two cards: each hides its own blank and shows the other
    expect(out).toContain('(cloze card 1 of 2)\n  AWS Systems Manager › Sharing\n  Q: Managed nodes run [...] and Windows (and macOS).')
    expect(out).toContain('(cloze card 2 of 2)\n  AWS Systems Manager › Sharing\n  Q: Managed nodes run Linux and [...] (and macOS).')
    expect(out).toContain('  Q: Firewall Manager policy types?\n  A: WAF, Shield Advanced, security groups.\n')
    expect(err).toBe('9 cards\n')
    expect(existsSync(path.join(GOOD, 'cheatdeck.lock.json'))).toBe(false)
  })

  it('--json gives the same cards as records; problems go to stderr and set the exit code', async () => {
    const { code, out } = await run(['cards', '--notes', GOOD, '--json'])
    expect(code).toBe(0)
    const records = JSON.parse(out) as { id: string; card: number; front: string; back: string; source: string }[]
    expect(records).toHaveLength(9)
    expect(records[0]).toEqual({
      id: 'systems-manager/automation',
      card: 1,
      form: 'cloze',
      source: 'systems-manager.md:10:1',
      context: 'AWS Systems Manager › Runbooks',
      front: 'AWS Config remediation runs [...] runbooks.',
      back: 'AWS Config remediation runs [Automation] runbooks.',
    })
    const bad = await run(['cards', '--notes', path.join(FIXTURES, 'check')])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/^8:1 +error +Unexpected second fact with id `\^shared-pin`.* duplicate-id +cheatdeck$/m)
  })
})
