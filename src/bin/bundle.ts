/**
 * The installed command as one file: `npm run compile` runs this after `tsc -p src`, replacing the
 * compiled `dist/lib/cli.js` with a bundle of `src/cli.ts` and nearly every module it imports.
 * Loading some 300 ES modules one by one (resolve, read, compile each) was most of a warm
 * build's start-up; one file is read and compiled once. The library (`dist/lib/index.js`) stays
 * tsc's module tree; the bin (`dist/lib/bin/cheatdeck.js`, tsc's too) turns on Node's compile
 * cache and then imports `../cli.js`, this bundle — before it, so the bundle's compiled code is
 * cached as well. Beside the bin it makes, but not in the package (src/tsconfig.json leaves it
 * out): it runs at pack time, with esbuild, a devDependency.
 */
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
// Another place for the bundle (the tests make one in a scratch package).
const outfile = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist', 'lib', 'cli.js'))

await build({
  entryPoints: [path.join(ROOT, 'src', 'cli.ts')],
  outfile,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Left in node_modules: sql.js finds its .wasm next to its own file; playwright-core is loaded
  // only to fit or print the sheet, and is optional (the build says when it is missing).
  // (Handlebars is loaded with a `require` made at run time, which a bundler does not follow.)
  external: ['sql.js', 'playwright-core'],
  // jsonc-parser's `main` is a UMD file the bundler cannot follow; its `module` is plain ESM.
  mainFields: ['module', 'main'],
  // The bundled CommonJS dependencies (yaml, ignore, …) `require` Node's built-in modules. The
  // banner is text the bundler does not rename around: a name of its own (`require` is kept free).
  banner: { js: "import { createRequire as cheatdeckBundleRequire } from 'node:module'; const require = cheatdeckBundleRequire(import.meta.url);" },
  // The build cache's code fingerprint hashes this one file instead of the modules of a tree.
  define: { 'import.meta.cheatdeckBundle': 'true' },
  // Function and class names as in the sources: messages and stack traces read the same.
  keepNames: true,
  // Whitespace only (names and syntax as written): 2.9 → 2.0 MB, so Node decodes and compiles less
  // at every start (`cheatdeck --version`: 0.50 → 0.44 s CPU, 10 runs each, interleaved).
  minifyWhitespace: true,
  logLevel: 'warning',
})
