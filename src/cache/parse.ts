/**
 * Reading the notes files through the caches: the deck file and each topic file are parsed only
 * when neither the watcher's memory (same text) nor the disk store (same text, path and code) has
 * them. The parser is imported only then, so a build whose files all come from the cache never
 * loads remark or the YAML parser. The parser itself is untouched: its result is stored as is.
 */
import type { ParseCache } from '../compile.ts'
import { Diagnostics, type Diagnostic } from '../diagnostics.ts'
import type { CardsSetting, DeckInfo } from '../facts/model.ts'
import type { ParsedTopic } from '../notes/parse.ts'
import type { SourceFile } from '../notes/read.ts'
import { freeze, thaw, type Stored } from './messages.ts'
import type { CacheStore } from './store.ts'

/** Each topic file's parse, in order, and the files that had to be parsed. */
export async function parseTopicsCached(
  files: readonly SourceFile[],
  cards: CardsSetting | undefined,
  memory: ParseCache | undefined,
  store: CacheStore | undefined,
  onParsed?: (done: number) => void,
): Promise<{ parsed: ParsedTopic[]; reparsed: string[] }> {
  // The deck's `cards:` setting changes how every file parses: it is part of each key.
  const setting = JSON.stringify(cards ?? null)
  const keys = files.map((file) => store?.key('topic', file.path, setting, file.value))
  const found = await Promise.all(
    files.map((file, i) => {
      const kept = memory?.get(file.path)
      if (kept && kept.value === file.value && kept.setting === setting) return kept.parsed
      const key = keys[i]
      return key === undefined ? undefined : store?.get<Stored<ParsedTopic>>(key).then(thaw)
    }),
  )
  const reparsed: string[] = []
  const writes: Promise<void>[] = []
  let parseTopic: typeof import('../notes/parse.ts').parseTopic | undefined
  const parsed: ParsedTopic[] = []
  for (const [i, file] of files.entries()) {
    let topic = found[i]
    if (!topic) {
      parseTopic ??= (await import('../notes/parse.ts')).parseTopic
      topic = parseTopic(file.path, file.value, cards ? { cards } : {})
      reparsed.push(file.path)
      const key = keys[i]
      if (key !== undefined && store) writes.push(store.set(key, freeze(topic)))
    }
    memory?.set(file.path, { value: file.value, setting, parsed: topic })
    parsed.push(topic)
    onParsed?.(i + 1)
  }
  if (memory) {
    const present = new Set(files.map((file) => file.path))
    for (const key of [...memory.keys()]) if (!present.has(key)) memory.delete(key)
  }
  await Promise.all(writes)
  return { parsed, reparsed }
}

interface ParsedDeck {
  deck: DeckInfo | undefined
  diagnostics: Diagnostic[]
}

/**
 * The deck file's parse (its problems added to `diagnostics`), from the store when its text is
 * known. `folder` (the notes folder's name) is the title when the file gives none.
 */
export async function parseDeckCached(file: SourceFile | undefined, folder: string, diagnostics: Diagnostics, store: CacheStore | undefined): Promise<DeckInfo | undefined> {
  const key = file && store?.key('deck', file.path, folder, file.value)
  let parsed = key === undefined ? undefined : thaw(await store?.get<Stored<ParsedDeck>>(key))
  if (!parsed) {
    const { parseDeck } = await import('../notes/deck.ts')
    const own = new Diagnostics()
    parsed = { deck: parseDeck(file, folder, own), diagnostics: own.list }
    if (key !== undefined) await store?.set(key, freeze(parsed))
  }
  diagnostics.list.push(...parsed.diagnostics)
  return parsed.deck
}
