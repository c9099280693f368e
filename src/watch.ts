/**
 * `build --watch`: rebuild when a note, the deck file or a template changes. Unchanged files come
 * from the parse cache; a build with content errors writes nothing, so `dist/` keeps the last good
 * outputs while the watcher waits for the next change.
 */
import { watch as watchFs, type FSWatcher } from 'node:fs'
import path from 'node:path'
import { build, DEFAULT_TEMPLATES, type BuildOptions, type BuildResult } from './build.ts'
import type { CompileMemory, ParseCache } from './compile.ts'
import { createSheetBrowserPool } from './emit/sheet/browser-pool.ts'
import { LOCKFILE } from './notes/read.ts'

export interface WatchOptions extends BuildOptions {
  /** Quiet time after the last change before rebuilding (ms). */
  debounceMs?: number
}

export type WatchEvent =
  | { type: 'build'; result: BuildResult; changed: string[] }
  | { type: 'crash'; error: Error; changed: string[] }

export interface Watcher {
  /** Settles after the first build. */
  ready: Promise<void>
  /** Stops watching; settles when a build under way has finished and the session's Chromium has closed. */
  close(): Promise<void>
}

export function watchBuild(options: WatchOptions, onEvent: (event: WatchEvent) => void): Watcher {
  const cache: ParseCache = options.cache ?? new Map()
  // Kept between rebuilds too, so a rebuild does the changed files' work (see compile).
  const memory: CompileMemory = options.memory ?? {}
  // One Chromium for the session, started by the first build that fits or prints the sheet,
  // closed with it.
  const browser = options.browser ?? createSheetBrowserPool()
  const templates = options.templates ?? DEFAULT_TEMPLATES
  const debounce = options.debounceMs ?? 80
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let closed = false

  const run = (changed: string[]): Promise<void> => {
    running = running.then(async () => {
      if (closed) return
      try {
        // `now` is left to the build's clock, so each rebuild stamps its own changes.
        const { now: _now, ...rest } = options
        const result = await build({ ...rest, cache, memory, browser })
        onEvent({ type: 'build', result, changed })
      } catch (error) {
        onEvent({ type: 'crash', error: error as Error, changed })
      }
    })
    return running
  }

  const schedule = (file: string): void => {
    if (closed) return
    pending.add(file)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const changed = [...pending].sort()
      pending = new Set()
      void run(changed)
    }, debounce)
  }

  const relevant = (root: string, name: string | null): string | undefined => {
    if (!name) return undefined
    const base = path.basename(name)
    // Our own writes (the lockfile, temp files) must not trigger a rebuild.
    if (base === LOCKFILE || base.startsWith('.')) return undefined
    const file = path.join(root, name)
    // Nor do the outputs, when they are written inside the notes folder (`--notes .`).
    const inOut = path.relative(path.resolve(options.out), path.resolve(file))
    if (!inOut.startsWith('..') && !path.isAbsolute(inOut)) return undefined
    return file
  }

  const watchers: FSWatcher[] = []
  for (const root of [options.notes, templates]) {
    const watcher = watchFs(root, { recursive: true }, (_event, name) => {
      const file = relevant(root, name)
      if (file) schedule(file)
    })
    watcher.on('error', (error) => onEvent({ type: 'crash', error, changed: [] }))
    watchers.push(watcher)
  }

  const ready = run([])
  return {
    ready,
    async close() {
      closed = true
      clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
      await running
      // A pool passed in is closed too (it stays usable: its next `get` starts another Chromium).
      await browser.close()
    },
  }
}
