/**
 * Identity that survives editing: readable ids, GUIDs from a namespace and an id (never from the
 * clock or the wording), content hashes, and text similarity for matching reworded facts.
 */
import { createHash } from 'node:crypto'
import { slugWords } from './slug.ts'

const STOPWORDS = new Set(
  'a an and are as at be by can do does for from has have how if in into is it its not of on or that the their then there these this to use used uses using what when where which while who why will with you your'.split(' '),
)

/** `topic/key-words`: up to five significant words of the fact's key words. Never contains a pin's shape. */
export function deriveId(topicId: string, keyWords: string): string {
  const all = slugWords(keyWords)
  const significant = all.filter((w) => !STOPWORDS.has(w))
  // Key words that are all small words (a row named `on`) still name the fact.
  const words = significant.length ? significant : all
  let slug = ''
  for (const word of words.slice(0, 5)) {
    if (slug && slug.length + word.length + 1 > 48) break
    slug = slug ? `${slug}-${word}` : word
  }
  return `${topicId}/${slug || 'fact'}`
}

/** Anki's GUID alphabet (base91, as Anki and genanki write GUIDs). */
const BASE91 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~'

/** A 10-character base91 GUID from the first 64 bits of sha256(namespace NUL id). */
export function guidFor(namespace: string, id: string): string {
  const digest = createHash('sha256').update(`${namespace}\0${id}`).digest()
  let value = digest.readBigUInt64BE(0)
  let out = ''
  while (value > 0n) {
    out = BASE91[Number(value % 91n)] + out
    value /= 91n
  }
  return out.padStart(10, BASE91[0])
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Character trigrams of a text, case and punctuation folded, with their counts. */
export function trigrams(text: string): Map<string, number> {
  const folded = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `
  const counts = new Map<string, number>()
  for (let i = 0; i + 3 <= folded.length; i++) {
    const gram = folded.slice(i, i + 3)
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

/** Dice coefficient of two trigram counts: 0…1. */
export function dice(x: Map<string, number>, y: Map<string, number>): number {
  let shared = 0
  let total = 0
  for (const [gram, count] of x) {
    shared += Math.min(count, y.get(gram) ?? 0)
    total += count
  }
  for (const count of y.values()) total += count
  return total === 0 ? 1 : (2 * shared) / total
}

/** Dice coefficient of the character trigrams of two texts (case and punctuation folded): 0…1. */
export function similarity(a: string, b: string): number {
  return dice(trigrams(a), trigrams(b))
}
