/**
 * Reading the notes files through the caches: the deck file and each topic file are parsed only
 * when neither the watcher's memory (same text) nor the disk store (same text, path and code) has
 * them. The parser is imported only then, so a build whose files all come from the cache never
 * loads remark or the YAML parser. The parser itself is untouched: its result is stored as is.
 */
import type { ParseCache } from '../compile.ts'
import { VFileMessage } from 'vfile-message'
import { adopt, Diagnostics, type Diagnostic } from '../diagnostics.ts'
import type { CardsSetting, DeckInfo } from '../facts/model.ts'
import type { ParsedTopic } from '../notes/parse.ts'
import type { SourceFile } from '../notes/read.ts'
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

/**
 * Diagnostics are vfile messages (Error subclasses), which the structured clone would reduce to
 * a bare Error: they are stored as their own properties and made into messages again on reading.
 */
type Stored<T> = Omit<T, 'diagnostics'> & { diagnostics: StoredMessage[] }
type StoredMessage = [name: string, value: unknown, enumerable: boolean][]

function freeze<T extends { diagnostics: Diagnostic[] }>(value: T): Stored<T> {
  return { ...value, diagnostics: value.diagnostics.map(freezeMessage) }
}

function freezeMessage(message: VFileMessage): StoredMessage {
  return Object.getOwnPropertyNames(message)
    .filter((name) => name !== 'severity')
    .map((name) => {
      const value = (message as unknown as Record<string, unknown>)[name]
      const enumerable = Object.getOwnPropertyDescriptor(message, name)?.enumerable ?? false
      return [name, value instanceof VFileMessage ? { message: freezeMessage(value) } : value, enumerable]
    })
}

function thaw<T extends { diagnostics: Diagnostic[] }>(value: Stored<T> | undefined): T | undefined {
  if (!value || !Array.isArray(value.diagnostics)) return undefined
  return { ...value, diagnostics: value.diagnostics.map((stored) => adopt(thawMessage(stored))) } as unknown as T
}

function thawMessage(stored: StoredMessage): VFileMessage {
  const message = Object.create(VFileMessage.prototype) as VFileMessage
  for (const [name, value, enumerable] of stored) {
    const nested = value && typeof value === 'object' && 'message' in value && Array.isArray(value.message) ? thawMessage(value.message as StoredMessage) : value
    Object.defineProperty(message, name, { value: nested, enumerable, writable: true, configurable: true })
  }
  return message
}
