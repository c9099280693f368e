/**
 * Every value read from the lockfile is checked before it is used: a time must be whole unix
 * seconds in range (Anki reads `mod` in seconds, ids are milliseconds from it), a GUID printable,
 * a hash sha256. A problem is reported where it is in the text (jsonc-parser finds the place).
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser'
import type { CardForm } from './model.ts'
import type { AssetEntry, LockEntry, Lockfile } from './lockfile.ts'

export const LOCKFILE_VERSION = 1
/** Unix seconds up to this (year 5138) are seconds; larger ones are almost surely milliseconds. */
export const MAX_SECONDS = 99_999_999_999

const FORMS: readonly CardForm[] = ['cloze', 'term', 'qa', 'none']
const GUID = /^[!-~]{1,64}$/
const HASH = /^[0-9a-f]{64}$/

type Path = (string | number)[]
export type Report = (problem: { offset: number; message: string }) => void

/** A lockfile from parsed JSON, or undefined after reporting every problem found. */
export function validateLockfile(data: unknown, text: string, report: Report): Lockfile | undefined {
  let tree: Node | undefined
  let ok = true
  const fail = (path: Path, message: string): void => {
    ok = false
    tree ??= parseTree(text)
    const node = tree ? findNodeAtLocation(tree, path) : undefined
    // A missing value: point at its object's key instead.
    const parent = node ?? (tree ? findNodeAtLocation(tree, path.slice(0, -1)) : undefined)
    report({ offset: (node ? node.offset : (parent?.parent?.offset ?? parent?.offset)) ?? 0, message })
  }
  if (!isObject(data)) {
    fail([], `Unexpected lockfile that is ${describe(data)}, expected an object with \`lockfileVersion: ${LOCKFILE_VERSION}\`, \`namespace\`, \`created\`, \`assets\` and \`facts\``)
    return undefined
  }
  if (data['lockfileVersion'] !== LOCKFILE_VERSION) fail(['lockfileVersion'], `Unexpected \`lockfileVersion\` ${describe(data['lockfileVersion'])}, expected ${LOCKFILE_VERSION} (a lockfile from another cheatdeck version?)`)
  const namespace = data['namespace']
  if (typeof namespace !== 'string' || !namespace.trim()) fail(['namespace'], `Unexpected \`namespace\` ${describe(namespace)}, expected a non-empty string`)
  const created = seconds(data['created'], ['created'], fail)
  const assets = Object.create(null) as Record<string, AssetEntry>
  const rawAssets = data['assets'] ?? {}
  if (!isObject(rawAssets)) fail(['assets'], `Unexpected \`assets\` ${describe(rawAssets)}, expected an object`)
  else {
    for (const [key, value] of Object.entries(rawAssets)) {
      const at: Path = ['assets', key]
      if (!isObject(value)) fail(at, `Unexpected asset \`${key}\` ${describe(value)}, expected \`{hash, modified}\``)
      else if (typeof value['hash'] !== 'string' || !value['hash']) fail([...at, 'hash'], `Unexpected \`hash\` ${describe(value['hash'])} of asset \`${key}\`, expected a non-empty string`)
      else {
        const modified = seconds(value['modified'], [...at, 'modified'], fail)
        if (modified !== undefined) assets[key] = { hash: value['hash'], modified }
      }
    }
  }
  const facts = new Map<string, LockEntry>()
  const rawFacts = data['facts']
  if (!isObject(rawFacts)) fail(['facts'], `Unexpected \`facts\` ${describe(rawFacts)}, expected an object of id → entry`)
  else {
    for (const [id, value] of Object.entries(rawFacts)) {
      const entry = validateEntry(id, value, fail)
      if (entry) facts.set(id, entry)
    }
  }
  if (!ok || typeof namespace !== 'string' || created === undefined) return undefined
  return { lockfileVersion: LOCKFILE_VERSION, namespace, created, assets, facts }
}

function validateEntry(id: string, value: unknown, fail: (path: Path, message: string) => void): LockEntry | undefined {
  const at: Path = ['facts', id]
  const name = JSON.stringify(id)
  if (!id || /[\p{Cc}]/u.test(id)) fail(at, `Unexpected fact id ${name}, expected a non-empty id without control characters`)
  if (!isObject(value)) {
    fail(at, `Unexpected entry ${name} that is ${describe(value)}, expected an object with \`guid\`, \`hash\`, \`modified\`, \`topic\`, \`section\` and \`text\``)
    return undefined
  }
  let ok = true
  const bad = (key: string, expected: string): void => {
    ok = false
    fail([...at, key], `Unexpected ${value[key] === undefined ? `missing \`${key}\`` : `\`${key}\` ${describe(value[key])}`} in entry ${name}, expected ${expected}`)
  }
  const string = (key: string): string => {
    const v = value[key]
    if (typeof v !== 'string') bad(key, 'a string')
    return typeof v === 'string' ? v : ''
  }
  const guid = value['guid']
  if (typeof guid !== 'string' || !GUID.test(guid)) bad('guid', 'a GUID of 1 to 64 printable ASCII characters')
  const hash = value['hash']
  if (typeof hash !== 'string' || !HASH.test(hash)) bad('hash', 'a sha256 in lowercase hex (64 characters)')
  const time = (key: string, optional: boolean): number | undefined => {
    if (optional && value[key] === undefined) return undefined
    const v = seconds(value[key], [...at, key], fail, `in entry ${name}`)
    if (v === undefined) ok = false
    return v
  }
  const modified = time('modified', false)
  // Lockfiles written before first-seen times were kept: the earliest time the lockfile proves.
  const added = time('added', true) ?? modified
  const removed = time('removed', true)
  const topic = string('topic')
  const section = string('section')
  const text = string('text')
  const form = value['form']
  if (form !== undefined && !FORMS.includes(form as CardForm)) bad('form', `one of ${FORMS.map((f) => `\`${f}\``).join(', ')}`)
  if (ok && added !== undefined && modified !== undefined && added > modified) bad('added', `a time no later than \`modified\` (${modified})`)
  if (!ok || typeof guid !== 'string' || typeof hash !== 'string' || modified === undefined || added === undefined) return undefined
  const entry: LockEntry = { guid, hash, modified, added, topic, section, text }
  if (form !== undefined) entry.form = form as CardForm
  if (removed !== undefined) entry.removed = removed
  return entry
}

/** Whole unix seconds in range, or undefined after reporting why not. */
function seconds(value: unknown, path: Path, fail: (path: Path, message: string) => void, where = ''): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_SECONDS) return value
  const key = String(path[path.length - 1])
  const what = value === undefined ? `missing \`${key}\`` : `\`${key}\` ${describe(value)}`
  const hint = typeof value === 'number' && Number.isInteger(value) && value > MAX_SECONDS ? ' (this looks like milliseconds)' : ''
  fail(path, `Unexpected ${what}${where ? ` ${where}` : ''}${hint}, expected unix seconds: a whole number from 0 to ${MAX_SECONDS}`)
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return '`null`'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `\`${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}\``
  return `\`${String(value)}\``
}
