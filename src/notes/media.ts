/**
 * The images of the notes: each `![alt](path)` or `![[file.png]]` resolved as Obsidian resolves
 * it — relative to the note, then by file name anywhere in the notes folder (the shortest path
 * first) — read, and named after its content, so two `image.png` in different folders never
 * clash and a changed image gets a new name (Anki keeps a file it already has under a name).
 * Remote `http(s)` images are never fetched: a warning, and the outputs show their alt text.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Image, Nodes } from 'mdast'
import type { Diagnostics } from '../diagnostics.ts'
import type { MediaFile } from '../facts/model.ts'
import type { ParsedTopic } from './parse.ts'

/** An image larger than this is refused: a notes folder's figures, not its videos. */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
}

/** Every image file of the notes folder (relative POSIX paths), skipping hidden and `_` folders. */
async function listImages(root: string, dir = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])
  const found: string[] = []
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_') || entry.name === 'node_modules') continue
    const relative = dir ? `${dir}/${entry.name}` : entry.name
    if (entry.isDirectory()) found.push(...(await listImages(root, relative)))
    else if (MIME[path.extname(entry.name).toLowerCase()]) found.push(relative)
  }
  return found
}

function imagesOf(node: Nodes, found: Image[] = []): Image[] {
  if (node.type === 'image') found.push(node)
  if ('children' in node) for (const child of node.children) imagesOf(child as Nodes, found)
  return found
}

/**
 * Resolves the images of every fact, setting `data.media` (or `data.remote`) on each image node
 * and `media` on the fact; returns the files, once each, sorted by name.
 */
export async function resolveMedia(root: string, topics: readonly ParsedTopic[], diagnostics: Diagnostics): Promise<MediaFile[]> {
  const files = new Map<string, MediaFile>()
  let listing: Promise<string[]> | undefined
  const read = new Map<string, Promise<MediaFile | string>>()
  for (const topic of topics) {
    if (topic.holds?.images === false) continue
    for (const fact of topic.facts) {
      const nodes = fact.body.type === 'item' ? fact.body.blocks.flatMap((b) => imagesOf(b)) : [fact.body.row.labelTree, ...fact.body.row.cells.map((c) => c.tree)].flat().flatMap((n) => imagesOf(n))
      delete fact.media
      for (const image of nodes) {
        const data = (image.data ??= {})
        delete data.media
        delete data.remote
        const place = { file: topic.file, line: image.position?.start.line ?? fact.source.line, column: image.position?.start.column ?? fact.source.column }
        if (/^https?:/i.test(image.url)) {
          data.remote = true
          diagnostics.warn('remote-image', place, `Unexpected remote image \`${image.url}\`, expected a file in the notes folder (it is never fetched; its alt text is shown)`)
          continue
        }
        const target = localTarget(topic.file, image.url)
        if (target === undefined) continue // another scheme, or outside the notes folder: parse.ts said so
        listing ??= listImages(root)
        const source = findFile(target, await listing)
        if (source === undefined) {
          diagnostics.error('missing-media', place, `Unexpected image \`${decodeSafe(image.url)}\` that is not in the notes folder, expected a file relative to the note or a file name found in the notes folder`)
          continue
        }
        let loading = read.get(source)
        if (!loading) read.set(source, (loading = loadFile(root, source)))
        const file = await loading
        if (typeof file === 'string') {
          diagnostics.error('file-too-large', place, file)
          continue
        }
        files.set(file.name, file)
        data.media = file
        ;(fact.media ??= []).push({ name: file.name, source: file.source })
      }
    }
  }
  return [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function decodeSafe(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

/** The path an image URL names, relative to the notes folder's root; undefined for other schemes or paths leaving the folder. */
function localTarget(file: string, url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/') || url.startsWith('#')) return undefined
  const target = decodeSafe(url.split(/[?#]/)[0] ?? '')
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), target))
  return joined === '..' || joined.startsWith('../') ? undefined : joined
}

/** Relative to the note first; else by file name across the folder, the shortest path first. */
function findFile(target: string, listing: readonly string[]): string | undefined {
  if (listing.includes(target)) return target
  const name = path.posix.basename(target)
  const byName = listing.filter((p) => path.posix.basename(p) === name)
  const depth = (p: string) => p.split('/').length
  return byName.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0))[0]
}

async function loadFile(root: string, source: string): Promise<MediaFile | string> {
  const full = path.join(root, source)
  const info = await stat(full)
  if (info.size > MAX_MEDIA_BYTES) return `Unexpected image of ${info.size} bytes, expected at most ${MAX_MEDIA_BYTES} bytes (\`${source}\`)`
  const data = new Uint8Array(await readFile(full))
  const ext = path.posix.extname(source).toLowerCase()
  const stem = path.posix.basename(source, path.posix.extname(source)).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'image'
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 12)
  return { name: `${stem}-${hash}${ext}`, source, mime: MIME[ext] ?? 'application/octet-stream', data }
}
