/**
 * Reading the notes folder: which files, and their text. Every problem here is positioned
 * (a file that cannot be read gets `file:1:1`), so bad input never becomes a crash.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import ignore, { type Ignore } from 'ignore'
import { Diagnostics, positions } from '../diagnostics.ts'

/** Files larger than this are refused: a notes file this size is a paste accident, not notes. */
export const MAX_FILE_BYTES = 1024 * 1024

export interface SourceFile {
  /** Relative to the notes folder, POSIX separators. */
  path: string
  /** Text with any BOM removed and CRLF turned into LF (lines and columns stay the same). */
  value: string
}

export interface NotesFolder {
  deck: SourceFile | undefined
  topics: SourceFile[]
}

export const DECK_FILES = ['deck.yaml', 'deck.yml']
export const LOCKFILE = 'cheatdeck.lock.json'

/**
 * What a notes folder leaves out before any `ignore:` of the deck file (gitignore syntax, which can
 * take one back with `!README.md`): a repository's or folder's front page, editor and tool folders,
 * and the `_draft.md` / `.hidden` convention.
 */
export const DEFAULT_IGNORE: readonly string[] = ['.*', '_*', 'node_modules/', 'README.md', 'index.md']

/** Lists and reads the notes folder: the deck file and every `.md` topic file, sorted by path. */
export async function readNotesFolder(root: string, diagnostics: Diagnostics, ignored: readonly string[] = []): Promise<NotesFolder> {
  const deck = await readDeckFile(root, diagnostics)
  const topics = await readTopicFiles(root, ignored, diagnostics)
  return { deck, topics }
}

/** The deck file (`deck.yaml`, else `deck.yml`), when there is one. */
export async function readDeckFile(root: string, diagnostics: Diagnostics): Promise<SourceFile | undefined> {
  const inside = insideOf(await realpath(root))
  for (const name of DECK_FILES) {
    const full = path.join(root, name)
    const found = await stat(full).catch(() => undefined)
    if (!found?.isFile()) continue
    if (await leaves(full, name, inside, diagnostics)) return undefined
    const value = await readSourceFile(full, name, diagnostics)
    return value === undefined ? undefined : { path: name, value }
  }
  return undefined
}

/** Every `.md` file of the folder and its subfolders that is not ignored, sorted by path. */
export async function readTopicFiles(root: string, ignored: readonly string[], diagnostics: Diagnostics): Promise<SourceFile[]> {
  // `ignore` implements gitignore's matching (anchoring, `**`, negation, folder-only patterns);
  // case-insensitive, so `readme.md` is a front page too.
  const filter = ignore({ ignorecase: true }).add([...DEFAULT_IGNORE, ...ignored])
  const inside = insideOf(await realpath(root))
  const paths = (await listMarkdown({ root, filter, inside, seenDirs: new Set(), diagnostics }, '')).sort()
  // Read side by side (a rebuild reads every file to see which changed); problems in path order.
  const own = paths.map(() => new Diagnostics())
  const values = await Promise.all(paths.map((relative, i) => readSourceFile(path.join(root, relative), relative, own[i] ?? diagnostics)))
  for (const found of own) diagnostics.list.push(...found.list)
  return paths.flatMap((relative, i) => (values[i] === undefined ? [] : [{ path: relative, value: values[i] }]))
}

/** Whether a real path is the notes folder or under it. */
function insideOf(realRoot: string): (real: string) => boolean {
  return (real) => real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)
}

/**
 * Refuses a link that leads out of the notes folder (`notes.md -> /etc/passwd`): a build must not
 * read, and its messages must not quote, files the notes do not hold.
 */
async function leaves(full: string, relative: string, inside: (real: string) => boolean, diagnostics: Diagnostics): Promise<boolean> {
  const real = await realpath(full).catch(() => undefined)
  if (real === undefined || inside(real)) return false
  diagnostics.error('path-outside-notes', { file: relative, line: 1, column: 1 }, 'Unexpected link to a file or folder outside the notes folder, expected notes inside it (copy them in)')
  return true
}

interface Listing {
  root: string
  filter: Ignore
  inside: (real: string) => boolean
  seenDirs: Set<string>
  diagnostics: Diagnostics
}

async function listMarkdown(listing: Listing, dir: string): Promise<string[]> {
  const { root, filter, inside, seenDirs, diagnostics } = listing
  const absolute = path.join(root, dir)
  const real = await realpath(absolute)
  if (seenDirs.has(real)) {
    diagnostics.error('symlink-loop', { file: dir || '.', line: 1, column: 1 }, `Unexpected link back to a folder already read (\`${path.relative(root, real) || '.'}\`), expected a folder of notes`)
    return []
  }
  seenDirs.add(real)
  const entries = await readdir(absolute, { withFileTypes: true })
  const found: string[] = []
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name
    // A folder is matched with its trailing `/`, as git does (`drafts/` ignores folders only).
    if (filter.ignores(entry.isDirectory() ? `${relative}/` : relative)) continue
    const full = path.join(root, relative)
    // The listing says what an entry is; only a link is followed to see what it points at.
    const info = entry.isSymbolicLink() ? await stat(full).catch((error: NodeJS.ErrnoException) => error) : entry
    if (info instanceof Error) {
      const reason = info.code === 'ELOOP' ? 'a link that loops back on itself' : 'a link to nothing'
      diagnostics.error(info.code === 'ELOOP' ? 'symlink-loop' : 'unreadable-file', { file: relative, line: 1, column: 1 }, `Unexpected ${reason}, expected a notes file or folder`)
      continue
    }
    // A link to a folder is matched as a folder too.
    if (info.isDirectory() && !entry.isDirectory() && filter.ignores(`${relative}/`)) continue
    const wanted = info.isDirectory() || (info.isFile() && entry.name.toLowerCase().endsWith('.md'))
    if (!wanted || (entry.isSymbolicLink() && (await leaves(full, relative, inside, diagnostics)))) continue
    if (info.isDirectory()) found.push(...(await listMarkdown(listing, relative)))
    else found.push(relative)
  }
  return found
}

/** Reads one file as UTF-8 text, or reports why it cannot be a notes file. */
export async function readSourceFile(full: string, relative: string, diagnostics: Diagnostics): Promise<string | undefined> {
  const start = { file: relative, line: 1, column: 1 }
  let bytes: Uint8Array
  try {
    const info = await stat(full)
    if (info.size > MAX_FILE_BYTES) {
      diagnostics.error('file-too-large', start, `Unexpected file of ${info.size} bytes, expected at most ${MAX_FILE_BYTES} bytes (split it into several notes files)`)
      return undefined
    }
    bytes = await readFile(full)
  } catch (error) {
    diagnostics.error('unreadable-file', start, `Unexpected unreadable file (${(error as NodeJS.ErrnoException).code ?? 'error'}), expected a readable notes file`)
    return undefined
  }
  return decodeSource(bytes, relative, diagnostics)
}

/** Decodes UTF-8 strictly; drops a BOM; normalises CRLF/CR line ends to LF. */
export function decodeSource(bytes: Uint8Array, relative: string, diagnostics: Diagnostics): string | undefined {
  let value: string
  try {
    value = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    const bad = firstInvalidUtf8(bytes)
    // Lines as the reader counts them once decoded: CR and CRLF end a line too.
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad)).replace(/\r\n?/g, '\n')
    const byte = bytes[bad] ?? 0
    diagnostics.error('not-utf8', positions(relative, before)(before.length), `Unexpected byte 0x${byte.toString(16).padStart(2, '0')} that is not UTF-8, expected a UTF-8 text file`)
    return undefined
  }
  return value.replace(/\r\n?/g, '\n')
}

/** Index of the first byte that breaks UTF-8 (the fatal decoder already said there is one). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] ?? 0
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (need < 0) return i
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
    }
    i += need + 1
  }
  return Math.max(0, bytes.length - 1)
}
