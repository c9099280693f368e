/**
 * Vitest global setup: every test's temp files go into one folder of this run, removed at the end,
 * so copied fixtures and built outputs do not pile up in the system's temp folder run after run.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'cheatdeck-tests-'))
  // Test workers and the builds they spawn read TMPDIR through os.tmpdir().
  process.env.TMPDIR = dir
  // A build run outside any package keeps its cache in the user's cache folder: this run's, not the real one.
  process.env.XDG_CACHE_HOME = path.join(dir, 'user-cache')
  return () => rmSync(dir, { recursive: true, force: true })
}
