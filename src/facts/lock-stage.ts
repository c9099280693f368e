/**
 * The identity stage of compile: read the lockfile, settle the namespace, match the facts.
 * Kept out of compile.ts so that file only wires stages together.
 */
import type { Diagnostics } from '../diagnostics.ts'
import { emptyLockfile, readLockfile, type Lockfile } from './lockfile.ts'
import type { DeckInfo } from './model.ts'
import { resolveIdentities, type Candidate } from './resolve.ts'

export interface IdentityOptions {
  lockPath: string
  /** The lockfile's name in messages (relative to the notes folder). */
  lockName: string
  deck: DeckInfo
  /** The deck file's text, to point at its `namespace` line. */
  deckText: string | undefined
  deckFile: string
  now: number
  /** Change the namespace on purpose: every fact gets a new GUID. */
  newNamespace?: boolean
}

export async function resolveLockfile(candidates: readonly Candidate[], options: IdentityOptions, diagnostics: Diagnostics) {
  const { deck, now } = options
  const read = await readLockfile(options.lockPath, options.lockName, diagnostics)
  const unusable = read.text !== undefined && !read.lock
  let previous: Lockfile = read.lock ?? emptyLockfile(deck.namespace, now)
  let rekey = false
  if (read.lock && read.lock.namespace !== deck.namespace) {
    if (!deck.explicitNamespace) {
      // The default namespace comes from the title: renaming the deck must not re-key it.
    } else if (options.newNamespace) {
      previous = { ...read.lock, namespace: deck.namespace }
      rekey = true
    } else {
      const line = options.deckText ? options.deckText.slice(0, Math.max(0, options.deckText.search(/^namespace\s*:/m))).split('\n').length : 1
      diagnostics.error(
        'namespace-changed',
        { file: options.deckFile, line, column: 1 },
        `Unexpected \`namespace: ${deck.namespace}\`, expected the lockfile's \`${read.lock.namespace}\`: a new namespace gives every fact a new GUID, so Anki would add the whole deck again beside the old notes. Put it back, or start a new deck on purpose with \`cheatdeck build --new-namespace\``,
      )
    }
  }
  const result = resolveIdentities(candidates, previous, now, { rekey })
  return { ...result, previousLockText: read.text, unusable }
}
