/**
 * `build --watch` keeps one Chromium for the sheet's fit: started by the first build that needs
 * it, used by every rebuild, started again when it died, closed with the watcher. Real Chromium,
 * through a wrapper script that records each start (and its pid, which `exec` keeps) before
 * running it. Without Chromium these tests are skipped, except under CHEATDECK_REQUIRE_BROWSER=1 (CI).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { build, type BuildResult } from '../src/build.ts'
import { findChromium } from '../src/emit/sheet/browser.ts'
import { createSheetBrowserPool, type SheetBrowserPool } from '../src/emit/sheet/browser-pool.ts'
import { watchBuild, type Watcher } from '../src/watch.ts'
import { copyFixture } from './helpers/fixture.ts'
import { recorder, watchUntilCtrlC } from './helpers/watch.ts'

const REQUIRED = process.env['CHEATDECK_REQUIRE_BROWSER'] === '1'
const chromium = findChromium()
if (!chromium && REQUIRED) throw new Error('CHEATDECK_REQUIRE_BROWSER=1 but no Chromium found')
if (!chromium) console.warn('SKIPPING the watch session\'s Chromium tests: no Chromium (set CHROMIUM_PATH)')


/** The `count`th rebuild, which must have built without errors. */
async function built(rec: ReturnType<typeof recorder>, count: number): Promise<BuildResult> {
  const result = await rec.result(count)
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return result
}

/** A Chromium that writes its pid to `starts` and then becomes the real one. */
async function countingChromium(dir: string): Promise<{ path: string; pids: () => Promise<number[]> }> {
  const starts = path.join(dir, 'starts')
  const wrapper = path.join(dir, 'chromium')
  await writeFile(wrapper, `#!/bin/sh\necho $$ >> '${starts}'\nexec '${chromium}' "$@"\n`, { mode: 0o755 })
  const pids = async (): Promise<number[]> => (await readFile(starts, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number)
  return { path: wrapper, pids }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20))
}

/** Edits a fact's text, so the sheet changes. */
async function edit(notes: string, from: string, to: string): Promise<void> {
  const file = path.join(notes, 'queues.md')
  const text = await readFile(file, 'utf8')
  expect(text).toContain(from)
  await writeFile(file, text.replace(from, to))
}

const sheetOf = (result: BuildResult): Promise<Buffer> => readFile(result.files.find((f) => f.path.endsWith('.sheet.html'))!.path)

let watcher: Watcher | undefined
let pool: SheetBrowserPool | undefined
const dirs: string[] = []
const realPath = process.env['CHROMIUM_PATH']
beforeEach(() => {
  pool = createSheetBrowserPool()
})
afterEach(async () => {
  await watcher?.close()
  await pool?.close()
  watcher = undefined
  if (realPath === undefined) delete process.env['CHROMIUM_PATH']
  else process.env['CHROMIUM_PATH'] = realPath
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** The identity fixture watched (sheet only) in the test's pool, Chromium counted. */
async function watchWithCountingChromium() {
  const { dir, notes, out } = await copyFixture('identity')
  dirs.push(dir)
  const counting = await countingChromium(dir)
  process.env['CHROMIUM_PATH'] = counting.path
  const rec = recorder()
  watcher = watchBuild({ notes, out, only: ['sheet'], debounceMs: 30, browser: pool! }, rec.onEvent)
  await watcher.ready
  return { dir, notes, counting, rec }
}

describe.skipIf(!chromium)('build --watch keeps one Chromium', { timeout: 300_000 }, () => {
  it('starts it once for two rebuilds that change the sheet, each as a one-shot build fits it, and closes it with the watcher', async () => {
    const { dir, notes, counting, rec } = await watchWithCountingChromium()
    const builds = [await built(rec, 1)]
    const snapshots: { notes: string; now: number; sheet: Buffer }[] = []
    const keep = async (result: BuildResult): Promise<void> => {
      const copy = path.join(dir, `notes-${snapshots.length}`)
      await cp(notes, copy, { recursive: true })
      snapshots.push({ notes: copy, now: result.now, sheet: await sheetOf(result) })
    }
    await keep(builds[0]!)
    await edit(notes, '==four days==', '==4 days==')
    builds.push(await built(rec, 2))
    await keep(builds[1]!)
    await edit(notes, '==14 days==', '==fourteen days== (the maximum)')
    builds.push(await built(rec, 3))
    await keep(builds[2]!)

    for (const result of builds) expect(result.notices.join('\n')).toMatch(/sheet: one page at [\d.]+ pt in \d columns/)
    expect(new Set(snapshots.map((s) => s.sheet.toString())).size).toBe(3)
    const pids = await counting.pids()
    expect(pids).toHaveLength(1)
    expect(pool!.launches).toBe(1)
    expect(alive(pids[0]!)).toBe(true)

    await watcher!.close()
    watcher = undefined
    expect(alive(pids[0]!)).toBe(false)

    // Each rebuild's sheet is what a build of its own, starting its own Chromium, writes.
    process.env['CHROMIUM_PATH'] = chromium!
    for (const [index, snapshot] of snapshots.entries()) {
      const alone = await build({ notes: snapshot.notes, out: path.join(dir, `alone-${index}`), only: ['sheet'], now: snapshot.now })
      expect(alone.ok).toBe(true)
      expect((await sheetOf(alone)).equals(snapshot.sheet), `rebuild ${index}`).toBe(true)
    }
  })

  it('starts it again when it was killed or closed between rebuilds', async () => {
    const { dir, notes, counting, rec } = await watchWithCountingChromium()
    await built(rec, 1)
    const [first] = await counting.pids()
    const kept = await pool!.get({ executablePath: counting.path })
    expect(pool!.launches).toBe(1)

    process.kill(first!, 'SIGKILL')
    await until(() => !kept.isConnected())
    await edit(notes, '==four days==', '==4 days==')
    const afterKill = await built(rec, 2)
    expect(afterKill.notices.join('\n')).toMatch(/sheet: one page at/)
    expect(pool!.launches).toBe(2)

    await (await pool!.get({ executablePath: counting.path })).close()
    await edit(notes, '==14 days==', '==fourteen days==')
    const afterClose = await built(rec, 3)
    expect(afterClose.notices.join('\n')).toMatch(/sheet: one page at/)
    expect(pool!.launches).toBe(3)
    const pids = await counting.pids()
    expect(pids).toHaveLength(3)
    expect(pids.map(alive)).toEqual([false, false, true])
  })

  it('starts none when the fit is off or comes from the cache', async () => {
    const { dir, notes, out } = await copyFixture('identity')
    dirs.push(dir)
    const counting = await countingChromium(dir)
    process.env['CHROMIUM_PATH'] = counting.path
    const cacheDir = path.join(dir, 'cache')
    // A build of its own measures the fit and keeps it.
    expect((await build({ notes, out, only: ['sheet'], cacheDir })).ok).toBe(true)
    expect(await counting.pids()).toHaveLength(1)

    const rec = recorder()
    watcher = watchBuild({ notes, out, only: ['sheet'], debounceMs: 30, browser: pool!, cacheDir }, rec.onEvent)
    await watcher.ready
    expect((await built(rec, 1)).notices.join('\n')).toMatch(/sheet: one page at/)
    await watcher.close()

    const rec2 = recorder()
    watcher = watchBuild({ notes, out, only: ['sheet'], debounceMs: 30, browser: pool!, fit: false }, rec2.onEvent)
    await watcher.ready
    await built(rec2, 1)
    await edit(notes, '==four days==', '==4 days==')
    await built(rec2, 2)
    expect(pool!.launches).toBe(0)
    expect(await counting.pids()).toHaveLength(1)
  })

  it('`build --watch` stops on Ctrl-C with code 0 and leaves no Chromium running', async () => {
    const { dir, notes, out } = await copyFixture('identity')
    dirs.push(dir)
    const counting = await countingChromium(dir)
    const { code, stderr } = await watchUntilCtrlC(['--no-cache', '--only', 'sheet', '--notes', notes, '--out', out], { ...process.env, CHROMIUM_PATH: counting.path })
    expect(stderr).toMatch(/sheet: one page at/)
    expect(stderr).toContain('stopped watching')
    expect(code).toBe(0)
    const pids = await counting.pids()
    expect(pids).toHaveLength(1)
    expect(alive(pids[0]!)).toBe(false)
  })
})
