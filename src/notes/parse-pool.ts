/**
 * Parsing many topic files on every core. `parseTopic` is pure (text in, data out), so files are
 * split into chunks of about equal size: the main thread parses one, worker threads the others,
 * and the results come back in file order — the same output as parsing them one by one.
 * Small folders (the usual case) are parsed in-thread: starting a worker costs more than it saves.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { parseTopic, type ParsedTopic } from './parse.ts'
import type { SourceFile } from './read.ts'

export interface ParsePoolOptions {
  /** Below this many characters in all, parse in-thread (default 300 000, ~2 500 facts). */
  minChars?: number
  /** Threads to use, the main one included (default: the cores available, at most 4). */
  threads?: number
  /** Parse a chunk in-thread when its worker fails (default true; tests turn it off). */
  fallback?: boolean
}

const WORKER = new URL('./parse-worker.ts', import.meta.url).href
const TSX_API = import.meta.resolve('tsx/esm/api')

export async function parseTopics(files: readonly SourceFile[], options: ParsePoolOptions = {}): Promise<ParsedTopic[]> {
  const total = files.reduce((sum, f) => sum + f.value.length, 0)
  const threads = Math.min(options.threads ?? Math.min(availableParallelism(), 4), files.length)
  if (threads < 2 || total < (options.minChars ?? 300_000)) return files.map((f) => parseTopic(f.path, f.value))

  const chunks = split(files, threads)
  const [own = [], ...others] = chunks
  const pending = others.map((chunk) =>
    inWorker(chunk).catch((error: unknown) => {
      if (options.fallback === false) throw error
      return chunk.map((f) => parseTopic(f.path, f.value))
    }),
  )
  const mine = own.map((f) => parseTopic(f.path, f.value))
  const results = [mine, ...(await Promise.all(pending))]
  // Chunks hold runs of consecutive files, so concatenating them keeps file order.
  return results.flat()
}

/** Consecutive runs of files, each about `total / count` characters. */
function split(files: readonly SourceFile[], count: number): SourceFile[][] {
  const total = files.reduce((sum, f) => sum + f.value.length, 0)
  const chunks: SourceFile[][] = [[]]
  let size = 0
  for (const file of files) {
    const current = chunks[chunks.length - 1] as SourceFile[]
    if (current.length && size >= (total / count) * chunks.length && chunks.length < count) chunks.push([file])
    else current.push(file)
    size += file.value.length
  }
  return chunks
}

function inWorker(files: SourceFile[]): Promise<ParsedTopic[]> {
  // The worker registers tsx itself: hooks registered in this thread do not reach a worker.
  const source = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER)}) })`
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: files })
    worker.once('message', (parsed: ParsedTopic[]) => {
      resolve(parsed)
      void worker.terminate()
    })
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`parse worker exited with code ${code}`)))
  })
}
