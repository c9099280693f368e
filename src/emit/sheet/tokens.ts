/**
 * Long unbroken tokens (ARNs, hashes, URLs) on the sheet. A table column is never narrower than
 * its longest word, so one 120-character ARN would push a table out of its column; breaking
 * every word anywhere instead would let the other columns shrink to a letter. So only tokens too
 * long for any column are wrapped in `<span class="long-token">`, which may break anywhere.
 */

/** Characters without a space, counted as the text shows them (an entity is one). */
export const LONG_TOKEN_CHARS = 30
/**
 * Shorter tokens with inner punctuation (`registry.index_name`, `a/b/c`) get a break opportunity
 * (`<wbr>`) after it: a table column of dotted names can then be as narrow as their parts.
 */
export const PUNCTUATED_TOKEN_CHARS = 12
const INNER_PUNCTUATION = /([./:_=,]+)(?=[^\s])/g

/** A tag, with quoted attribute values that may hold `>`. */
const TAG = /<(?:[^>"']|"[^"]*"|'[^']*')*>/g
/** A run of non-space characters, an entity counting as one. */
const TOKEN = /(?:&[#a-zA-Z0-9]+;|[^\s<&])+/g

/** Wraps each long token of the HTML's text (never inside a tag) in a breakable span. */
export function markLongTokens(html: string): string {
  let out = ''
  let last = 0
  for (const tag of html.matchAll(TAG)) {
    out += markText(html.slice(last, tag.index)) + tag[0]
    last = tag.index + tag[0].length
  }
  return out + markText(html.slice(last))
}

function markText(text: string): string {
  if (text.length < PUNCTUATED_TOKEN_CHARS) return text
  return text.replace(TOKEN, (token) => {
    const length = token.replace(/&[#a-zA-Z0-9]+;/g, '&').length
    if (length >= LONG_TOKEN_CHARS) return `<span class="long-token">${token}</span>`
    if (length >= PUNCTUATED_TOKEN_CHARS) return token.replace(INNER_PUNCTUATION, '$1<wbr>')
    return token
  })
}
