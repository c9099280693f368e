/**
 * The CLI: arguments → library call → report → exit code (0 clean, 1 content errors, 2 crash or
 * bad usage). The only module that prints.
 */
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import envPaths from 'env-paths'
import { build, OUTPUTS, type BuildOptions, type BuildResult, type OutputId } from './build.ts'
import { cardRecords, cards, formatCard } from './cards/index.ts'
import { check, describeChanges, type CheckResult } from './check.ts'
import { diagnosticJson } from './diagnostics.ts'
import { outputs } from './emit/index.ts'
import { SettingError } from './facts/clock.ts'
import { LOCKFILE } from './notes/read.ts'
import { PACKAGE_ROOT } from './package-root.ts'
import { progressLine, type ProgressLine } from './progress-line.ts'
import type { CardForm } from './facts/model.ts'
import { escapeControls, formatReport } from './report.ts'
import { LOWEST_FLOOR_PT, MAX_FONT_SIZE_PT } from './emit/sheet/index.ts'

export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** stderr is a terminal: long builds show a progress line there (never with `--json`). */
  tty?: boolean
  /** How long a build runs before the progress line shows (default about a second). */
  progressDelayMs?: number
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
}

const HELP = `Usage: cheatdeck [build|check|cards] [options]
       cheatdeck init [dir]

Commands:
  init [dir]       start a notes folder (default: here): deck.yaml, an example note, .gitignore
  build            read the notes, write the deck, the sheet and the dataset (default)
  check            lint the notes only; write nothing
  cards            print every card's front and back as text, as Anki shows them; write nothing

Options:
  --notes <dir>    notes folder (default: ./notes if there is one, else .)
  --out <dir>      output folder (default: dist)
  --only <list>    outputs to write, comma-separated (default: all)
  --paper <size>   sheet paper: a4 (default) or letter, landscape
  --pages <n>      fit the sheet on n pages (default 1); it continues onto more when it must
  --min-font <pt>  the sheet's smallest type, in pt (default 6)
  --topics <list>  only these topics on the sheet (ids or names, comma-separated)
  --tags <list>    only facts with one of these tags on the sheet (comma-separated)
  --pdf            also print the sheet to PDF (needs Chromium)
  --no-fit         don't measure the sheet in Chromium at build time
  --tag-removed    put facts removed from the notes in the deck, tagged ::removed
  --locked         fail instead of updating the lockfile; with check: fail if it is out of date
  --new-namespace  accept a new deck.yaml namespace: every fact gets a new GUID (a new deck in Anki)
  --cache-dir <dir>
                   keep parsed notes here between builds (default: node_modules/.cache/cheatdeck)
  --no-cache       parse every file again; read and write no cache
  -w, --watch      build, then rebuild whenever a note, the deck file or a template changes
  --json           print the result as JSON on stdout
  -h, --help       show this help
  -v, --version    show the version

Outputs:
${outputs.map((output) => `  ${output.id.padEnd(17)}${output.description}`).join('\n')}

Exit codes: 0 clean, 1 errors in the notes, 2 crash or bad usage.
`

class UsageError extends Error {}

const OPTIONS = {
  notes: { type: 'string' },
  out: { type: 'string', default: 'dist' },
  only: { type: 'string' },
  paper: { type: 'string', default: 'a4' },
  pages: { type: 'string' },
  'min-font': { type: 'string' },
  topics: { type: 'string' },
  tags: { type: 'string' },
  pdf: { type: 'boolean', default: false },
  'no-fit': { type: 'boolean', default: false },
  'tag-removed': { type: 'boolean', default: false },
  watch: { type: 'boolean', short: 'w', default: false },
  locked: { type: 'boolean', default: false },
  'new-namespace': { type: 'boolean', default: false },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const satisfies ParseArgsConfig['options']

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values']

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let args
  try {
    args = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS })
  } catch (error) {
    io.stderr(`cheatdeck: ${(error as Error).message}\n\n${HELP}`)
    return 2
  }
  const { values, positionals } = args
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  if (values.version) {
    io.stdout(`${version()}\n`)
    return 0
  }
  try {
    const command = positionals[0] ?? 'build'
    if (command === 'init' && positionals.length <= 2) return await runInit(positionals[1] ?? '.', io)
    if (positionals.length > 1 || (command !== 'build' && command !== 'check' && command !== 'cards')) {
      throw new UsageError(`unexpected command \`${positionals.join(' ')}\`, expected \`init [dir]\`, \`build\`, \`check\` or \`cards\``)
    }
    const options = buildOptions(values)
    if (values.watch) {
      if (command !== 'build') throw new UsageError(`unexpected --watch with \`${command}\`, expected it with \`build\``)
      return await watchUntilInterrupted(options, values.json, io)
    }
    if (command === 'cards') return await printCards(options.notes, values.json, io)
    const progress = showProgress(io, values.json, options)
    const result = command === 'check' ? await check(options) : await build(options)
    progress?.clear()
    report(result, command, values.json, io)
    return result.ok ? 0 : 1
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cheatdeck: ${escapeControls(error.message)}\n\n${HELP}`)
      return 2
    }
    if (error instanceof SettingError) {
      io.stderr(`cheatdeck: ${error.message}\n`)
      return 2
    }
    const unwritable = writeFailure(error, path.resolve(values.out))
    if (unwritable) {
      io.stderr(`cheatdeck: ${unwritable}\n`)
      return 2
    }
    io.stderr(`cheatdeck: crashed: ${(error as Error).stack ?? String(error)}\n`)
    return 2
  }
}

/** Why the file system refused an output, said without a stack trace: the user's to fix. */
const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EROFS: 'a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'not permitted (read-only, or a folder where a file should be)',
  ENOTDIR: 'a file where a folder should be',
  EEXIST: 'a file where a folder should be',
  EISDIR: 'a folder where a file should be',
  ENOTEMPTY: 'a folder where a file should be',
}

/** The message for an output (under --out, or the lockfile) that could not be written, if that is what failed. */
function writeFailure(error: unknown, out: string): string | undefined {
  const { code, path: failed } = error as NodeJS.ErrnoException
  const reason = code ? WRITE_ERRORS[code] : undefined
  if (!reason || !failed) return undefined
  const relative = path.relative(out, failed)
  const isOutput = !relative.startsWith('..') && !path.isAbsolute(relative)
  if (!isOutput && !path.basename(failed).includes(LOCKFILE)) return undefined
  return `cannot write \`${displayPath(failed)}\`: ${reason} (${code}), expected a writable --out folder; the files there were left as they were`
}

/** The build's options from the command line's values; a UsageError for what it cannot use. */
function buildOptions(values: Values): BuildOptions {
  const paper = values.paper
  if (paper !== 'a4' && paper !== 'letter') throw new UsageError(`unexpected paper \`${paper}\`, expected \`a4\` or \`letter\``)
  const only = values.only === undefined ? undefined : parseOnly(values.only)
  const options: BuildOptions = {
    notes: path.resolve(values.notes ?? defaultNotes()),
    out: path.resolve(values.out),
    paper,
    pdf: values.pdf,
    fit: !values['no-fit'],
    tagRemoved: values['tag-removed'],
    locked: values.locked,
  }
  if (only) options.only = only
  if (values['new-namespace']) options.newNamespace = true
  const cacheDir = values['no-cache'] ? undefined : values['cache-dir'] !== undefined ? path.resolve(values['cache-dir']) : defaultCacheDir()
  if (cacheDir !== undefined) options.cacheDir = cacheDir
  if (values.pages !== undefined) options.pages = parseNumber('--pages', values.pages, 1, 100, true)
  if (values.topics !== undefined) options.topics = parseList(values.topics)
  if (values.tags !== undefined) options.tags = parseList(values.tags)
  if (values['min-font'] !== undefined) options.minFont = parseNumber('--min-font', values['min-font'], LOWEST_FLOOR_PT, MAX_FONT_SIZE_PT, false)
  if (!statSync(options.notes, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`unexpected --notes \`${values.notes ?? defaultNotes()}\`: no such folder, expected a folder of notes`)
  }
  const out = statSync(options.out, { throwIfNoEntry: false })
  if (out && !out.isDirectory()) throw new UsageError(`unexpected --out \`${values.out}\`: a file, expected a folder for the outputs`)
  return options
}

/** Runs `build --watch` until SIGINT/SIGTERM; each rebuild is reported like a build. */
async function watchUntilInterrupted(options: BuildOptions, json: boolean, io: Io): Promise<number> {
  const { watchBuild } = await import('./watch.ts')
  const progress = showProgress(io, json, options)
  const watcher = watchBuild(options, (event) => {
    progress?.clear()
    if (event.changed.length) io.stderr(`\nchanged: ${event.changed.map(displayPath).join(', ')}\n`)
    if (event.type === 'crash') io.stderr(`cheatdeck: build crashed: ${event.error.stack ?? event.error.message}\n`)
    else {
      report(event.result, 'build', json, io)
      if (!event.result.ok) io.stderr('dist/ keeps the last good build\n')
    }
  })
  // Listen before saying so: a Ctrl-C right after the message must find the handler in place.
  // A closed terminal (SIGHUP) stops it too, so the session's Chromium is closed, not left running.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
  const interrupted = new Promise<void>((resolve) => {
    const stop = (): void => {
      for (const signal of signals) process.off(signal, stop)
      resolve()
    }
    for (const signal of signals) process.on(signal, stop)
  })
  await watcher.ready
  io.stderr(`watching ${displayPath(options.notes)} and the templates for changes (Ctrl-C to stop)\n`)
  await interrupted
  await watcher.close()
  io.stderr('stopped watching\n')
  return 0
}

/** `init`: what was written and skipped, then what to do next. */
async function runInit(dir: string, io: Io): Promise<number> {
  const { init } = await import('./init.ts')
  const result = await init({ dir })
  const shown = path.resolve(dir) === process.cwd() ? '.' : displayPath(path.resolve(dir))
  for (const file of result.written) io.stderr(`wrote ${path.join(shown, file)}\n`)
  for (const { file, reason } of result.skipped) io.stderr(`left ${path.join(shown, file)} as it is: ${reason}\n`)
  if (result.skipped.some((s) => s.file === '.gitignore')) io.stderr('  (add `dist/` to it if the outputs should stay out of git)\n')
  // The folder a build finds without --notes: here, or ./notes.
  const found = [process.cwd(), path.resolve('notes')].includes(path.resolve(dir))
  const notes = found ? '' : ` --notes ${shown}`
  io.stderr(`\nNext: write your notes as .md files in ${shown} (see example.md), set the title in deck.yaml, then\n  npx cheatdeck build${notes}      # the Anki deck, the sheet and the dataset in dist/\n  npx cheatdeck cards${notes}      # read every card as Anki will show it\n`)
  return 0
}

/** `cards`: the cards on stdout (text or JSON), the notes' problems on stderr. */
async function printCards(notes: string, json: boolean, io: Io): Promise<number> {
  const result = await cards({ notes })
  if (result.diagnostics.length) io.stderr(`${formatReport(result.diagnostics)}\n\n`)
  if (json) io.stdout(`${JSON.stringify(cardRecords(result.cards), null, 2)}\n`)
  else io.stdout(result.cards.map((card) => `${formatCard(card)}\n`).join('\n'))
  io.stderr(`${result.cards.length} cards\n`)
  return result.ok ? 0 : 1
}

/**
 * `node_modules/.cache/cheatdeck` of the nearest folder up from here with a `package.json`; outside
 * any package (notes built with `npx` or a global install), the user's cache folder
 * (`$XDG_CACHE_HOME/cheatdeck`, `~/.cache/cheatdeck`; the platform's own on macOS and Windows).
 */
function defaultCacheDir(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (statSync(path.join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile()) return path.join(dir, 'node_modules', '.cache', 'cheatdeck')
    if (path.dirname(dir) === dir) return envPaths('cheatdeck', { suffix: '' }).cache
  }
}

function parseList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean)
}

function parseNumber(flag: string, text: string, min: number, max: number, whole: boolean): number {
  const value = Number(text)
  if (!text.trim() || !Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
    throw new UsageError(`unexpected ${flag} \`${text}\`, expected ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`)
  }
  return value
}

/** On a terminal and without `--json`, a progress line fed by the build (set on `options`). */
function showProgress(io: Io, json: boolean, options: BuildOptions): ProgressLine | undefined {
  if (!io.tty || json) return undefined
  const line = progressLine(io.stderr, io.progressDelayMs)
  options.progress = (step) => line.update(step)
  return line
}

/** Without `--notes`: a `notes/` folder here, else this folder (run from inside the notes). */
function defaultNotes(): string {
  return statSync('notes', { throwIfNoEntry: false })?.isDirectory() ? 'notes' : '.'
}

function parseOnly(list: string): OutputId[] {
  const parts = list.split(',').map((s) => s.trim()).filter(Boolean)
  for (const part of parts) {
    if (!(OUTPUTS as readonly string[]).includes(part)) throw new UsageError(`unexpected output \`${part}\` in --only, expected some of ${OUTPUTS.join(', ')}`)
  }
  return parts as OutputId[]
}

function report(result: CheckResult | BuildResult, command: string, json: boolean, io: Io): void {
  const files = 'files' in result ? result.files : []
  const notices = 'notices' in result ? result.notices : []
  if (json) {
    const { notes, lock: _lock, lockText: _text, previousLockText: _previous, ...rest } = result
    const diagnostics = result.diagnostics.map(diagnosticJson)
    io.stdout(`${JSON.stringify({ ...rest, diagnostics, topics: notes.topics.length, facts: notes.facts.length, files }, null, 2)}\n`)
    return
  }
  if (result.diagnostics.length) io.stderr(`${formatReport(result.diagnostics)}\n\n`)
  const { topics, facts } = result.notes
  // Every form, in the summary's order (a new form does not compile until it is listed here).
  const counts: Record<CardForm, number> = { cloze: 0, term: 0, qa: 0, reversed: 0, none: 0 }
  for (const fact of facts) counts[fact.form]++
  // `reversed` only when there are some: the summary of notes without them reads as before.
  const forms = Object.entries(counts).filter(([form, count]) => count > 0 || form !== 'reversed').map(([form, count]) => `${count} ${form}`).join(', ')
  const lines = [`${topics.length} topics, ${facts.length} facts (${forms}), ${result.cards} cards`]
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length
  // What the notes hold despite the errors: how far they are from building.
  if (!result.ok) lines[0] = `would make ${facts.length} facts, ${result.cards} cards in ${topics.length} topics (${forms}) once ${errors === 1 ? 'this error is' : `these ${errors} errors are`} fixed`
  if (result.ok) {
    lines.push(`since the last build: ${describeChanges(result)}`)
    if (result.changes.removed.length) lines.push(`removed from the notes (Anki keeps them; build with --tag-removed to tag them): ${result.changes.removed.join(', ')}`)
  }
  for (const notice of notices) lines.push(notice)
  if (command === 'build') {
    if (!result.ok) lines.push('nothing written: fix the errors above')
    for (const file of files) lines.push(`wrote ${displayPath(file.path)} (${formatBytes(file.bytes)})`)
  }
  io.stderr(`${lines.join('\n')}\n`)
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return escapeControls(relative && !relative.startsWith('..') ? relative : file)
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

// Run as a program (`tsx src/cli.ts`, `node dist/lib/cli.js`): `main` once. Imported — by the
// bin, which runs `main` itself, by the tests — it does not run. The command's bundle is this
// module's file (`dist/lib/cli.js`, src/bin/bundle.ts), never the bin's: only `node` on it runs it.
const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isEntry) process.exitCode = await main(process.argv.slice(2))
