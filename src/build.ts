/**
 * notes → facts → outputs → dist/. The only module that writes: every output in the registry
 * (`emit/index.ts`) is emitted first, then each of their files is written (streamed, when an
 * output gives chunks) to a temp file beside its target and renamed over it, so a failed build
 * leaves what was in `dist/` as it was.
 */
import { createHash } from 'node:crypto'
import { link, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CacheStore } from './cache/store.ts'
import { lockfileOutdated } from './check.ts'
import { compile, type CompileOptions, type CompileResult } from './compile.ts'
import type { Diagnostic } from './diagnostics.ts'
import { applyRuleSettings } from './rules/settings.ts'
import { outputs as registry, type Emission, type LockUpdate, type Output, type FactDigest, type OutputCache, type OutputContext, type OutputData, type OutputFile, type OutputId, type OutputOptions, type Timer } from './emit/index.ts'
import type { Paper } from './emit/sheet/index.ts'
import { reserializeLockfile, type Lockfile } from './facts/lockfile.ts'
import type { Fact } from './facts/model.ts'
import { PACKAGE_ROOT } from './package-root.ts'

export { OUTPUTS, type OutputId } from './emit/index.ts'
export type { Paper }

export interface BuildOptions extends CompileOptions, OutputOptions {
  /** Where outputs go (created when missing). */
  out: string
  /** Emit only these outputs, by id (default: all; see `OUTPUTS`). */
  only?: readonly OutputId[] | readonly string[]
  /** The outputs to run, in writing order (default: cheatdeck's own, `src/emit/index.ts`). */
  outputs?: readonly Output[]
  /** Fail instead of updating the lockfile (CI), like `npm ci`. */
  locked?: boolean
  /** The templates folder (default: the package's `templates/`). */
  templates?: string
}

export interface WrittenFile {
  path: string
  bytes: number
}

export interface BuildResult extends CompileResult {
  /** Files written (outputs, then the lockfile when it changed). Empty when the build failed. */
  files: WrittenFile[]
  /** Notes about the build that are not about the notes (e.g. no Chromium for `--pdf`). */
  notices: string[]
}

export const DEFAULT_TEMPLATES = path.join(PACKAGE_ROOT, 'templates')

export async function build(options: BuildOptions): Promise<BuildResult> {
  const compiled = await compile(options)
  const result: BuildResult = { ...compiled, diagnostics: [...compiled.diagnostics], files: [], notices: [] }
  if (!compiled.ok) return result
  const timed = stageTimer(result.timings, options.progress)
  const context: OutputContext = {
    notes: compiled.notes,
    lock: compiled.lock,
    removed: compiled.removed,
    now: compiled.now,
    templates: options.templates ?? DEFAULT_TEMPLATES,
    options,
    timed,
  }
  const cache = await outputCache(options.cacheDir, compiled)
  if (cache) context.cache = cache
  const files: OutputFile[] = []
  const updates: LockUpdate[] = []
  for (const emission of await emitAll(selectOutputs(options), context)) {
    files.push(...emission.files)
    // The deck's `rules:` apply to an output's problems too (it may make `sheet-overflow` an error).
    result.diagnostics.push(...applyRuleSettings(emission.diagnostics ?? [], compiled.notes.deck.rules))
    result.notices.push(...(emission.notices ?? []))
    if (emission.lockUpdate) updates.push(emission.lockUpdate)
  }
  if (result.diagnostics.some((d) => d.severity === 'error')) return fail(result)

  result.lock = withUpdates(compiled.lock, updates)
  result.lockText = updates.length ? reserializeLockfile(result.lock, compiled.lockText) : compiled.lockText
  if (options.locked) {
    const outdated = lockfileOutdated(compiled, result.lockText, updates.map((u) => u.reason))
    if (outdated) return fail(result, outdated)
  }
  // Written in the registry's order (the crash-safety test relies on it), the lockfile last.
  const targets = files.map((file) => ({ path: outputPath(options.out, file.name), data: file.data }))
  const seen = new Set<string>()
  for (const target of targets) {
    if (seen.has(target.path)) throw new Error(`internal: two outputs write ${target.path}`)
    seen.add(target.path)
  }
  if (result.lockText !== compiled.previousLockText) targets.push({ path: compiled.lockPath, data: textChunks(result.lockText) })
  // Outputs made while they are written (the dataset) time their own stage: not counted twice.
  const others = (): number => Object.entries(result.timings).reduce((sum, [stage, ms]) => (stage === 'write' ? sum : sum + ms), 0)
  const outside = others()
  const bytes = await timed('write', () => writeAtomically(targets))
  result.timings['write'] = (result.timings['write'] ?? 0) - (others() - outside)
  result.files = targets.map((t, index) => ({ path: t.path, bytes: bytes[index] ?? 0 }))
  return result
}

/** Text as UTF-8 chunks of about a megabyte, cut at line ends (never inside a character). */
function* textChunks(text: string): Generator<Uint8Array> {
  for (let start = 0; start < text.length; ) {
    const cut = text.indexOf('\n', start + (1 << 20))
    const end = cut === -1 ? text.length : cut + 1
    yield Buffer.from(text.slice(start, end))
    start = end
  }
}

/** The persistent cache as outputs see it (none without `cacheDir`, or when it cannot be opened). */
async function outputCache(dir: string | undefined, compiled: CompileResult): Promise<OutputCache | undefined> {
  if (dir === undefined) return undefined
  const store = await CacheStore.open(dir).catch(() => undefined)
  if (!store) return undefined
  let digest: string | undefined
  // Image bytes lie in the notes only beside their files (`notes.media`).
  const images = Boolean(compiled.notes.media?.length)
  const facts = new WeakMap<Fact, FactDigest>()
  return {
    digest: () => (digest ??= digestOf({ notes: compiled.notes, removed: compiled.removed }, images)),
    digestOf: (value) => digestOf(value, images),
    factDigest: (fact) => {
      let known = facts.get(fact)
      if (!known) facts.set(fact, (known = factDigest(fact, images)))
      return known
    },
    key: (kind, ...parts) => store.key(kind, ...parts),
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
  }
}

/**
 * A digest of every field of a value of the notes, as JSON: not `v8.serialize`, whose bytes differ
 * for equal strings stored differently (a parse taken from the cache against a fresh one). An
 * image's bytes are left out: its name, in the notes beside them, is a hash of them.
 */
function digestOf(value: unknown, images: boolean): string {
  // A replacer is a call per value (about half the time of the whole digest): only when needed.
  const text = images ? JSON.stringify(value, withoutBytes) : JSON.stringify(value)
  return createHash('sha256').update(text).digest('hex')
}

/** A fact's digests: what it prints serialized once, where it stands and who it is added for the whole. */
function factDigest(fact: Fact, images: boolean): FactDigest {
  const { order: _order, source, guid, modified, added, ...printed } = fact
  const digest = digestOf(printed, images)
  const whole = createHash('sha256').update(digest).update(JSON.stringify([source, guid, modified, added])).digest('hex')
  return { printed: digest, whole }
}

function withoutBytes(_key: string, field: unknown): unknown {
  return field instanceof Uint8Array ? field.byteLength : field
}

/** The outputs to run, in order; an id in `only` that names none of them is a mistake, not a no-op. */
function selectOutputs(options: BuildOptions): readonly Output[] {
  const all = options.outputs ?? registry
  if (!options.only) return all
  const only = new Set<string>(options.only)
  const ids = all.map((output) => output.id)
  const unknown = [...only].find((id) => !ids.includes(id))
  if (unknown !== undefined) throw new Error(`Unexpected output \`${unknown}\` in \`only\`, expected some of ${ids.join(', ')}`)
  return all.filter((output) => only.has(output.id))
}

/**
 * Every output's emission, in the outputs' order. They run at once: while the sheet waits on
 * Chromium (starting it, loading and fitting the page: seconds spent in Chromium's processes) the
 * deck and the dataset are made on this thread. When one fails the others still finish (Chromium
 * is closed) before its error is thrown.
 */
async function emitAll(list: readonly Output[], context: OutputContext): Promise<Emission[]> {
  const settled = await Promise.allSettled(list.map((output) => output.emit(context)))
  const failed = settled.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map((result) => (result as PromiseFulfilledResult<Emission>).value)
}

function fail(result: BuildResult, diagnostic?: Diagnostic): BuildResult {
  if (diagnostic) result.diagnostics.push(diagnostic)
  result.ok = false
  return result
}

/** The lockfile with the outputs' asset entries recorded (a new object: the compiled one stays as it was). */
function withUpdates(lock: Lockfile, updates: readonly LockUpdate[]): Lockfile {
  if (!updates.length) return lock
  const assets = { ...lock.assets }
  for (const update of updates) {
    for (const [key, entry] of Object.entries(update.assets)) {
      if (key in assets && assets[key] !== lock.assets[key]) throw new Error(`internal: two outputs update the lockfile's \`${key}\``)
      assets[key] = entry
    }
  }
  return { ...lock, assets }
}

/** An output's file inside the output folder; a name that would land outside it is a bug in the output. */
function outputPath(out: string, name: string): string {
  const target = path.resolve(out, name)
  const inside = path.relative(path.resolve(out), target)
  if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) throw new Error(`internal: an output wrote \`${name}\`, outside ${out}`)
  return target
}

/** Adds each run's milliseconds to its stage in `timings`, and says what runs to `progress`. */
function stageTimer(timings: Record<string, number>, progress: BuildOptions['progress']): Timer {
  return async (stage, run, doing) => {
    progress?.({ stage: doing ?? stage })
    const start = performance.now()
    try {
      return await run()
    } finally {
      timings[stage] = (timings[stage] ?? 0) + performance.now() - start
    }
  }
}

let tempCounter = 0

/** Signals that end a build; `writeAtomically` holds them until the outputs are whole. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Removes temp files a killed build left beside these targets (`.<name>.tmp-<pid>-<n>` and
 * `.<name>.tmp-old-<pid>-<n>`): a SIGKILL leaves no chance to clean up, so the next build does.
 * Only those of processes that are gone: a build still running beside this one keeps its own.
 */
async function sweepStaleTemps(targets: readonly string[]): Promise<void> {
  const byDir = new Map<string, Set<string>>()
  for (const target of targets) {
    const names = byDir.get(path.dirname(target)) ?? new Set<string>()
    names.add(path.basename(target))
    byDir.set(path.dirname(target), names)
  }
  for (const [dir, names] of byDir) {
    const entries = await readdir(dir).catch(() => [] as string[])
    for (const entry of entries) {
      const match = /^\.(.+)\.tmp(?:-old)?-(\d+)-\d+$/.exec(entry)
      if (!match || !names.has(match[1] ?? '') || isAlive(Number(match[2]))) continue
      await rm(path.join(dir, entry), { force: true }).catch(() => {})
    }
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * A file's chunks as they are written: counts their bytes, and ends the write at a held signal
 * (a dataset made while it is written may take seconds; Ctrl-C should not wait for it).
 */
async function* counted(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, total: (bytes: number) => void, stopped: () => NodeJS.Signals | undefined): AsyncGenerator<Uint8Array> {
  let bytes = 0
  for await (const chunk of chunks) {
    const signal = stopped()
    if (signal) throw new Error(`build stopped by ${signal} while writing; the previous outputs were put back`)
    bytes += chunk.byteLength
    total(bytes)
    yield chunk
  }
}

/**
 * Writes every file to a temp file beside its target, then renames them into place. If any step
 * fails, the targets already replaced are restored from hard-linked backups and every temp file is
 * removed, so the folder is as it was before. SIGINT, SIGTERM and SIGHUP that come meanwhile are
 * held: before the renames are done they stop them and the backups go back; then the signal is
 * raised again.
 */
export async function writeAtomically(files: readonly { path: string; data: OutputData }[]): Promise<number[]> {
  const tempName = (target: string, kind: string): string =>
    path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${process.pid}-${++tempCounter}`)
  const staged: { temp: string; target: string; backup: string | undefined; done: boolean }[] = []
  const sizes: number[] = []
  await sweepStaleTemps(files.map((f) => f.path))
  // Ctrl-C or a `kill` while files are being replaced is held until the folder is whole again.
  let stopped: NodeJS.Signals | undefined
  const hold = (signal: NodeJS.Signals): void => void (stopped ??= signal)
  for (const signal of STOP_SIGNALS) process.on(signal, hold)
  try {
    for (const [index, file] of files.entries()) {
      await mkdir(path.dirname(file.path), { recursive: true })
      const entry = { temp: tempName(file.path, 'tmp'), target: file.path, backup: undefined as string | undefined, done: false }
      staged.push(entry)
      const { data } = file
      sizes[index] = data instanceof Uint8Array ? data.byteLength : 0
      await writeFile(entry.temp, data instanceof Uint8Array ? data : counted(data, (bytes) => (sizes[index] = bytes), () => stopped))
    }
    for (const entry of staged) {
      const backup = tempName(entry.target, 'tmp-old')
      try {
        await link(entry.target, backup)
        entry.backup = backup
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    for (const entry of staged) {
      if (stopped) throw new Error(`build stopped by ${stopped} while writing; the previous outputs were put back`)
      await rename(entry.temp, entry.target)
      entry.done = true
    }
    // Held during the last rename: still before the build is done, so the old outputs go back.
    if (stopped) throw new Error(`build stopped by ${stopped} while writing; the previous outputs were put back`)
    return sizes
  } catch (error) {
    for (const entry of staged.filter((e) => e.done)) {
      if (entry.backup) await rename(entry.backup, entry.target).catch(() => {})
      else await rm(entry.target, { force: true }).catch(() => {})
    }
    throw error
  } finally {
    await Promise.all(staged.flatMap((e) => [e.temp, e.backup ?? '']).filter(Boolean).map((f) => rm(f, { force: true })))
    for (const signal of STOP_SIGNALS) process.off(signal, hold)
    // Now the signal does what it would have done (end the process, or reach the watcher's handler).
    if (stopped) process.kill(process.pid, stopped)
  }
}
