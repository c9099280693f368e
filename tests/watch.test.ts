import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { watchBuild, type Watcher } from '../src/watch.ts'
import { copyFixture } from './helpers/fixture.ts'
import { recorder, watchUntilCtrlC } from './helpers/watch.ts'

let watcher: Watcher | undefined
afterEach(async () => {
  await watcher?.close()
  watcher = undefined
})

describe('build --watch', () => {
  it('rebuilds on a change, reparsing only the changed file; a content error keeps the last good dist/', async () => {
    const { notes, out } = await copyFixture('identity')
    await writeFile(path.join(notes, 'other.md'), '---\nname: Other\ndomains: [run]\n---\n\n# Other\n\n- Other keeps ==three copies==.\n')
    const rec = recorder()
    watcher = watchBuild({ notes, out, only: ['dataset', 'anki'], debounceMs: 30 }, rec.onEvent)
    await watcher.ready
    const first = await rec.next(1)
    expect(first.type === 'build' && first.result.ok).toBe(true)
    expect(first.type === 'build' && first.result.parsed).toEqual(['other.md', 'queues.md'])

    const queues = path.join(notes, 'queues.md')
    await writeFile(queues, (await readFile(queues, 'utf8')).replace('==four days==', '==4 days=='))
    const second = await rec.next(2)
    if (second.type !== 'build') throw second.error
    expect(second.changed).toEqual([queues])
    expect(second.result.ok).toBe(true)
    expect(second.result.parsed).toEqual(['queues.md'])
    expect(second.result.changes.changed).toHaveLength(1)
    const good = await readFile(path.join(out, 'facts.json'))
    expect(good.toString()).toContain('4 days')

    await writeFile(queues, (await readFile(queues, 'utf8')).replace('==4 days==', '{{c1::4 days'))
    const third = await rec.next(3)
    if (third.type !== 'build') throw third.error
    expect(third.result.ok).toBe(false)
    expect(third.result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`)).toContain('queues.md:10:30 malformed-cloze')
    expect(await readFile(path.join(out, 'facts.json'))).toEqual(good)

    await writeFile(queues, (await readFile(queues, 'utf8')).replace('{{c1::4 days', '{{c1::4 days}}'))
    const fourth = await rec.next(4)
    expect(fourth.type === 'build' && fourth.result.ok).toBe(true)
  })

  it('exits cleanly with code 0 on Ctrl-C (SIGINT)', async () => {
    const { notes, out } = await copyFixture('identity')
    const { code, stderr } = await watchUntilCtrlC(['--only', 'dataset', '--notes', notes, '--out', out])
    expect(stderr).toContain('4 facts')
    expect(stderr).toContain('stopped watching')
    expect(code).toBe(0)
  }, 30_000)
})
