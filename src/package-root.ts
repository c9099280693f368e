/**
 * The package's root folder (`package.json`, `templates/`), wherever cheatdeck runs from: the
 * source checkout (`src/`, one level down) or the compiled package (`dist/lib/`, two levels down;
 * the command's bundle is `dist/lib/cli.js`, so this module's URL is that file's there).
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const compiled = path.basename(here) === 'lib' && path.basename(path.dirname(here)) === 'dist'

export const PACKAGE_ROOT = compiled ? path.resolve(here, '../..') : path.resolve(here, '..')
