import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { watchBuild, type WatchEvent, type Watcher } from '../src/watch.ts'
import { copyFixture } from './helpers/fixture.ts'

const ROOT = path.resolve(import.meta.dirname, '..')

/** Collects watch events and lets a test wait for the next one. */
function recorder() {
  const events: WatchEvent[] = []
  let wake: (() => void) | undefined
  return {
    events,
    onEvent(event: WatchEvent) {
      events.push(event)
      wake?.()
    },
    async next(count: number): Promise<WatchEvent> {
      while (events.length < count) await new Promise<void>((resolve) => (wake = resolve))
      return events[count - 1] as WatchEvent
    },
  }
}

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
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/cheatdeck.ts'), 'build', '--watch', '--only', 'dataset', '--notes', notes, '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let sent = false
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (!sent && stderr.includes('Ctrl-C to stop')) sent = child.kill('SIGINT')
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    expect(stderr).toContain('4 facts')
    expect(stderr).toContain('stopped watching')
    expect(code).toBe(0)
  }, 30_000)
})
