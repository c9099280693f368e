/**
 * The card-quality rules through the caches (src/cache/card-rules.ts): a compile that takes some
 * topics' diagnostics from the watcher's memory or the disk store reports exactly what a compile
 * checking every card does — also when two topics share a breadcrumb (same name), so that
 * `ambiguous-cloze` compares cards across files — and an edit is reported again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile, type CompileMemory, type ParseCache } from '../src/compile.ts'
import { diagnosticJson } from '../src/diagnostics.ts'
import { withNotes } from './helpers/notes.ts'

const NOW = 1_767_225_600

const FILES = {
  'deck.yaml': 'title: Rules cache\n',
  // Two files, one topic name: their cards share the breadcrumb `Queues › Retries`.
  'a.md': '---\nname: Queues\n---\n\n## Retries\n\n- Set {{c1::the visibility timeout}} above the function timeout for retries.\n- Use ==VPC== endpoints.\n',
  'b.md': '---\nname: Queues\n---\n\n## Retries\n\n- Set {{c1::the redrive policy}} above the function timeout for retries.\n',
  'c.md': '# Streams\n\n## Shards\n\n- A {{c1::shard}} holds records of one shard key.\n',
}

const shown = (result: Awaited<ReturnType<typeof compile>>) => result.diagnostics.map((d) => JSON.stringify(diagnosticJson(d)))

describe('card-quality rules through the caches', () => {
  it('reports what a check of every card reports, from memory and from the store, across files that share a breadcrumb', async () => {
    await withNotes(FILES, async (notes) => {
      const cacheDir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-rules-cache-'))
      try {
        const plain = shown(await compile({ notes, now: NOW }))
        // The cross-file warning is there: the check is not per file.
        expect(plain.some((d) => d.includes('ambiguous-cloze') && d.includes('b.md'))).toBe(true)
        const cache: ParseCache = new Map()
        const memory: CompileMemory = {}
        expect(shown(await compile({ notes, now: NOW, cacheDir, cache, memory }))).toEqual(plain)
        expect(memory.rules?.size).toBe(2) // a.md with b.md, and c.md alone
        expect(shown(await compile({ notes, now: NOW, cacheDir, cache, memory }))).toEqual(plain)
        // A fresh process: everything from the disk store.
        expect(shown(await compile({ notes, now: NOW, cacheDir }))).toEqual(plain)

        // An edit that ends the ambiguity is seen, in memory and on disk.
        await writeFile(path.join(notes, 'b.md'), FILES['b.md'].replace('the redrive policy', 'the dead-letter queue').replace('retries', 'poison messages'))
        const edited = shown(await compile({ notes, now: NOW }))
        expect(edited).not.toEqual(plain)
        expect(shown(await compile({ notes, now: NOW, cacheDir, cache, memory }))).toEqual(edited)
        expect(shown(await compile({ notes, now: NOW, cacheDir }))).toEqual(edited)
      } finally {
        await rm(cacheDir, { recursive: true, force: true })
      }
    })
  })

  it('reuses the diagnostics of unchanged topics in a watcher', async () => {
    await withNotes(FILES, async (notes) => {
      const cache: ParseCache = new Map()
      const memory: CompileMemory = {}
      const first = await compile({ notes, now: NOW, cache, memory })
      await writeFile(path.join(notes, 'c.md'), FILES['c.md'].replace('one shard key', 'one partition key'))
      const second = await compile({ notes, now: NOW, cache, memory })
      const of = (result: typeof first, file: string) => result.diagnostics.filter((d) => d.file === file && d.ruleId === 'ambiguous-cloze')
      // The same message objects: not checked again.
      expect(of(second, 'b.md')).toHaveLength(1)
      expect(of(second, 'b.md')[0]).toBe(of(first, 'b.md')[0])
    })
  })
})
