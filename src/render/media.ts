/**
 * Images and Obsidian links in each output's idiom. An image of the notes folder (`data.media`,
 * resolved by the build) is Anki's media file by its name, or on the sheet the file itself as a
 * `data:` URI scaled to the column (the page stays self-contained); a remote image is never
 * fetched and shows its alt text. A `[[link]]` is its text; on the sheet, a link to its topic.
 */
import type { Element, ElementContent, Nodes as HastNodes, Properties } from 'hast'
import type { Image, WikiLink } from 'mdast'
import type { Handler, Handlers } from 'mdast-util-to-hast'

function altText(node: Image): ElementContent {
  return { type: 'element', tagName: 'span', properties: { className: ['image-alt'] }, children: [{ type: 'text', value: node.alt ?? '' }] }
}

function img(node: Image, src: string, extra: Properties = {}): Element {
  const properties: Properties = { src, alt: node.alt ?? '', ...extra }
  if (node.data?.width) properties['width'] = node.data.width
  return { type: 'element', tagName: 'img', properties, children: [] }
}

/** Anki: the media file by the name it has in the package. */
const ankiImage: Handler = (state, node: Image) => {
  if (node.data?.remote) return altText(node)
  if (node.data?.media) return img(node, node.data.media.name)
  return state.applyData(node, img(node, node.url))
}

/** The sheet: the file as a `data:` URI, never wider than its column. */
const sheetImage: Handler = (state, node: Image) => {
  if (node.data?.remote) return altText(node)
  const media = node.data?.media
  if (!media) return state.applyData(node, img(node, node.url))
  return img(node, `data:${media.mime};base64,${Buffer.from(media.data).toString('base64')}`)
}

/** The sheet, after sanitizing: an embedded image is never wider than its column. */
export function imageStyles(tree: HastNodes): void {
  if (tree.type === 'element' && tree.tagName === 'img' && typeof tree.properties['src'] === 'string' && tree.properties['src'].startsWith('data:')) tree.properties['style'] = 'max-width:100%;height:auto'
  if ('children' in tree) for (const child of tree.children) imageStyles(child)
}

const sheetWikiLink: Handler = (state, node: WikiLink) => {
  const children = state.all(node)
  const topic = node.data?.topic
  if (!topic) return { type: 'element', tagName: 'span', properties: { className: ['wikilink'] }, children }
  return { type: 'element', tagName: 'a', properties: { href: `#topic-${topic}`, className: ['wikilink'] }, children }
}

export const ankiMediaHandlers: Handlers = { image: ankiImage }
export const sheetMediaHandlers: Handlers = { image: sheetImage, wikiLink: sheetWikiLink }
/** The dataset's display HTML: a remote image's alt text, a local one by its media name. */
export const datasetMediaHandlers: Handlers = { image: ankiImage }
