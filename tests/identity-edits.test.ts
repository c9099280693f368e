/**
 * Issue 10's table, row by row: an edit people make, then the CLI (`main`, in-process), then
 * Anki's importer (./anki-import-model.ts) on the new package. Each asserts the GUIDs and what
 * Anki does: updated, added, nothing duplicated, nothing refused.
 */
import { execFileSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { SimulatedCollection, type ImportLog } from './anki-import-model.ts'
import { openApkg, type ApkgContents } from './anki-read.ts'
import { FIXTURES } from './helpers/fixture.ts'
import { reportLines } from './helpers/report.ts'

const T0 = 1_760_000_000
const DAY = 86_400

const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

interface Workspace {
  dir: string
  notes: string
  out: string
}

async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-edits-'))
  made.push(dir)
  const notes = path.join(dir, 'notes')
  await cp(path.join(FIXTURES, 'edits'), notes, { recursive: true })
  return { dir, notes, out: path.join(dir, 'dist') }
}

/** Runs the CLI with SOURCE_DATE_EPOCH set to `now` (the clock of that build). */
async function cli(args: string[], now: number | string | undefined): Promise<{ code: number; err: string }> {
  const saved = process.env['SOURCE_DATE_EPOCH']
  if (now === undefined) delete process.env['SOURCE_DATE_EPOCH']
  else process.env['SOURCE_DATE_EPOCH'] = String(now)
  const err: string[] = []
  try {
    const code = await main(args, { stdout: () => {}, stderr: (text) => void err.push(text) })
    return { code, err: reportLines(err.join('')) }
  } finally {
    if (saved === undefined) delete process.env['SOURCE_DATE_EPOCH']
    else process.env['SOURCE_DATE_EPOCH'] = saved
  }
}

interface DatasetFact {
  id: string
  guid: string
  text: string
  modified: number
  added: number
}

interface Built {
  apkg: ApkgContents
  facts: DatasetFact[]
  err: string
  /** The GUID of the fact whose text starts so. */
  guid: (start: string) => string
}

async function buildDeck(ws: Workspace, now: number, extra: string[] = []): Promise<Built> {
  const { code, err } = await cli(['build', '--only', 'anki,dataset', '--no-fit', '--notes', ws.notes, '--out', ws.out, ...extra], now)
  expect(code, err).toBe(0)
  const dataset = JSON.parse(await readFile(path.join(ws.out, 'facts.json'), 'utf8')) as { deck: { slug: string }; facts: DatasetFact[] }
  const apkg = await openApkg(new Uint8Array(await readFile(path.join(ws.out, `${dataset.deck.slug}.apkg`))))
  const guid = (start: string): string => {
    const found = dataset.facts.filter((f) => f.text.startsWith(start))
    expect(found, start).toHaveLength(1)
    return (found[0] as DatasetFact).guid
  }
  return { apkg, facts: dataset.facts, err, guid }
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8')
  if (!text.includes(from)) throw new Error(`${path.basename(file)} lacks ${JSON.stringify(from)}`)
  await writeFile(file, text.replace(from, to))
}

/** Nothing refused, nothing added twice: no note type copied, no conflict, every GUID once. */
function expectClean(log: ImportLog, anki: SimulatedCollection): void {
  expect(log.conflicting).toEqual([])
  expect(log.notetypesCopied).toBe(0)
  const texts = [...anki.notes.values()].map((n) => n.flds)
  expect(new Set(texts).size).toBe(texts.length)
}

// Several CLI builds per test: generous, since the suite shares two cores with everything else.
describe('identity that survives the edits people make (issue 10)', { timeout: 180_000 }, () => {
  it('a fact whose key words equal another\'s, inserted before it or the first of two deleted: no GUID moves', async () => {
    const ws = await workspace()
    const first = await buildDeck(ws, T0)
    const anki = new SimulatedCollection()
    anki.import(first.apkg)
    const versioning = first.guid('Versioning is')
    const logging = first.guid('Logging is')
    expect(first.facts.find((f) => f.guid === logging)?.id).toBe('storage/enabled-2')

    await edit(path.join(ws.notes, 'storage.md'), '- Versioning is', '- Encryption is ==enabled== by default.\n- Versioning is')
    const second = await buildDeck(ws, T0 + DAY)
    expect(second.guid('Versioning is')).toBe(versioning)
    expect(second.guid('Logging is')).toBe(logging)
    const encryption = second.guid('Encryption is')
    expect(second.facts.find((f) => f.guid === encryption)?.id).toBe('storage/enabled')
    expect(second.err).toContain('1 added, 0 changed, 0 removed')
    const log = anki.import(second.apkg)
    expect(log).toMatchObject({ new: [encryption], updated: [] })
    expectClean(log, anki)

    await edit(path.join(ws.notes, 'storage.md'), '- Encryption is ==enabled== by default.\n', '')
    await edit(path.join(ws.notes, 'storage.md'), '- Versioning is ==enabled== per bucket.\n', '')
    const third = await buildDeck(ws, T0 + 2 * DAY)
    expect(third.guid('Logging is')).toBe(logging)
    expect(third.facts.find((f) => f.guid === logging)?.id).toBe('storage/enabled')
    expect(third.err).toContain('0 added, 0 changed, 2 removed')
    const after = anki.import(third.apkg)
    expect(after).toMatchObject({ new: [], updated: [] })
    expectClean(after, anki)
  })

  it('two sections swapped whose tables have a row of the same name: each row keeps its GUID', async () => {
    const ws = await workspace()
    const first = await buildDeck(ws, T0)
    const anki = new SimulatedCollection()
    anki.import(first.apkg)
    const file = path.join(ws.notes, 'storage.md')
    const text = await readFile(file, 'utf8')
    const classes = text.slice(text.indexOf('## Classes'), text.indexOf('## Archives'))
    const archives = text.slice(text.indexOf('## Archives'))
    await writeFile(file, `${text.slice(0, text.indexOf('## Classes'))}${archives.trimEnd()}\n\n${classes.trimEnd()}\n`)
    const second = await buildDeck(ws, T0 + DAY)
    for (const row of ['Standard: Retrieval: milliseconds', 'Standard: Retrieval: minutes', 'Glacier', 'Deep']) {
      const before = first.facts.find((f) => f.text.includes(row.split(': ').pop() as string))
      const after = second.facts.find((f) => f.text === before?.text)
      expect(after?.guid, row).toBe(before?.guid)
    }
    expect(second.err).toContain('0 added, 0 changed, 0 removed')
    const log = anki.import(second.apkg)
    expect(log).toMatchObject({ new: [], updated: [], cardsAdded: 0 })
    expectClean(log, anki)
  })

  it('a notes file renamed, moved into a subfolder, a fact moved to another file: GUIDs kept, notes updated in place', async () => {
    const ws = await workspace()
    const first = await buildDeck(ws, T0)
    const anki = new SimulatedCollection()
    anki.import(first.apkg)
    anki.reviewAll()
    await mkdir(path.join(ws.notes, 'aws'))
    await rename(path.join(ws.notes, 'storage.md'), path.join(ws.notes, 'aws', 's3.md'))
    const second = await buildDeck(ws, T0 + DAY)
    expect(second.facts.map((f) => f.guid).sort()).toEqual(first.facts.map((f) => f.guid).sort())
    const storageGuids = first.facts.filter((f) => f.id.startsWith('storage/') || f.id === 'mfa-delete').map((f) => f.guid)
    expect(storageGuids.length).toBeGreaterThan(3)
    // Their topic id (in their tags) changed, so the notes are newer: Anki takes the new tags.
    const log = anki.import(second.apkg)
    expect(log.new).toEqual([])
    expect(log.updated.sort()).toEqual([...storageGuids].sort())
    expectClean(log, anki)

    await edit(path.join(ws.notes, 'compute.md'), '- An instance store is ==ephemeral==.\n', '')
    await edit(path.join(ws.notes, 'aws', 's3.md'), '## Buckets\n\n', '## Buckets\n\n- An instance store is ==ephemeral==.\n')
    const third = await buildDeck(ws, T0 + 2 * DAY)
    expect(third.guid('An instance store')).toBe(first.guid('An instance store'))
    expect(third.err).toContain('0 added, 1 changed, 0 removed')
    const moved = anki.import(third.apkg)
    expect(moved).toMatchObject({ new: [], updated: [first.guid('An instance store')], cardsAdded: 0 })
    expectClean(moved, anki)
    expect([...anki.cards.values()].every((card) => card.reps === 1)).toBe(true)
  })

  it('a card form changed with its pin kept: a new note, the old one reported removed and tagged', async () => {
    const ws = await workspace()
    const first = await buildDeck(ws, T0)
    const anki = new SimulatedCollection()
    anki.import(first.apkg)
    anki.reviewAll()
    const old = first.guid('What protects objects')
    await edit(path.join(ws.notes, 'storage.md'), '- What protects objects from deletion? :: MFA delete. ^mfa-delete', '- ==MFA delete== protects objects from deletion. ^mfa-delete')
    const second = await buildDeck(ws, T0 + DAY, ['--tag-removed'])
    const now = second.guid('MFA delete protects')
    expect(now).not.toBe(old)
    expect(second.err).toContain('1 added, 0 changed, 1 removed')
    expect(second.err).toContain('mfa-delete')
    const log = anki.import(second.apkg)
    expect(log).toMatchObject({ new: [now], updated: [old] })
    expectClean(log, anki)
    expect(anki.notes.get(old)?.tags).toBe(' EDT-01::removed ')
    expect(anki.notes.get(old)?.flds).toMatch(/^<div class="cd-removed">Removed from the notes on \d{4}-\d\d-\d\d: delete this note\.<\/div>/)
    // What --tag-removed cannot do: the card the user has keeps its scheduling and reviews.
    const oldCard = [...anki.cards.values()].find((card) => card.nid === anki.notes.get(old)?.id)
    expect(oldCard).toMatchObject({ reps: 1, queue: 0 })
    expect(second.err).toContain('--tag-removed: 1 removed fact shipped as notes tagged EDT-01::removed')
    expect(second.err).toContain('search "tag:EDT-01::removed"')
    // A collection that never had it: the default import resets the suspended card to new.
    const fresh = new SimulatedCollection()
    fresh.import(second.apkg)
    expect([...fresh.cards.values()].find((card) => card.nid === fresh.notes.get(old)?.id)?.queue).toBe(0)
    const withScheduling = new SimulatedCollection()
    withScheduling.import(second.apkg, { withScheduling: true })
    expect([...withScheduling.cards.values()].find((card) => card.nid === withScheduling.notes.get(old)?.id)?.queue).toBe(-1)
  })

  it('notes and cards are dated when their fact was first seen, never in the future', async () => {
    const ws = await workspace()
    const noteIds = (built: Built): Map<string, number> => new Map(built.apkg.db.exec('SELECT guid, id FROM notes')[0]!.values.map(([guid, id]) => [String(guid), Number(id)]))
    const cardSeconds = (built: Built): number[] => built.apkg.db.exec('SELECT id FROM cards')[0]!.values.map(([id]) => Math.floor(Number(id) / 1000))
    const first = await buildDeck(ws, T0)
    for (const id of noteIds(first).values()) expect(Math.floor(id / 1000), 'note id second').toBeGreaterThan(T0 - 5)
    for (const id of noteIds(first).values()) expect(id).toBeLessThan((T0 + 1) * 1000)
    for (const second of cardSeconds(first)) expect(second).toBeLessThanOrEqual(T0)
    expect(first.facts.every((f) => f.added === T0)).toBe(true)

    await edit(path.join(ws.notes, 'compute.md'), '- An instance store is ==ephemeral==.', '- An instance store is ==ephemeral== (lost on stop).\n- A spot instance can be ==interrupted==.')
    const later = await buildDeck(ws, T0 + 30 * DAY)
    const spot = later.guid('A spot instance')
    expect(Math.floor((noteIds(later).get(spot) as number) / 1000)).toBe(T0 + 30 * DAY)
    // The others keep their date (and so their ids), the edited one too.
    for (const [guid, id] of noteIds(first)) expect(noteIds(later).get(guid), guid).toBe(id)
    const anki = new SimulatedCollection()
    expect(() => anki.import(later.apkg, { nowMs: (T0 + 30 * DAY) * 1000 })).not.toThrow()

    // A teammate's clock ten days ahead wrote the lockfile: dates are brought back to this build's clock.
    const lockPath = path.join(ws.notes, 'cheatdeck.lock.json')
    const lock = JSON.parse(await readFile(lockPath, 'utf8'))
    for (const entry of Object.values(lock.facts) as { added: number; modified: number }[]) entry.added = entry.modified = T0 + 40 * DAY
    await writeFile(lockPath, JSON.stringify(lock, null, 2))
    const ahead = await buildDeck(ws, T0 + 31 * DAY)
    for (const id of noteIds(ahead).values()) expect(id).toBeLessThan((T0 + 31 * DAY + 1) * 1000)
    expect(() => new SimulatedCollection().import(ahead.apkg, { nowMs: (T0 + 31 * DAY) * 1000 })).not.toThrow()
    // SOURCE_DATE_EPOCH more than a day ahead of the real clock is refused (Anki would refuse the package).
    const future = await cli(['build', '--no-fit', '--notes', ws.notes, '--out', ws.out], Math.floor(Date.now() / 1000) + 3 * DAY)
    expect(future.code).toBe(2)
    expect(future.err).toMatch(/cheatdeck: unexpected SOURCE_DATE_EPOCH \d+, more than a day after now/)
  })

  it('a build with an earlier SOURCE_DATE_EPOCH dates its notes no later than it and leaves the first-seen times in the lockfile', async () => {
    const ws = await workspace()
    const lockPath = path.join(ws.notes, 'cheatdeck.lock.json')
    const noteIds = (built: Built): Map<string, number> => new Map(built.apkg.db.exec('SELECT guid, id FROM notes')[0]!.values.map(([guid, id]) => [String(guid), Number(id)]))
    const first = await buildDeck(ws, T0 + DAY)
    const lock = await readFile(lockPath, 'utf8')
    expect(Object.values(JSON.parse(lock).facts as Record<string, { added: number }>).every((e) => e.added === T0 + DAY)).toBe(true)

    // An older build time (a pinned SOURCE_DATE_EPOCH): ids no later than it, nothing to record.
    const earlier = await buildDeck(ws, T0)
    expect(earlier.err).toContain('0 added, 0 changed, 0 removed')
    for (const id of noteIds(earlier).values()) expect(id).toBeLessThan((T0 + 1) * 1000)
    expect(earlier.facts.every((f) => f.added === T0)).toBe(true)
    expect(() => new SimulatedCollection().import(earlier.apkg, { nowMs: T0 * 1000 })).not.toThrow()
    expect(await readFile(lockPath, 'utf8')).toBe(lock)
    expect((await cli(['check', '--locked', '--notes', ws.notes], T0)).code).toBe(0)

    // A later build dates them by the first-seen time again: the same ids as the first build.
    const later = await buildDeck(ws, T0 + 2 * DAY)
    expect(noteIds(later)).toEqual(noteIds(first))
    expect(later.facts.every((f) => f.added === T0 + DAY)).toBe(true)
    expect(await readFile(lockPath, 'utf8')).toBe(lock)
  })

  it('a typo fixed in the deck title (no namespace): no GUID changes', async () => {
    const ws = await workspace()
    const first = await buildDeck(ws, T0)
    const anki = new SimulatedCollection()
    anki.import(first.apkg)
    await edit(path.join(ws.notes, 'deck.yaml'), 'title: Edit Deck', 'title: Edited Deck')
    const second = await buildDeck(ws, T0 + DAY)
    expect(second.facts.map((f) => f.guid)).toEqual(first.facts.map((f) => f.guid))
    expect(second.err).toContain('0 added, 0 changed, 0 removed')
    const log = anki.import(second.apkg)
    expect(log).toMatchObject({ new: [], updated: [], cardsAdded: 0 })
    expectClean(log, anki)
    const lock = JSON.parse(await readFile(path.join(ws.notes, 'cheatdeck.lock.json'), 'utf8'))
    expect(lock.namespace).toBe('edit-deck')
  })

  it('a namespace changed in deck.yaml is refused unless asked for with --new-namespace', async () => {
    const ws = await workspace()
    await edit(path.join(ws.notes, 'deck.yaml'), 'exam: EDT-01', 'exam: EDT-01\nnamespace: edits-one')
    const first = await buildDeck(ws, T0)
    await edit(path.join(ws.notes, 'deck.yaml'), 'namespace: edits-one', 'namespace: edits-two')
    const lock = await readFile(path.join(ws.notes, 'cheatdeck.lock.json'))
    const refused = await cli(['build', '--no-fit', '--notes', ws.notes, '--out', ws.out], T0 + DAY)
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/deck\.yaml:3:1: error Unexpected `namespace: edits-two`, expected the lockfile's `edits-one`.*--new-namespace` \[namespace-changed\]/)
    expect(await readFile(path.join(ws.notes, 'cheatdeck.lock.json'))).toEqual(lock)
    const rekeyed = await buildDeck(ws, T0 + DAY, ['--new-namespace'])
    expect(rekeyed.facts.filter((f) => first.facts.some((g) => g.guid === f.guid))).toEqual([])
    expect(rekeyed.err).toContain(`${first.facts.length} added, 0 changed, ${first.facts.length} removed`)
  })

  it('mod strictly increases for a changed fact under a fixed SOURCE_DATE_EPOCH, a clock gone back, a teammate\'s clock ahead', async () => {
    const ws = await workspace()
    const file = path.join(ws.notes, 'compute.md')
    const anki = new SimulatedCollection()
    const first = await buildDeck(ws, T0)
    anki.import(first.apkg)
    const guid = first.guid('An instance store')
    const mod = (built: Built): number => Number(built.apkg.db.exec(`SELECT mod FROM notes WHERE guid = '${guid.replace(/'/g, "''")}'`)[0]?.values[0]?.[0])
    let previous = mod(first)
    // The same clock again, then a clock behind, then a teammate's lockfile from an hour ahead.
    for (const [now, text] of [[T0, 'short-lived'], [T0 - DAY, 'lost on stop'], [T0 + 3600, 'gone on stop'], [T0, 'temporary']] as const) {
      await edit(file, /==[^=]+==/.exec(await readFile(file, 'utf8'))?.[0] ?? '', `==${text}==`)
      const built = await buildDeck(ws, now)
      expect(built.guid('An instance store')).toBe(guid)
      expect(built.err).toContain('0 added, 1 changed, 0 removed')
      expect(mod(built)).toBe(Math.max(now, previous + 1))
      previous = mod(built)
      const log = anki.import(built.apkg)
      expect(log).toMatchObject({ updated: [guid], new: [] })
      expectClean(log, anki)
    }
  })

  it('git conflict markers in the lockfile (two branches added facts): both sides united, the build says so', async () => {
    const ws = await workspace()
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: ws.dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } })
    git('init', '-q', '-b', 'main')
    await writeFile(path.join(ws.dir, '.gitignore'), 'dist/\n')
    await buildDeck(ws, T0)
    git('add', '-A')
    git('commit', '-qm', 'base')
    git('checkout', '-qb', 'a')
    // Both branches add a fact whose id sorts last: git sees two insertions at one place.
    await edit(path.join(ws.notes, 'storage.md'), '## Buckets\n\n', '## Buckets\n\n- A bucket policy is a ==zone-free== policy.\n')
    const a = await buildDeck(ws, T0 + DAY)
    git('commit', '-qam', 'a')
    git('checkout', '-q', 'main')
    await edit(path.join(ws.notes, 'storage.md'), '| Deep | twelve hours |\n', '| Deep | twelve hours |\n\n## Spot\n\n- A spot instance can be ==zapped== any time.\n')
    const b = await buildDeck(ws, T0 + 2 * DAY)
    git('commit', '-qam', 'b')
    const anki = new SimulatedCollection()
    anki.import(b.apkg)
    expect(() => git('merge', '-q', 'a')).toThrow()
    const conflicted = await readFile(path.join(ws.notes, 'cheatdeck.lock.json'), 'utf8')
    expect(conflicted).toMatch(/^<<<<<<< HEAD$/m)

    const merged = await buildDeck(ws, T0 + 3 * DAY)
    expect(merged.err).toMatch(/cheatdeck\.lock\.json:\d+:1: warning Unexpected git conflict markers in the lockfile .*united both sides.* \[lockfile-merged\]/)
    expect(merged.guid('A bucket policy')).toBe(a.guid('A bucket policy'))
    expect(merged.guid('A spot instance')).toBe(b.guid('A spot instance'))
    expect(merged.err).toContain('0 added, 0 changed, 0 removed')
    const lock = await readFile(path.join(ws.notes, 'cheatdeck.lock.json'), 'utf8')
    expect(lock).not.toContain('<<<<<<<')
    const log = anki.import(merged.apkg)
    expect(log).toMatchObject({ new: [a.guid('A bucket policy')], updated: [] })
    expectClean(log, anki)
    // Committed, the next build changes nothing.
    const again = await buildDeck(ws, T0 + 4 * DAY)
    expect(again.err).not.toContain('lockfile-merged')
    expect(await readFile(path.join(ws.notes, 'cheatdeck.lock.json'), 'utf8')).toBe(lock)
  })

  it('two branches reword one fact and git merges the lockfile cleanly: the GUID used twice is repaired', async () => {
    const ws = await workspace()
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: ws.dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } })
    git('init', '-q', '-b', 'main')
    await writeFile(path.join(ws.dir, '.gitignore'), 'dist/\n')
    const base = await buildDeck(ws, T0)
    const guid = base.guid('A bucket name')
    git('add', '-A')
    git('commit', '-qm', 'base')
    git('checkout', '-qb', 'a')
    // New derived ids far apart in the sorted lockfile, so git merges it without a conflict.
    await edit(path.join(ws.notes, 'storage.md'), 'A bucket name is ==globally unique==.', 'A bucket name is ==DNS-compliant and unique==.')
    await buildDeck(ws, T0 + DAY)
    git('commit', '-qam', 'a')
    git('checkout', '-q', 'main')
    await edit(path.join(ws.notes, 'storage.md'), 'A bucket name is ==globally unique==.', 'A bucket name is ==unique in its partition==.')
    const b = await buildDeck(ws, T0 + 2 * DAY)
    git('commit', '-qam', 'b')
    const anki = new SimulatedCollection()
    anki.import(b.apkg)
    // The notes conflict (one line, two rewordings): the user keeps a's; the lockfile merged cleanly.
    expect(() => git('merge', '-q', 'a')).toThrow()
    expect(git('diff', '--name-only', '--diff-filter=U').trim()).toBe('notes/storage.md')
    git('checkout', '--theirs', 'notes/storage.md')
    const lockText = await readFile(path.join(ws.notes, 'cheatdeck.lock.json'), 'utf8')
    expect(lockText).not.toContain('<<<<<<<')
    expect(lockText.split(JSON.stringify(guid)).length - 1).toBe(2)

    expect((await cli(['check', '--notes', ws.notes], T0 + 3 * DAY)).code).toBe(0)
    const merged = await buildDeck(ws, T0 + 3 * DAY)
    expect(merged.err).toContain('[lockfile-merged]')
    expect(merged.guid('A bucket name')).toBe(guid)
    const lock = JSON.parse(await readFile(path.join(ws.notes, 'cheatdeck.lock.json'), 'utf8'))
    expect(Object.values(lock.facts).filter((e) => (e as { guid: string }).guid === guid)).toHaveLength(1)
    const log = anki.import(merged.apkg)
    expect(log).toMatchObject({ new: [], updated: [guid] })
    expectClean(log, anki)
    // And the build after that is a plain rebuild.
    expect((await cli(['build', '--no-fit', '--notes', ws.notes, '--out', ws.out], T0 + 4 * DAY)).code).toBe(0)
  })

  it('a lockfile that cannot be read (a folder in its place, an I/O error) stops the build and nothing is overwritten', async () => {
    for (const make of ['folder', 'eio'] as const) {
      const ws = await workspace()
      await buildDeck(ws, T0)
      const lock = path.join(ws.notes, 'cheatdeck.lock.json')
      await rm(lock)
      if (make === 'folder') await mkdir(lock)
      else await symlink('/proc/self/mem', lock) // reading it fails with EIO
      const apkg = await readFile(path.join(ws.out, 'edit-deck.apkg'))
      for (const command of ['build', 'check']) {
        const { code, err } = await cli([command, '--notes', ws.notes, ...(command === 'build' ? ['--no-fit', '--out', ws.out] : [])], T0 + DAY)
        expect(code, err).toBe(1)
        expect(err).toMatch(/cheatdeck\.lock\.json:1:1: error Unexpected .*\[(invalid-lockfile|[a-z-]+)\]/)
        expect(err).not.toMatch(/\n\s+at /)
      }
      expect(await readFile(path.join(ws.out, 'edit-deck.apkg'))).toEqual(apkg)
      if (make === 'folder') expect((await import('node:fs')).statSync(lock).isDirectory()).toBe(true)
    }
  })

  it('pins named like Object.prototype members work in check, build and --only dataset', async () => {
    const ws = await workspace()
    await edit(path.join(ws.notes, 'compute.md'), '- An instance store is ==ephemeral==.', '- An instance store is ==ephemeral==. ^constructor\n- A placement group is ==clustered==. ^toString\n- A launch template is ==versioned==. ^valueOf\n- A key pair is ==regional==. ^hasOwnProperty')
    expect((await cli(['check', '--notes', ws.notes], T0)).code).toBe(0)
    expect((await cli(['build', '--only', 'dataset', '--notes', ws.notes, '--out', ws.out], T0)).code).toBe(0)
    const lock = JSON.parse(await readFile(path.join(ws.notes, 'cheatdeck.lock.json'), 'utf8'))
    expect(Object.keys(lock.facts)).toEqual(expect.arrayContaining(['constructor', 'toString', 'valueOf', 'hasOwnProperty']))
    const built = await buildDeck(ws, T0 + DAY)
    expect(built.facts.filter((f) => ['constructor', 'toString', 'valueOf', 'hasOwnProperty'].includes(f.id)).map((f) => f.guid)).toEqual(
      ['constructor', 'toString', 'valueOf', 'hasOwnProperty'].map((id) => lock.facts[id].guid),
    )
    expect(built.err).toContain('0 added, 0 changed, 0 removed')
    const anki = new SimulatedCollection()
    expect(anki.import(built.apkg).new).toHaveLength(built.facts.length)
  })

  it('lockfile values out of range are positioned invalid-lockfile errors; SOURCE_DATE_EPOCH in milliseconds a usage error', async () => {
    const ws = await workspace()
    await buildDeck(ws, T0)
    const file = path.join(ws.notes, 'cheatdeck.lock.json')
    const good = await readFile(file, 'utf8')
    const cases: [string, (lock: any) => void, RegExp][] = [
      ['a float time', (l) => (Object.values(l.facts)[0] as any).modified = 1.5, /:\d+:19: error Unexpected `modified` `1.5` in entry .*expected unix seconds/],
      ['a negative time', (l) => (l.created = -1), /:4:14: error Unexpected `created` `-1`, expected unix seconds/],
      ['milliseconds', (l) => (Object.values(l.facts)[1] as any).added = T0 * 1000, /looks like milliseconds/],
      ['a missing GUID', (l) => delete (Object.values(l.facts)[2] as any).guid, /error Unexpected missing `guid` in entry/],
      ['a form that is no form', (l) => (Object.values(l.facts)[2] as any).form = 'basic', /error Unexpected `form` `"basic"`/],
      ['a list for facts', (l) => (l.facts = []), /error Unexpected `facts` a list, expected an object/],
    ]
    for (const [what, change, message] of cases) {
      const lock = JSON.parse(good)
      change(lock)
      const text = `${JSON.stringify(lock, null, 2)}\n`
      await writeFile(file, text)
      for (const command of ['build', 'check']) {
        const { code, err } = await cli([command, '--notes', ws.notes, ...(command === 'build' ? ['--no-fit', '--out', ws.out] : [])], T0 + DAY)
        expect(code, `${what}: ${err}`).toBe(1)
        expect(err, what).toMatch(message)
        expect(err, what).toContain('[invalid-lockfile]')
      }
      expect(await readFile(file, 'utf8')).toBe(text)
    }
    await writeFile(file, good)
    for (const epoch of ['1760000000000', '1.5', '-5', 'yesterday']) {
      const { code, err } = await cli(['build', '--no-fit', '--notes', ws.notes, '--out', ws.out], epoch)
      expect(code, epoch).toBe(2)
      expect(err).toContain(`cheatdeck: unexpected SOURCE_DATE_EPOCH "${epoch}"`)
      expect(err).not.toMatch(/\n\s+at /)
    }
    // A GUID used twice (a clean merge, or a hand edit) is repaired, not an error.
    const lock = JSON.parse(good)
    const [one, two] = Object.values(lock.facts) as { guid: string; modified: number }[]
    two!.guid = one!.guid
    two!.modified += 5
    await writeFile(file, JSON.stringify(lock, null, 2))
    const repaired = await buildDeck(ws, T0 + DAY)
    expect(repaired.err).toContain('[lockfile-merged]')
    expect(new Set(repaired.facts.map((f) => f.guid)).size).toBe(repaired.facts.length)
  })
})
