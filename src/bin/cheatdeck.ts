#!/usr/bin/env node
// The installed command. Compiled to `dist/lib/bin/cheatdeck.js` (package.json `bin`): plain
// JavaScript at run time, no TypeScript loader.
import { main } from '../cli.ts'

process.exitCode = await main(process.argv.slice(2))
