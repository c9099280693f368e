import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseTopic } from '../src/notes/parse.ts'
import { parseTopics } from '../src/notes/parse-pool.ts'

const NOTES = path.resolve(import.meta.dirname, '..', 'notes')

describe('parsing on several threads', () => {
  it('gives exactly what parsing file by file gives, in file order', async () => {
    const names = (await readdir(NOTES)).filter((f) => f.endsWith('.md')).sort()
    const files = await Promise.all(names.map(async (name) => ({ path: name, value: await readFile(path.join(NOTES, name), 'utf8') })))
    const pooled = await parseTopics(files, { minChars: 0, threads: 3, fallback: false })
    expect(pooled.map((p) => p.file)).toEqual(names)
    expect(pooled).toEqual(files.map((f) => parseTopic(f.path, f.value)))
  }, 60_000)
})
