/** The lockfile's zod schema: each problem worded "Unexpected X, expected Y" at its place in the text. */
import { describe, expect, it } from 'vitest'
import { Diagnostics } from '../src/diagnostics.ts'
import { parseLockfile, reserializeLockfile, serializeLockfile, type Lockfile } from '../src/facts/lockfile.ts'
import { splitConflicts } from '../src/facts/lockfile-merge.ts'

const HASH = 'a'.repeat(64)
const entry = { guid: 'Abc123!xyz', hash: HASH, modified: 200, added: 100, topic: 't', section: '', form: 'cloze', text: 'x' }
const good = { lockfileVersion: 1, namespace: 'ns', created: 100, assets: { 'anki/cloze': { hash: 'h', modified: 100 } }, facts: { 't/x': entry } }

/** The problems of a lockfile made from `good` by `change`, one `line:col: message` each. */
function problems(change: (lock: any) => void): string[] {
  const lock = structuredClone(good) as any
  change(lock)
  const diagnostics = new Diagnostics()
  const parsed = parseLockfile(`${JSON.stringify(lock, null, 2)}\n`, 'cheatdeck.lock.json', diagnostics)
  if (diagnostics.list.length) expect(parsed).toBeUndefined()
  return diagnostics.list.map((d) => `${d.line}:${d.column}: ${d.reason} [${d.ruleId}]`)
}

describe('lockfile schema', () => {
  it('reads a good lockfile, facts in a Map (an id may be `constructor`), first-seen time defaulting to the change time', () => {
    const diagnostics = new Diagnostics()
    const { added: _added, ...old } = entry
    const text = JSON.stringify({ ...good, facts: { constructor: old } })
    const lock = parseLockfile(text, 'cheatdeck.lock.json', diagnostics)
    expect(diagnostics.list).toEqual([])
    expect(lock?.facts.get('constructor')).toEqual({ ...old, added: old.modified })
    expect(Object.getPrototypeOf(lock?.assets)).toBeNull()
  })

  it('says what it found, where, and what it expected', () => {
    expect(problems((l) => (l.facts['t/x'].added = 300))).toEqual([
      '16:16: Unexpected `added` `300` in entry "t/x", expected a time no later than `modified` (200) [invalid-lockfile]',
    ])
    expect(problems((l) => delete l.assets['anki/cloze'].modified)).toEqual([
      '6:5: Unexpected missing `modified` of asset `anki/cloze`, expected unix seconds: a whole number from 0 to 99999999999 [invalid-lockfile]',
    ])
    expect(problems((l) => (l.facts['a\u0001'] = entry))).toEqual([
      '22:16: Unexpected fact id "a\\u0001", expected a non-empty id without control characters [invalid-lockfile]',
    ])
    expect(problems((l) => (l.created = 1_700_000_000_000))).toEqual([
      '4:14: Unexpected `created` `1700000000000` (this looks like milliseconds), expected unix seconds: a whole number from 0 to 99999999999 [invalid-lockfile]',
    ])
  })

  it('reports every problem, not only the first', () => {
    expect(problems((l) => {
      l.lockfileVersion = 2
      l.facts['t/x'] = { ...entry, guid: '', form: 'basic' }
    })).toEqual([
      '2:22: Unexpected `lockfileVersion` `2`, expected 1 (a lockfile from another cheatdeck version?) [invalid-lockfile]',
      '13:15: Unexpected `guid` `""` in entry "t/x", expected a GUID of 1 to 64 printable ASCII characters [invalid-lockfile]',
      '19:15: Unexpected `form` `"basic"` in entry "t/x", expected one of `cloze`, `term`, `qa`, `reversed`, `none` [invalid-lockfile]',
    ])
  })

  it('refuses what is not a lockfile at all', () => {
    expect(problems((l) => (l.facts = []))).toEqual(['11:12: Unexpected `facts` a list, expected an object of id → entry [invalid-lockfile]'])
    const diagnostics = new Diagnostics()
    parseLockfile('[1]', 'cheatdeck.lock.json', diagnostics)
    expect(diagnostics.list.map((d) => d.reason)).toEqual([
      'Unexpected lockfile that is a list, expected an object with `lockfileVersion: 1`, `namespace`, `created`, `assets` and `facts`',
    ])
  })
})

describe('lockfile text', () => {
  it('is made again around the facts text it had when only the assets changed, with the same bytes as made whole', () => {
    const facts = new Map(['t/x', '42', '__proto__', '7', 'a/b'].map((id, n) => [id, { ...entry, guid: `guid-${n}`, form: 'cloze' as const, text: `fact ${n}`, ...(n === 3 ? { removed: 300 } : {}) }]))
    const before: Lockfile = { lockfileVersion: 1, namespace: 'ns', created: 100, assets: { 'anki/cloze': { hash: 'h', modified: 100 } }, facts }
    const after: Lockfile = { ...before, assets: { 'sheet/css': { hash: 'z', modified: 300 }, 'anki/cloze': { hash: 'h2', modified: 200 } } }
    const text = serializeLockfile(before)
    expect(reserializeLockfile(after, text)).toBe(serializeLockfile(after))
    expect(reserializeLockfile(after, text)).not.toBe(text)
    // No facts, and no assets at all.
    const empty: Lockfile = { ...before, facts: new Map() }
    expect(reserializeLockfile({ ...empty, assets: after.assets }, serializeLockfile(empty))).toBe(serializeLockfile({ ...empty, assets: after.assets }))
    expect(reserializeLockfile({ ...after, assets: {} }, text)).toBe(serializeLockfile({ ...after, assets: {} }))
    // And it reads back as what was written.
    const read = parseLockfile(reserializeLockfile(after, text), 'cheatdeck.lock.json', new Diagnostics())
    expect(read?.assets).toEqual(after.assets)
    expect([...(read?.facts.keys() ?? [])].sort()).toEqual([...facts.keys()].sort())
  })
})

describe('conflict markers', () => {
  it('are found on the first line and after, only at the start of a line, and only in full', () => {
    const side = (guid: string) => JSON.stringify({ ...good, facts: { 't/x': { ...entry, guid } } }, null, 2)
    const conflicted = `<<<<<<< HEAD\n${side('ours')}\n=======\n${side('theirs')}\n>>>>>>> other\n`
    expect(splitConflicts(conflicted)?.firstMarker).toBe(1)
    expect(splitConflicts(`\n${conflicted}`)?.firstMarker).toBe(2)
    expect(splitConflicts(conflicted)?.sides.map((s) => JSON.parse(s.text).facts['t/x'].guid)).toEqual(['ours', 'theirs'])
    expect(splitConflicts(side('a <<<<<<< b'))).toBeUndefined()
    expect(splitConflicts(`<<<<<<< HEAD\n${side('ours')}\n`)).toBeUndefined()
    expect(splitConflicts(side('x'))).toBeUndefined()
  })
})
