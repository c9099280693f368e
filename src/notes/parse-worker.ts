/**
 * A parse worker (see parse-pool.ts): says it is ready once its modules are loaded, then parses
 * the files it was given and posts the results back.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { parseTopic } from './parse.ts'
import type { SourceFile } from './read.ts'

parentPort?.postMessage('ready')
const files = workerData as SourceFile[]
parentPort?.postMessage(files.map((f) => parseTopic(f.path, f.value)))
