/**
 * What every cache key is salted with: cheatdeck's own code (every source or compiled module, or
 * the installed command's one bundled file, so an edit to the parser in this checkout is never
 * hidden by an entry its old version made), the Node version, and the installed dependencies
 * (npm's hidden lockfile, else the versions of cheatdeck's direct dependencies) — the parser's
 * versions among them.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PACKAGE_ROOT } from '../package-root.ts'

const HERE = fileURLToPath(import.meta.url)
/** `src/` in this checkout, `dist/lib/` in the package. */
const CODE_ROOT = path.resolve(path.dirname(HERE), '..')
// Set by the bundler (src/bin/bundle.ts): this module is then inside the command's one file,
// which holds all of cheatdeck's code (and the dependencies bundled with it).
const BUNDLED = (import.meta as { cheatdeckBundle?: boolean }).cheatdeckBundle === true

let fingerprint: Promise<string> | undefined

export function codeFingerprint(): Promise<string> {
  fingerprint ??= compute()
  return fingerprint
}

async function compute(): Promise<string> {
  const hash = createHash('sha256').update(process.version)
  const root = BUNDLED ? path.dirname(HERE) : CODE_ROOT
  const files = BUNDLED ? [path.basename(HERE)] : await codeFiles(CODE_ROOT, '')
  for (const file of files.sort()) {
    const text = await readFile(path.join(root, file))
    hash.update(`\0${file}\0${text.length}\0`).update(text)
  }
  hash.update('\0deps\0').update(await dependencies())
  return hash.digest('hex')
}

async function codeFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])
  const found: string[] = []
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name
    if (entry.isDirectory()) found.push(...(await codeFiles(root, relative)))
    else if (/\.(?:ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(relative)
  }
  return found
}

/** npm's record of what is installed (it changes with any install), else the direct dependencies' versions. */
async function dependencies(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string; dependencies?: Record<string, string> }
  const parts = [`cheatdeck@${pkg.version ?? '?'}`]
  for (const dir of ancestors(PACKAGE_ROOT)) {
    const modules = path.basename(dir) === 'node_modules' ? dir : path.join(dir, 'node_modules')
    const hidden = await readFile(path.join(modules, '.package-lock.json')).catch(() => undefined)
    if (hidden) return [...parts, createHash('sha256').update(hidden).digest('hex')].join('\0')
  }
  for (const name of Object.keys(pkg.dependencies ?? {}).sort()) parts.push(`${name}@${await installedVersion(name)}`)
  return parts.join('\0')
}

async function installedVersion(name: string): Promise<string> {
  for (const dir of ancestors(PACKAGE_ROOT)) {
    const modules = path.basename(dir) === 'node_modules' ? dir : path.join(dir, 'node_modules')
    const text = await readFile(path.join(modules, name, 'package.json'), 'utf8').catch(() => undefined)
    if (text !== undefined) return (JSON.parse(text) as { version?: string }).version ?? '?'
  }
  return 'missing'
}

function ancestors(start: string): string[] {
  const dirs = [start]
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) dirs.push(path.dirname(dir))
  return dirs
}
