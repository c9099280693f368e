/**
 * The Anki output: `<deck>.apkg`. It also stamps the note types: when the card templates change,
 * their `mod` must rise or Anki keeps its old copy, so the new stamp is returned as a lockfile
 * update for the build to record.
 */
import path from 'node:path'
import type { Output } from '../output.ts'
import { emitApkg } from './package.ts'
import { loadAnkiTemplates, stampModels } from './templates.ts'

/** The lockfile's record of the Anki templates (so a template change bumps the note types' `mod`). */
export const ANKI_ASSET = 'anki-templates'

export const ankiOutput: Output<'anki'> = {
  id: 'anki',
  description: '<deck>.apkg, the Anki deck',
  async emit({ notes, lock, removed, now, templates, options, timed }) {
    const loaded = await loadAnkiTemplates(path.join(templates, 'anki'))
    const previous = lock.assets[ANKI_ASSET]
    const stamp = stampModels(previous, loaded, now)
    const apkg = await timed('apkg', () =>
      emitApkg(notes, { templates: loaded, modelsModified: stamp.modified, createdAt: lock.created, removed: options.tagRemoved ? [...removed] : [] }),
    )
    const files = [{ name: `${notes.deck.slug}.apkg`, data: apkg }]
    if (stamp === previous) return { files }
    return { files, lockUpdate: { assets: { [ANKI_ASSET]: stamp }, reason: 'the Anki templates changed' } }
  },
}
