/**
 * The `.apkg` stage on its own, against a genanki-like reference on the same rows. For each size
 * the synthetic notes are generated and compiled once; then each measurement runs in a fresh
 * process, as in a build (WebAssembly compiled cold, nothing kept):
 *
 * - `records`: each fact's note made (fields rendered to HTML, sort field, checksum, id hashes);
 * - `assemble`: ids claimed and new-queue positions given deck-wide;
 * - `sqlite`: the rows inserted (`writeCollection`: Node's own SQLite where it is sql.js's SQLite,
 *   else sql.js, loaded and compiled here), the database's bytes out;
 * - `zip`: the package zipped (deflate level 1, as shipped; a stored zip timed beside it);
 * - `reference`: Python's own sqlite3 (native SQLite) and zipfile, in a fresh `python3`: a file
 *   database, the same schema, `executemany` of the same rows, commit, a stored zip — what genanki
 *   does, minus building its note objects. Skipped without `python3`.
 *
 * "Rows → .apkg" (sqlite + zip) is what compares with the reference: both start from the rows.
 *
 *   npx tsx bench/apkg.ts [--sizes 10000,50000] [--repeat 3]
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import { zipSync } from 'fflate'
import type { Notes } from '../src/facts/model.ts'
import { generateNotes } from './generate.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SELF = fileURLToPath(import.meta.url)
const RESULT = 'APKG_RESULT '
const NOW = 1_767_225_600

export interface ApkgStage {
  facts: number
  notes: number
  cards: number
  /** The fastest fresh process of each step, by CPU (user + system) and by wall time, ms. */
  cpuMs: Record<Step, number>
  wallMs: Record<Step, number>
  collectionBytes: number
  apkgBytes: number
  storedZipMs: number
  /** What wrote the database: Node's own SQLite (Node 24, same SQLite as sql.js) or sql.js. */
  engine: string
  /** The genanki-like reference on the same rows (fastest of the runs), or why there is none. */
  reference: { cpuMs: number; wallMs: number } | { skipped: string }
}

type Step = 'records' | 'assemble' | 'sqlite' | 'zip'
const STEPS: readonly Step[] = ['records', 'assemble', 'sqlite', 'zip']

interface ChildResult {
  cpuMs: Record<Step, number>
  wallMs: Record<Step, number>
  notes: number
  cards: number
  collectionBytes: number
  apkgBytes: number
  storedZipMs: number
  engine: string
}

/** One measurement in this (fresh) process: the compiled notes from `input`, the rows written to `rows` for the reference. */
async function child(input: string, rowsFile: string): Promise<ChildResult> {
  const { notes, templates, createdAt } = deserialize(await readFile(input)) as { notes: Notes; templates: import('../src/emit/anki/templates.ts').AnkiTemplates; createdAt: number }
  const { groupFacts, topicRecords, assembleRows } = await import('../src/emit/anki/rows.ts')
  const { nodeSqlite, writeCollection } = await import('../src/emit/anki/collection.ts')
  const { zipPackage, collectionValues } = await import('../src/emit/anki/package.ts')
  const cpuMs = {} as Record<Step, number>
  const wallMs = {} as Record<Step, number>
  const step = async <T>(name: Step, run: () => Promise<T> | T): Promise<T> => {
    const cpu = process.cpuUsage()
    const start = performance.now()
    const value = await run()
    wallMs[name] = performance.now() - start
    const used = process.cpuUsage(cpu)
    cpuMs[name] = (used.user + used.system) / 1000
    return value
  }
  const groups = groupFacts(notes)
  const records = await step('records', () => groups.map((group) => topicRecords(notes.deck, group)))
  const rows = await step('assemble', () => assembleRows(groups, records, []))
  const col = collectionValues(notes, rows, { templates, modelsModified: NOW, createdAt })
  const collection = await step('sqlite', () => writeCollection(col, rows.notes, rows.cards))
  const apkg = await step('zip', () => zipPackage(collection, []))
  const start = performance.now()
  zipSync({ 'collection.anki2': [collection, { level: 0 }] })
  const storedZipMs = performance.now() - start
  await writeFile(rowsFile, JSON.stringify({ col, notes: rows.notes, cards: rows.cards }))
  return { cpuMs, wallMs, notes: rows.notes.length, cards: rows.cards.length, collectionBytes: collection.byteLength, apkgBytes: apkg.byteLength, storedZipMs, engine: nodeSqlite() ? 'node:sqlite' : 'sql.js' }
}

/** genanki's way, with Python's standard library: argv: schema file, rows file. Prints wall and CPU ms. */
const REFERENCE_PY = `
import json, os, sqlite3, sys, tempfile, time, zipfile, io
schema = open(sys.argv[1]).read()
rows = json.load(open(sys.argv[2]))
wall, cpu = time.perf_counter(), time.process_time()
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, 'collection.anki2')
    db = sqlite3.connect(path)
    db.executescript(schema)
    db.execute("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')", rows['col'])
    db.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')", rows['notes'])
    db.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, 0, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')", rows['cards'])
    db.commit()
    db.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as package:
        package.write(path, 'collection.anki2')
        package.writestr('media', '{}')
print(json.dumps({'wallMs': (time.perf_counter() - wall) * 1000, 'cpuMs': (time.process_time() - cpu) * 1000}))
`

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    proc.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
    proc.on('error', reject)
    proc.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`))))
  })
}

const fastest = (runs: readonly Record<Step, number>[], key: Step): number => Math.min(...runs.map((r) => r[key]))

/** The `.apkg` stage at each size: `repeat` fresh processes each, the fastest counts. */
export async function measureApkgStage(sizes: readonly number[], repeat = 3, log: (line: string) => void = () => {}): Promise<ApkgStage[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'cheatdeck-bench-apkg-'))
  const results: ApkgStage[] = []
  try {
    const { compile } = await import('../src/compile.ts')
    const { loadAnkiTemplates, usedTemplates } = await import('../src/emit/anki/templates.ts')
    const { SCHEMA_SQL } = await import('../src/emit/anki/schema.ts')
    const schemaFile = path.join(work, 'schema.sql')
    await writeFile(schemaFile, SCHEMA_SQL)
    for (const facts of sizes) {
      const generated = await generateNotes(path.join(work, `notes-${facts}`), facts)
      const compiled = await compile({ notes: generated.dir, now: NOW })
      const input = path.join(work, `compiled-${facts}.bin`)
      const templates = usedTemplates(await loadAnkiTemplates(), ['code'])
      await writeFile(input, serialize({ notes: compiled.notes, templates, createdAt: compiled.lock.created }))
      const rowsFile = path.join(work, `rows-${facts}.json`)
      const runs: ChildResult[] = []
      for (let i = 0; i < repeat; i++) {
        const out = await run(process.execPath, ['--import', 'tsx', SELF, '--child', input, rowsFile])
        const line = out.split('\n').find((l) => l.startsWith(RESULT))
        if (!line) throw new Error(`bench/apkg.ts child printed no result`)
        runs.push(JSON.parse(line.slice(RESULT.length)) as ChildResult)
      }
      const references: { cpuMs: number; wallMs: number }[] = []
      let skipped: string | undefined
      for (let i = 0; i < repeat && skipped === undefined; i++) {
        try {
          references.push(JSON.parse(await run('python3', ['-c', REFERENCE_PY, schemaFile, rowsFile])) as { cpuMs: number; wallMs: number })
        } catch (error) {
          skipped = `no reference: ${(error as Error).message}`
        }
      }
      const [first] = runs
      if (!first) continue
      const result: ApkgStage = {
        facts,
        notes: first.notes,
        cards: first.cards,
        cpuMs: Object.fromEntries(STEPS.map((s) => [s, fastest(runs.map((r) => r.cpuMs), s)])) as Record<Step, number>,
        wallMs: Object.fromEntries(STEPS.map((s) => [s, fastest(runs.map((r) => r.wallMs), s)])) as Record<Step, number>,
        collectionBytes: first.collectionBytes,
        apkgBytes: first.apkgBytes,
        storedZipMs: Math.min(...runs.map((r) => r.storedZipMs)),
        engine: first.engine,
        reference: skipped !== undefined ? { skipped } : { cpuMs: Math.min(...references.map((r) => r.cpuMs)), wallMs: Math.min(...references.map((r) => r.wallMs)) },
      }
      results.push(result)
      log(describe(result))
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return results
}

const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`)

/** One line per size: each step's CPU (wall), rows → .apkg against the reference. */
export function describe(r: ApkgStage): string {
  const steps = STEPS.map((s) => `${s}${s === 'sqlite' ? ` by ${r.engine}` : ''} ${ms(r.cpuMs[s])} (${ms(r.wallMs[s])})`).join(', ')
  const rowsToApkg = r.cpuMs.sqlite + r.cpuMs.zip
  const reference = 'skipped' in r.reference ? r.reference.skipped : `genanki-like reference ${ms(r.reference.cpuMs)} (${ms(r.reference.wallMs)})`
  return `.apkg stage, ${r.facts.toLocaleString('en-US')} facts (${r.notes} notes, ${r.cards} cards), CPU (wall), fastest of the runs: ${steps}; rows → .apkg ${ms(rowsToApkg)}; ${reference}; collection ${(r.collectionBytes / 1048576).toFixed(1)} MB, .apkg ${(r.apkgBytes / 1048576).toFixed(2)} MB (stored zip: ${ms(r.storedZipMs)})`
}

/**
 * Issue 15's `.apkg` rows for `npm run bench`: rows → .apkg (SQLite and zip, from the same rows)
 * against the genanki-like reference measured in the same run.
 */
export function apkgTargets(stages: readonly ApkgStage[]): { name: string; target: string; actual: string; pass: boolean }[] {
  return stages.map((r) => {
    const rowsToApkg = r.cpuMs.sqlite + r.cpuMs.zip
    const name = `.apkg stage, ${r.facts.toLocaleString('en-US')} facts (${r.notes.toLocaleString('en-US')} notes), rows → .apkg, CPU`
    const actual = `${ms(rowsToApkg)} (SQLite ${ms(r.cpuMs.sqlite)} by ${r.engine}, zip ${ms(r.cpuMs.zip)}; notes made ${ms(r.cpuMs.records)}, assembled ${ms(r.cpuMs.assemble)})`
    if ('skipped' in r.reference) return { name, target: '≤ genanki-like reference (python3 missing)', actual, pass: false }
    return { name, target: `≤ genanki-like ${ms(r.reference.cpuMs)}`, actual, pass: rowsToApkg <= r.reference.cpuMs }
  })
}

const argv = process.argv.slice(2)
if (argv[0] === '--child') {
  const [, input, rowsFile] = argv
  if (!input || !rowsFile) throw new Error('usage: bench/apkg.ts --child <compiled> <rows.json>')
  process.stdout.write(`${RESULT}${JSON.stringify(await child(input, rowsFile))}\n`)
} else if (process.argv[1] === SELF) {
  const sizes = argv.includes('--sizes') ? (argv[argv.indexOf('--sizes') + 1] ?? '').split(',').map(Number).filter((n) => n > 0) : [10_000, 50_000]
  const repeat = argv.includes('--repeat') ? Math.max(1, Number(argv[argv.indexOf('--repeat') + 1]) || 1) : 3
  console.log(`cheatdeck .apkg stage on ${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} cores), Node ${process.version}; load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`)
  await measureApkgStage(sizes, repeat, (line) => console.log(line))
}
