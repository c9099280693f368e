/**
 * What a fact's inline content may hold without a word: links to other notes (inside the notes
 * folder) and the inline HTML people write in notes. The walker (parse.ts) reports the rest.
 */
import path from 'node:path'

/** The inline HTML people write in notes, without attributes (`<details open>` aside), and comments. */
const SAFE_TAG = /^(?:<\/?(?:br|sub|sup|kbd|mark|u|summary)\s*\/?>|<details(?:\s+open)?\s*>|<\/details\s*>|<!--[\s\S]*?-->)$/i

/** Holds only safe tags: accepted without a word (outputs show HTML as text or sanitized, never run). */
export function safeHtml(value: string): boolean {
  const tags = value.match(/<!--[\s\S]*?-->|<\/?[A-Za-z][^>]*>/g)
  return tags !== null && tags.every((tag) => SAFE_TAG.test(tag))
}

export function escapesNotes(file: string, url: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#')) return /^file:/i.test(url)
  let target = url.split(/[?#]/)[0] ?? ''
  try {
    target = decodeURIComponent(target)
  } catch {
    // A malformed %-escape is kept as written.
  }
  // `/other note.md` is another note, from the notes folder's root (as Obsidian and wikis link).
  target = target.startsWith('/') ? path.posix.normalize(`.${target}`) : path.posix.normalize(path.posix.join(path.posix.dirname(file), target))
  return target === '..' || target.startsWith('../')
}
