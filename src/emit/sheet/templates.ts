/**
 * The sheet's Handlebars templates, precompiled. Compiling them (with the Handlebars compiler,
 * itself slow to load) took about as long as rendering a small sheet; so a build keeps the
 * precompiled templates in its cache, keyed by their text (an edited template is a new key,
 * never a stale entry), and then loads only the Handlebars runtime. Without a cache, or on a
 * miss, they are precompiled here: the same compiler output, so the same bytes either way.
 */
import { createRequire } from 'node:module'
import type { TemplateDelegate } from 'handlebars'
import type { OutputCache } from '../output.ts'
import type { SheetTemplates } from './index.ts'

/** Handlebars' precompiled source (a JavaScript object literal) of the layout and each partial. */
export interface SheetTemplateSpecs {
  layout: string
  partials: Record<string, string>
}

// preventIndent: an indented `{{> fact}}` must not indent the lines of a code block.
const OPTIONS = { strict: true, noEscape: false, preventIndent: true } as const

type Handlebars = typeof import('handlebars')
const require = createRequire(import.meta.url)
const runtime = (): Handlebars => require('handlebars/runtime') as Handlebars

/** The specs of `templates`: made once per template set (the tests render one set many times). */
const made = new WeakMap<SheetTemplates, SheetTemplateSpecs>()

export function precompileSheet(templates: SheetTemplates): SheetTemplateSpecs {
  let specs = made.get(templates)
  if (!specs) {
    const compiler = require('handlebars') as Handlebars
    const partials: Record<string, string> = {}
    for (const [name, text] of Object.entries(templates.partials)) partials[name] = String(compiler.precompile(text, OPTIONS))
    specs = { layout: String(compiler.precompile(templates.layout, OPTIONS)), partials }
    made.set(templates, specs)
  }
  return specs
}

/** The specs of `templates` from the cache when it has them, else precompiled (and kept there). */
export async function cachedSheetSpecs(templates: SheetTemplates, cache: OutputCache | undefined): Promise<SheetTemplateSpecs> {
  const key = cache?.key('sheet-templates', JSON.stringify({ layout: templates.layout, partials: templates.partials }))
  const kept = key === undefined ? undefined : await cache?.get<SheetTemplateSpecs>(key)
  if (kept && fits(kept, templates)) return kept
  const specs = precompileSheet(templates)
  if (key !== undefined) await cache?.set(key, specs)
  return specs
}

/** A kept entry of the right shape: a spec for the layout and for every partial, and nothing else. */
function fits(specs: SheetTemplateSpecs, templates: SheetTemplates): boolean {
  const names = Object.keys(templates.partials).sort()
  return (
    typeof specs.layout === 'string' &&
    typeof specs.partials === 'object' &&
    specs.partials !== null &&
    Object.keys(specs.partials).sort().join('\0') === names.join('\0') &&
    names.every((name) => typeof specs.partials[name] === 'string')
  )
}

export interface SheetRenderer {
  layout: TemplateDelegate
  /** Each partial as a function, as Handlebars calls it: `(context, options) => html`. */
  partials: Record<string, TemplateDelegate>
  /** Replaces (or adds) a partial: the sheet's own `topic` partial wraps the template's. */
  registerPartial(name: string, partial: TemplateDelegate): void
}

/** Fresh template functions from the specs, in their own Handlebars runtime environment. */
export function sheetRenderer(specs: SheetTemplateSpecs): SheetRenderer {
  const hbs = runtime().create()
  const load = (spec: string): TemplateDelegate => hbs.template(new Function(`return ${spec}`)() as TemplateSpecification)
  const partials: Record<string, TemplateDelegate> = {}
  for (const [name, spec] of Object.entries(specs.partials)) {
    partials[name] = load(spec)
    hbs.registerPartial(name, partials[name])
  }
  return {
    layout: load(specs.layout),
    partials,
    registerPartial: (name, partial) => hbs.registerPartial(name, partial),
  }
}

type TemplateSpecification = Parameters<Handlebars['template']>[0]
