import { cp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/index.ts'
import { DEFAULT_TEMPLATES } from '../src/build.ts'
import { copyFixture } from './helpers/fixture.ts'

describe('a change to the Anki templates', () => {
  it('gives the note types a newer mod, recorded in the lockfile; unchanged templates leave it alone', async () => {
    const { dir, notes, out } = await copyFixture('identity')
    const templates = path.join(dir, 'templates')
    await cp(DEFAULT_TEMPLATES, templates, { recursive: true })
    const lockPath = path.join(notes, 'cheatdeck.lock.json')
    await build({ notes, out, templates, only: ['anki'], now: 1000 })
    const first = JSON.parse(await readFile(lockPath, 'utf8'))
    expect(first.assets['anki-templates']).toMatchObject({ modified: 1000 })

    const again = await build({ notes, out, templates, only: ['anki'], now: 2000 })
    expect(again.files.map((f) => path.basename(f.path))).toEqual(['test-deck.apkg'])

    const css = path.join(templates, 'anki', 'style.css')
    await writeFile(css, `${await readFile(css, 'utf8')}\n.card { letter-spacing: 0.01em; }\n`)
    const changed = await build({ notes, out, templates, only: ['anki'], now: 3000 })
    expect(changed.files.map((f) => path.basename(f.path))).toEqual(['test-deck.apkg', 'cheatdeck.lock.json'])
    const second = JSON.parse(await readFile(lockPath, 'utf8'))
    expect(second.assets['anki-templates'].modified).toBe(3000)
    expect(second.assets['anki-templates'].hash).not.toBe(first.assets['anki-templates'].hash)
    expect(second.facts).toEqual(first.facts)
  })
})
