/** A parse worker (see parse-pool.ts): parses the files it is given and posts the results back. */
import { parentPort, workerData } from 'node:worker_threads'
import { parseTopic } from './parse.ts'
import type { SourceFile } from './read.ts'

const files = workerData as SourceFile[]
parentPort?.postMessage(files.map((f) => parseTopic(f.path, f.value)))
