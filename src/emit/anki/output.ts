/**
 * The Anki output: `<deck>.apkg`. It also stamps the note types: when the card templates change,
 * their `mod` must rise or Anki keeps its old copy, so the new stamp is returned as a lockfile
 * update for the build to record.
 */
import path from 'node:path'
import type { Nodes } from 'mdast'
import { tagRoot, type Fact } from '../../facts/model.ts'
import { highlightLanguage } from '../../render/highlight.ts'
import type { Output } from '../output.ts'
import { cachedApkg } from './cached.ts'
import { emitApkg } from './package.ts'
import { loadAnkiTemplates, stampModels, usedTemplates, type OptionalPart } from './templates.ts'

/** The lockfile's record of the Anki templates (so a template change bumps the note types' `mod`). */
export const ANKI_ASSET = 'anki-templates'

export const ankiOutput: Output<'anki'> = {
  id: 'anki',
  description: '<deck>.apkg, the Anki deck',
  async emit({ notes, lock, removed, now, templates, options, timed, cache }) {
    const used: OptionalPart[] = []
    if (notes.facts.some((fact) => fact.form === 'reversed') || (options.tagRemoved && removed.some((fact) => fact.form === 'reversed'))) used.push('reversed')
    if (notes.facts.some(hasHighlightedCode)) used.push('code')
    const loaded = usedTemplates(await loadAnkiTemplates(path.join(templates, 'anki')), used)
    const previous = lock.assets[ANKI_ASSET]
    const stamp = stampModels(previous, loaded, now)
    const tagRemoved = options.tagRemoved === true
    const shipped = tagRemoved ? [...removed] : []
    const apkgOptions = { templates: loaded, modelsModified: stamp.modified, createdAt: lock.created, removed: shipped }
    const apkg = await timed('apkg', async () => {
      if (!cache) return emitApkg(notes, apkgOptions)
      // The package is a function of these alone: kept by them, it is never made twice (no SQLite,
      // no zip); else only the topics whose facts changed are made again (./cached.ts).
      const cached = cachedApkg(cache, notes, shipped, [loaded.hash, String(stamp.modified), String(lock.created)])
      const kept = await cache.get<Uint8Array>(cached.key)
      if (kept instanceof Uint8Array) return kept
      const made = await emitApkg(notes, apkgOptions, cached.records)
      cached.done()
      await cache.set(cached.key, made)
      return made
    })
    const files = [{ name: `${notes.deck.slug}.apkg`, data: apkg }]
    const notice = options.tagRemoved ? removedNotice(removed, tagRoot(notes.deck)) : undefined
    const notices = notice ? { notices: [notice] } : {}
    if (stamp === previous) return { files, ...notices }
    return { files, ...notices, lockUpdate: { assets: { [ANKI_ASSET]: stamp }, reason: 'the Anki templates changed' } }
  },
}

/** Whether a fact has fenced code the cards highlight (its package then needs `code.css`). */
function hasHighlightedCode(fact: Fact): boolean {
  const visit = (node: Nodes): boolean => (node.type === 'code' && highlightLanguage(node) !== undefined) || ('children' in node && node.children.some((child) => visit(child as Nodes)))
  return fact.body.type === 'item' && fact.body.blocks.some(visit)
}

/** What `--tag-removed` did, and how to finish the job in Anki (which never deletes on import). */
function removedNotice(removed: readonly { form?: string }[], root: string): string | undefined {
  const count = removed.filter((fact) => fact.form !== 'none').length
  if (count === 0) return undefined
  const tag = `${root}::removed`
  return `--tag-removed: ${count} removed fact${count === 1 ? '' : 's'} shipped as notes tagged ${tag} (a newer version of the same note: Anki updates its text and tags, never its cards); after importing, delete them: Browse, search "tag:${tag}", select all, Notes → Delete`
}
