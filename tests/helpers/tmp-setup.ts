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
  return () => rmSync(dir, { recursive: true, force: true })
}
