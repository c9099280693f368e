/**
 * Readable, stable slugs for ids, file names and tags in any script: NFKC (so `ﬁ` and full-width
 * letters read as their plain forms), lowercased, letters (with their combining marks: Thai and
 * Devanagari vowel signs are marks) and digits kept, anything else one `-`.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

/** Longest word of a script written without spaces (Thai, Japanese) that an id takes. */
export const MAX_WORD_CHARS = 16

/**
 * A slug's words. A run of a script written without spaces is one long "word": it is cut at
 * `MAX_WORD_CHARS` characters (with the marks that belong to the last one). Not at dictionary word
 * breaks: those come from the ICU data of the Node that runs, and ids must not change with it.
 */
export function slugWords(text: string): string[] {
  return slugify(text)
    .split('-')
    .filter(Boolean)
    .map((word) => {
      const chars = [...word]
      if (chars.length <= MAX_WORD_CHARS) return word
      let end = MAX_WORD_CHARS
      while (end < chars.length && /\p{M}/u.test(chars[end] ?? '')) end++
      return chars.slice(0, end).join('')
    })
}
