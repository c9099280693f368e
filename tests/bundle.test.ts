/**
 * The installed command's one-file bundle (src/bin/bundle.ts, `dist/lib/cli.js` in the package),
 * made here into a scratch package and run with `node` as the bin runs it: `main` runs once, the
 * templates are found from the package root, the outputs are the same bytes as the sources', and
 * the build cache's code fingerprint follows the bundle's bytes.
 */
import { execFile } from 'node:child_process'
import { appendFile, cp, mkdtemp, readdir, readFile, symlink } from 'node:fs/promises'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const FORMS = path.join(ROOT, 'tests', 'fixtures', 'forms')
const NOW = '1796169600'
const run = promisify(execFile)

let pkg: string
let bundle: string

/** `node <args>` in `cwd`, with a fixed clock; its stdout, stderr and exit code. */
async function node(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...args], { cwd, env: { ...process.env, SOURCE_DATE_EPOCH: NOW } })
    return { stdout, stderr, code: 0 }
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number }
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code }
  }
}

async function files(dir: string): Promise<Record<string, Buffer>> {
  const found: Record<string, Buffer> = {}
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found[path.relative(dir, path.join(entry.parentPath, entry.name))] = await readFile(path.join(entry.parentPath, entry.name))
  }
  return found
}

/** The cache's entries: files in its folders by kind (not the prune marker beside them). */
const count = async (dir: string): Promise<number> => Object.keys(await files(dir)).filter((name) => name.includes(path.sep)).length

beforeAll(async () => {
  // A package as npm installs it: package.json, templates/, dist/lib/cli.js; its dependencies
  // (the ones left out of the bundle) found in node_modules above the bundle, as in an install.
  pkg = await mkdtemp(path.join(tmpdir(), 'cheatdeck-bundle-'))
  await cp(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'))
  await cp(path.join(ROOT, 'templates'), path.join(pkg, 'templates'), { recursive: true })
  await symlink(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'))
  bundle = path.join(pkg, 'dist', 'lib', 'cli.js')
  const made = await node(['--import', 'tsx', path.join(ROOT, 'src', 'bin', 'bundle.ts'), bundle], ROOT)
  expect(made.stderr).toBe('')
  expect(made.code).toBe(0)
})

describe('the command bundle', () => {
  it('holds every dependency but sql.js, playwright-core and Handlebars (loaded at run time)', async () => {
    const text = await readFile(bundle, 'utf8')
    // Static imports start a statement (the bundle's whitespace is minified: `import{x}from"y"`).
    const imported = [...text.matchAll(/(?:^|[;\n])import\s*[\w$*{}\s,]*?\s*from\s*"([^"]+)"/g)].map((m) => m[1] ?? '')
    expect(imported.length).toBeGreaterThan(3)
    expect(imported.filter((name) => !isBuiltin(name))).toEqual([])
    // (Relative ones are in comments: the bundle has no file next to it to import.)
    // Loaded at run time: an `import()`, or a `require` made with createRequire (the bundler
    // numbers each module's `require` apart from the banner's), of a package that is not Node's.
    const atRunTime = new Set([...text.matchAll(/\b(?:import|require\d*)\("([^".][^"]*)"\)/g)].map((m) => m[1] ?? '').filter((name) => !isBuiltin(name)))
    expect([...atRunTime].sort()).toEqual(['handlebars', 'handlebars/runtime', 'playwright-core', 'sql.js'])
  })

  it('runs main once, run as a program or imported by the bin', async () => {
    const version = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version as string
    expect((await node([bundle, '--version'], pkg)).stdout).toBe(`${version}\n`)
    const bin = `const { main } = await import(${JSON.stringify(bundle)}); process.exitCode = await main(['--version'])`
    expect((await node(['--input-type=module', '-e', bin], pkg)).stdout).toBe(`${version}\n`)
  })

  it('finds the templates from the package root: init writes the shipped ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cheatdeck-bundle-init-'))
    expect((await node([bundle, 'init'], dir)).code).toBe(0)
    const template = await readFile(path.join(pkg, 'templates', 'init', 'deck.yaml'), 'utf8')
    expect(await readFile(path.join(dir, 'deck.yaml'), 'utf8')).toBe(template.replace('__TITLE__', path.basename(dir)))
  })

  it('writes the same bytes as the sources, and a changed bundle is a new cache key', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'cheatdeck-bundle-build-'))
    const [fromSources, fromBundle, cache] = ['sources', 'bundle', 'cache'].map((name) => path.join(work, name)) as [string, string, string]
    for (const dir of [fromSources, fromBundle]) await cp(FORMS, path.join(dir, 'notes'), { recursive: true })
    const saved = process.env['SOURCE_DATE_EPOCH']
    process.env['SOURCE_DATE_EPOCH'] = NOW
    const silent = { stdout: (): void => {}, stderr: (): void => {} }
    const code = await main(['build', '--notes', path.join(fromSources, 'notes'), '--out', path.join(fromSources, 'out'), '--no-fit', '--no-cache'], silent).finally(() => {
      if (saved === undefined) delete process.env['SOURCE_DATE_EPOCH']
      else process.env['SOURCE_DATE_EPOCH'] = saved
    })
    expect(code).toBe(0)
    const build = (): Promise<{ code: number; stderr: string }> =>
      node([bundle, 'build', '--notes', path.join(fromBundle, 'notes'), '--out', path.join(fromBundle, 'out'), '--no-fit', '--cache-dir', cache], work)
    expect(await build()).toMatchObject({ code: 0 })
    const want = await files(fromSources)
    expect(Object.keys(want).length).toBeGreaterThan(4)
    expect(await files(fromBundle)).toEqual(want)

    // Warm: every entry found, none added. Then one byte more in the bundle: every key is new.
    const entries = await count(cache)
    expect(entries).toBeGreaterThan(5)
    expect(await build()).toMatchObject({ code: 0 })
    expect(await count(cache)).toBe(entries)
    await appendFile(bundle, '\n')
    expect(await build()).toMatchObject({ code: 0 })
    expect(await count(cache)).toBe(2 * entries)
    expect(await files(fromBundle)).toEqual(want)
  })
})
