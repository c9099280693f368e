/**
 * The card-quality rules through the caches, so a rebuild checks only the topics that changed. A
 * rule reads each card on its own, or compares cloze cards under one breadcrumb
 * (`comparedUnder`): topics are checked in groups — a topic alone, unless one of its cloze
 * breadcrumbs is another topic's too — and a group's diagnostics are kept by what its facts are
 * made of (each topic's file, settings, name and the facts kept), in the watcher's memory and in
 * the disk store. The diagnostics are the ones a check of every card at once makes.
 */
import { createHash } from 'node:crypto'
import { Diagnostics, type Diagnostic } from '../diagnostics.ts'
import { SECTION_SEPARATOR, type Fact, type Topic } from '../facts/model.ts'
import { comparedUnder } from '../rules/quality/ambiguous-cloze.ts'
import { checkCards } from '../rules/quality/index.ts'
import { freeze, thaw, type Stored } from './messages.ts'
import type { CacheStore } from './store.ts'

/** A group's key → its diagnostics (the watcher keeps them between rebuilds). */
export type CardRulesMemory = Map<string, Diagnostic[]>

interface Group {
  topics: Topic[]
  facts: Fact[]
}

/**
 * Runs the card-quality rules on the facts. `inputs(topic)`: what the topic's facts are made of
 * besides its name (its file's path and text, the settings it was read with).
 */
export async function checkCardsCached(
  notes: { topics: readonly Topic[]; facts: readonly Fact[] },
  inputs: (topic: Topic) => readonly string[],
  diagnostics: Diagnostics,
  memory: CardRulesMemory | undefined,
  store: CacheStore | undefined,
): Promise<void> {
  if (!memory && !store) {
    checkCards({ topics: [...notes.topics], facts: [...notes.facts] }, diagnostics)
    return
  }
  const used = new Set<string>()
  for (const group of groups(notes.topics, notes.facts)) {
    const hash = createHash('sha256')
    for (const topic of group.topics) {
      for (const part of [...inputs(topic), topic.name]) hash.update(`${part.length}\0`).update(part)
    }
    // Which facts were kept (a pin used twice drops the second, whatever file it is in).
    for (const fact of group.facts) hash.update(`${fact.source.file}:${fact.source.line}:${fact.source.column}\0`)
    const key = hash.digest('hex')
    used.add(key)
    let found = memory?.get(key)
    const storeKey = store?.key('card-rules', key)
    if (!found && storeKey !== undefined) found = thaw(await store?.get<Stored<{ diagnostics: Diagnostic[] }>>(storeKey))?.diagnostics
    if (!found) {
      const own = new Diagnostics()
      checkCards(group, own)
      found = own.list
      if (storeKey !== undefined) await store?.set(storeKey, freeze({ diagnostics: found }))
    }
    memory?.set(key, found)
    diagnostics.list.push(...found)
  }
  if (memory) for (const key of [...memory.keys()]) if (!used.has(key)) memory.delete(key)
}

/** Topics checked together: those sharing a cloze breadcrumb (by union), each group's facts in deck order. */
function groups(topics: readonly Topic[], facts: readonly Fact[]): Group[] {
  const names = new Map(topics.map((t) => [t.id, t.name]))
  const root = new Map<string, string>(topics.map((t) => [t.id, t.id]))
  const find = (id: string): string => {
    let at = id
    while (root.get(at) !== at) at = root.get(at) ?? at
    root.set(id, at)
    return at
  }
  const owner = new Map<string, string>()
  for (const fact of facts) {
    if (fact.form !== 'cloze') continue
    const under = comparedUnder([names.get(fact.topic) ?? fact.topic, ...fact.section].join(SECTION_SEPARATOR))
    const other = owner.get(under)
    if (other === undefined) owner.set(under, fact.topic)
    else if (find(other) !== find(fact.topic)) root.set(find(fact.topic), find(other))
  }
  const byRoot = new Map<string, Group>()
  for (const topic of topics) {
    const id = find(topic.id)
    const group = byRoot.get(id) ?? { topics: [], facts: [] }
    group.topics.push(topic)
    byRoot.set(id, group)
  }
  for (const fact of facts) byRoot.get(find(fact.topic))?.facts.push(fact)
  return [...byRoot.values()]
}
