/**
 * The sheet from the persistent build cache: its templates precompiled, each topic's box kept by
 * a digest of what it prints. A warm build writes the same sheet as a cold one; after a one-file
 * edit only that topic's box is rendered again; an edited template is never served from the
 * cache; templates whose box reads outside its topic get no boxes kept.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Handlebars from 'handlebars'
import { afterEach, describe, expect, it } from 'vitest'
import { findChromium } from '../src/emit/sheet/browser.ts'
import { loadSheetTemplates, renderSheet, sheetView } from '../src/emit/sheet/index.ts'
import { build } from '../src/index.ts'
import { writeHugeTopic } from './fixtures/sheet/huge.ts'
import { syntheticNotes } from './fixtures/sheet/notes.ts'

const REQUIRED = process.env['CHEATDECK_REQUIRE_BROWSER'] === '1'
const chromium = findChromium()
if (!chromium && REQUIRED) throw new Error('CHEATDECK_REQUIRE_BROWSER=1 but no Chromium found')

const ROOT = path.resolve(import.meta.dirname, '..')
const NOW = 1_796_169_600
const SHEET = 'aws-devops-pro-dop-c02.sheet.html'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A temp folder with a copy of the shipped notes and of the templates. */
async function workspace(): Promise<{ dir: string; notes: string; templates: string; cache: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-sheet-cache-'))
  dirs.push(dir)
  const notes = path.join(dir, 'notes')
  const templates = path.join(dir, 'templates')
  await cp(path.join(ROOT, 'notes'), notes, { recursive: true })
  await cp(path.join(ROOT, 'templates'), templates, { recursive: true })
  return { dir, notes, templates, cache: path.join(dir, 'cache') }
}

/** Builds the sheet alone (no browser) and returns its text. */
async function sheet(notes: string, templates: string, out: string, cacheDir?: string): Promise<string> {
  const result = await build({ notes, templates, out, only: ['sheet'], fit: false, now: NOW, ...(cacheDir ? { cacheDir } : {}) })
  expect(result.ok).toBe(true)
  return readFile(path.join(out, SHEET), 'utf8')
}

const kept = async (cache: string, kind: string): Promise<number> => (await readdir(path.join(cache, kind)).catch(() => [])).length

describe('the sheet from the cache', () => {
  it('prints the same bytes from precompiled templates as Handlebars compiling their text', async () => {
    const templates = await loadSheetTemplates(path.join(ROOT, 'templates', 'sheet'))
    const notes = syntheticNotes({ topics: 12, factsPerTopic: 6 })
    const options = { templates, paper: 'a4' as const, buildDate: '2025-03-04' }
    const hbs = Handlebars.create()
    for (const [name, text] of Object.entries(templates.partials)) hbs.registerPartial(name, text)
    const compiled = hbs.compile(templates.layout, { strict: true, noEscape: false, preventIndent: true })
    expect(renderSheet(notes, options)).toBe(compiled(sheetView(notes, options)))
  })

  it('renders again only the box of the topic whose file changed, and writes what a cold build writes', async () => {
    const { dir, notes, templates, cache } = await workspace()
    const cold = await sheet(notes, templates, path.join(dir, 'cold'))
    expect(await sheet(notes, templates, path.join(dir, 'first'), cache)).toBe(cold)
    expect(await kept(cache, 'sheet-topic')).toBe(38)
    expect(await kept(cache, 'sheet-templates')).toBe(1)
    expect(await sheet(notes, templates, path.join(dir, 'warm'), cache)).toBe(cold)
    expect(await kept(cache, 'sheet-topic')).toBe(38)

    const file = path.join(notes, 'cloudformation.md')
    await writeFile(file, `${await readFile(file, 'utf8')}\n- A stack can be **terminated** with termination protection off. ^sheet-cache-edit\n`)
    const edited = await sheet(notes, templates, path.join(dir, 'edited'), cache)
    expect(edited).toContain('data-fact="sheet-cache-edit"')
    expect(await kept(cache, 'sheet-topic')).toBe(39) // one box rendered again, 37 taken back
    expect(edited).toBe(await sheet(notes, templates, path.join(dir, 'edited-cold')))
  })

  it('never serves an edited template from the cache', async () => {
    const { dir, notes, templates, cache } = await workspace()
    await sheet(notes, templates, path.join(dir, 'first'), cache)
    const topic = path.join(templates, 'sheet', 'topic.hbs')
    await writeFile(topic, (await readFile(topic, 'utf8')).replace('<section class="topic', '<section data-edited="yes" class="topic'))
    const edited = await sheet(notes, templates, path.join(dir, 'edited'), cache)
    expect(edited.match(/<section data-edited="yes" class="topic/g)).toHaveLength(38)
    expect(await kept(cache, 'sheet-templates')).toBe(2)
    expect(await kept(cache, 'sheet-topic')).toBe(76)
    expect(edited).toBe(await sheet(notes, templates, path.join(dir, 'edited-cold')))
  })

  it('still gives a layout of one\'s own that prints the topics itself their sections', async () => {
    const { dir, notes, templates, cache } = await workspace()
    await sheet(notes, templates, path.join(dir, 'first'), cache)
    const layout = path.join(templates, 'sheet', 'layout.hbs')
    await writeFile(layout, (await readFile(layout, 'utf8')).replace('{{> topic}}', '<h2 class="own">{{name}}</h2>{{#each sections}}<p class="own">{{heading}}</p>{{/each}}'))
    const own = await sheet(notes, templates, path.join(dir, 'own'), cache)
    expect(own.match(/<h2 class="own">/g)).toHaveLength(38)
    expect(own).toContain('<p class="own">Stack policies</p>')
    expect(own).toBe(await sheet(notes, templates, path.join(dir, 'own-cold')))
  })

  it('keeps no boxes when a template of the box reads outside its topic', async () => {
    const { dir, notes, templates, cache } = await workspace()
    const fact = path.join(templates, 'sheet', 'fact.hbs')
    await writeFile(fact, (await readFile(fact, 'utf8')).replace('{{{html}}}', '{{{html}}} ({{@root.deck.exam}})'))
    const first = await sheet(notes, templates, path.join(dir, 'first'), cache)
    expect(first.match(/ \(DOP-C02\)<\/span>/g)!.length).toBeGreaterThan(100)
    expect(await kept(cache, 'sheet-topic')).toBe(0)
    expect(await kept(cache, 'sheet-templates')).toBe(1)
    expect(await sheet(notes, templates, path.join(dir, 'again'), cache)).toBe(first)
  })
})

describe.skipIf(!chromium)('the fitted sheet from the cache', { timeout: 300_000 }, () => {
  it('bakes a topic cut over columns into the same bytes, warm or cold', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-sheet-cache-'))
    dirs.push(dir)
    const notes = path.join(dir, 'notes')
    writeHugeTopic(notes, { sections: 3, bullets: 30 })
    await writeFile(path.join(notes, 'small.md'), '# Small topic\n\n- A {{c1::short}} fact of its own.\n')
    const run = async (out: string, cacheDir?: string) => {
      const result = await build({ notes, out: path.join(dir, out), only: ['sheet'], now: NOW, ...(cacheDir ? { cacheDir } : {}) })
      expect(result.ok).toBe(true)
      return readFile(path.join(dir, out, 'huge.sheet.html'), 'utf8')
    }
    const cache = path.join(dir, 'cache')
    const cold = await run('cold')
    expect(cold).toContain('Big topic (continued)')
    expect(await run('first', cache)).toBe(cold)
    expect(await kept(cache, 'sheet-topic')).toBe(2)
    expect(await run('warm', cache)).toBe(cold)
  })
})
