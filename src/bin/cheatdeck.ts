#!/usr/bin/env node
// The installed command. Compiled to `dist/lib/bin/cheatdeck.js` (package.json `bin`): plain
// JavaScript at run time, no TypeScript loader. There `../cli.js` is the command bundled into one
// file (src/bin/bundle.ts): one file to read and compile instead of some 300 modules.
import module from 'node:module'

// Node 22.1 and later keep the compiled code of the modules loaded (cheatdeck's, and
// playwright-core's when the sheet is fitted) in a cache on disk, as `tsc` does: a build after the
// first starts about a quarter faster. `NODE_DISABLE_COMPILE_CACHE=1` turns it off; Node 20 has none.
// Before `import()`: a static import would load every module before this line runs.
;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()
const { main } = await import('../cli.ts')

process.exitCode = await main(process.argv.slice(2))
