/** What the watch tests share: a recorder of watch events, and the command run until Ctrl-C. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { BuildResult } from '../../src/build.ts'
import type { WatchEvent } from '../../src/watch.ts'

const ROOT = path.resolve(import.meta.dirname, '..', '..')

/** Collects watch events and lets a test wait for the next one. */
export function recorder() {
  const events: WatchEvent[] = []
  let wake: (() => void) | undefined
  const next = async (count: number): Promise<WatchEvent> => {
    while (events.length < count) await new Promise<void>((resolve) => (wake = resolve))
    return events[count - 1] as WatchEvent
  }
  return {
    events,
    onEvent(event: WatchEvent) {
      events.push(event)
      wake?.()
    },
    next,
    /** The `count`th event's build; a crash is thrown. */
    async result(count: number): Promise<BuildResult> {
      const event = await next(count)
      if (event.type === 'crash') throw event.error
      return event.result
    },
  }
}

/** `cheatdeck build --watch <args>` from the source, sent SIGINT once it says it is watching. */
export async function watchUntilCtrlC(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/cheatdeck.ts'), 'build', '--watch', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env })
  let stderr = ''
  let sent = false
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    if (!sent && stderr.includes('Ctrl-C to stop')) sent = child.kill('SIGINT')
  })
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
  return { code, stderr }
}
