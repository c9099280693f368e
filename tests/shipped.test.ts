/**
 * The shipped notes as a user meets them on a fresh clone: the committed lockfile matches, a
 * rebuild is byte-identical, and an edit + an addition re-import as 1 update and 1 addition.
 */
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build, compile } from '../src/index.ts'
import { SimulatedCollection } from './anki-import-model.ts'
import { openApkg } from './anki-read.ts'
import { copyFixture } from './helpers/fixture.ts'

const NOTES = path.resolve(import.meta.dirname, '..', 'notes')
const LATER = 2_000_000_000
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

async function shippedCopy() {
  // copyFixture copies from tests/fixtures; the shipped notes are one level up from there.
  return copyFixture(path.relative(path.resolve(import.meta.dirname, 'fixtures'), NOTES))
}

describe('the shipped notes', () => {
  it('match the committed lockfile (a build would not change it)', async () => {
    const result = await compile({ notes: NOTES, now: LATER })
    expect(result.ok).toBe(true)
    expect(result.previousLockText).toBeDefined()
    expect(result.changes).toEqual({ added: [], changed: [], removed: [], renamed: {} })
    expect(result.lockText).toBe(result.previousLockText)
  })

  it('rebuild to byte-identical facts.json and .apkg, later and elsewhere', async () => {
    const a = await shippedCopy()
    const b = await shippedCopy()
    await build({ notes: a.notes, out: a.out, only: ['dataset', 'anki'] })
    await build({ notes: b.notes, out: b.out, only: ['dataset', 'anki'], now: LATER })
    for (const file of ['facts.json', 'aws-devops-pro-dop-c02.apkg']) {
      expect(sha256(await readFile(path.join(b.out, file)))).toBe(sha256(await readFile(path.join(a.out, file))))
    }
  })

  it('reword one fact and add one: 1 changed + 1 added; Anki updates 1 note in place, adds 1, duplicates none, keeps reviews', async () => {
    const { notes, out } = await shippedCopy()
    const first = await build({ notes, out, only: ['anki'] })
    const apkg1 = await openApkg(await readFile(path.join(out, 'aws-devops-pro-dop-c02.apkg')))
    const collection = new SimulatedCollection()
    const log1 = collection.import(apkg1)
    expect(log1.new).toHaveLength(first.notes.facts.length)
    collection.reviewAll()

    const file = path.join(notes, 'cloudwatch.md')
    const text = await readFile(file, 'utf8')
    const target = first.notes.facts.find((f) => f.topic === 'cloudwatch' && f.form === 'cloze')
    if (!target) throw new Error('no CloudWatch cloze fact')
    const line = text.split('\n')[target.source.line - 1] ?? ''
    expect(line).toContain(`^${target.id}`)
    const edited = line.replace(`^${target.id}`, `(reworded) ^${target.id}`)
    await writeFile(file, text.replace(line, `${edited}\n- A metric alarm evaluates ==one metric== per alarm. ^cw-test-added-fact`))

    const second = await build({ notes, out, only: ['anki'], now: LATER })
    expect(second.changes).toMatchObject({ added: ['cw-test-added-fact'], changed: [target.id], removed: [] })
    expect(second.notes.facts.find((f) => f.id === target.id)?.guid).toBe(target.guid)
    // Imported when it was built (the added fact is dated LATER: Anki refuses ids after tomorrow).
    const log2 = collection.import(await openApkg(await readFile(path.join(out, 'aws-devops-pro-dop-c02.apkg'))), { nowMs: LATER * 1000 })
    expect(log2.updated).toEqual([target.guid])
    expect(log2.new).toHaveLength(1)
    expect(log2.conflicting).toEqual([])
    expect(log2.notetypesAdded + log2.notetypesCopied).toBe(0)
    expect(collection.notes.size).toBe(first.notes.facts.length + 1)
    const reviewed = [...collection.cards.values()].filter((c) => c.reps > 0)
    expect(reviewed.length).toBe(log1.cardsAdded)
  })
})
