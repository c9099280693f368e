/**
 * The persistent build cache: values stored on disk under a key made from everything they were
 * computed from (content-addressed), so an entry is either right or never found. Reading it can
 * only ever save work: any failure — a missing folder, a file cut short, bytes that do not match
 * their checksum, a value that cannot be deserialized — is a miss, and the caller computes the
 * value as a cold build would. Writing is best effort (a read-only disk just means no cache).
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { codeFingerprint } from './fingerprint.ts'
import { pruneCache } from './prune.ts'

/** Bump when the layout of entries changes: old entries are then simply never found. */
const LAYOUT = 'cheatdeck-cache-1'
const CHECKSUM_BYTES = 32

export class CacheStore {
  /** Entries written by this process, by path: several writes of one key write once. */
  private readonly written = new Set<string>()
  private constructor(
    readonly dir: string,
    private readonly salt: string,
  ) {}

  /**
   * A store in `dir`, its keys salted with the code and the installed dependencies that compute
   * its values; entries not written for a month are deleted (once a day, `pruneCache`).
   */
  static async open(dir: string): Promise<CacheStore> {
    const resolved = path.resolve(dir)
    await pruneCache(resolved)
    return new CacheStore(resolved, `${LAYOUT}\0${await codeFingerprint()}`)
  }

  /** The key of a value computed, by the code of kind `kind`, from `parts`. */
  key(kind: string, ...parts: readonly string[]): string {
    const hash = createHash('sha256').update(this.salt).update('\0').update(kind)
    for (const part of parts) hash.update(`\0${part.length}\0`).update(part)
    return `${kind}/${hash.digest('hex')}`
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const bytes = await readFile(this.file(key))
      const payload = bytes.subarray(CHECKSUM_BYTES)
      const expected = createHash('sha256').update(payload).digest()
      if (!expected.equals(bytes.subarray(0, CHECKSUM_BYTES))) return undefined
      return deserialize(payload) as T
    } catch {
      return undefined
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    const file = this.file(key)
    if (this.written.has(file)) return
    this.written.add(file)
    // Not the build's `.tmp-` pattern: those belong to the atomic write of the outputs.
    const temp = `${file}~${process.pid}-${Math.random().toString(36).slice(2)}`
    try {
      const payload = serialize(value)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(temp, Buffer.concat([createHash('sha256').update(payload).digest(), payload]))
      await rename(temp, file)
    } catch {
      await rm(temp, { force: true }).catch(() => {})
    }
  }

  private file(key: string): string {
    return path.join(this.dir, ...key.split('/'))
  }
}
