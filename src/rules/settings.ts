/**
 * A deck's `rules:` mapping, like a remark-lint preset: `rules: { stray-content: off, no-card: error }`.
 * Warnings may be turned off or made errors. Errors stay errors: what they find cannot be built
 * (or would be built wrong, or lose data), so no setting may silence them.
 */
import type { Diagnostic } from '../diagnostics.ts'
import { findRule, type RuleId } from './index.ts'

export const RULE_SETTINGS = ['off', 'warn', 'error'] as const
export type RuleSetting = (typeof RULE_SETTINGS)[number]
export type RuleSettings = Partial<Record<RuleId, RuleSetting>>

/** Why `id: value` cannot be a setting ("Unexpected …, expected …"), or undefined when it can. */
export function ruleSettingProblem(id: string, value: unknown, shown: string): string | undefined {
  const rule = findRule(id)
  if (!rule) return `Unexpected rule \`${id}\` in \`rules\`, expected a rule id from the README's rule table`
  if (typeof value !== 'string' || !(RULE_SETTINGS as readonly string[]).includes(value)) {
    return `Unexpected ${shown} for \`${id}\`, expected \`off\`, \`warn\` or \`error\``
  }
  if (rule.severity === 'error' && value !== 'error') {
    return `Unexpected \`${id}: ${value}\`, expected only warnings to be turned down (\`${id}\` is an error: what it finds cannot be built)`
  }
  return undefined
}

/**
 * The diagnostics as the deck's settings want them: `off` ones dropped, the others at their set
 * severity (else the rule's default, so a message reused from a cached parse is reset too).
 */
export function applyRuleSettings(list: readonly Diagnostic[], settings: RuleSettings = {}): Diagnostic[] {
  const kept: Diagnostic[] = []
  for (const message of list) {
    const setting = settings[message.ruleId as RuleId]
    if (setting === 'off') continue
    const severity = setting ?? findRule(message.ruleId)?.severity
    if (severity) message.fatal = severity === 'error'
    kept.push(message)
  }
  return kept
}
