/**
 * Every output, in the order the build writes their files (the lockfile comes after all of them).
 * To add one: a folder `src/emit/<id>/` with an `output.ts` exporting an `Output`, listed here.
 */
import { ankiOutput } from './anki/output.ts'
import { datasetOutput } from './dataset/output.ts'
import type { Output } from './output.ts'
import { sheetOutput } from './sheet/output.ts'

export const outputs = [datasetOutput, sheetOutput, ankiOutput] as const satisfies readonly Output[]

/** The ids of cheatdeck's outputs, as given to `--only`. */
export type OutputId = (typeof outputs)[number]['id']

export const OUTPUTS: readonly OutputId[] = outputs.map((output) => output.id)

export type { Emission, FactDigest, LockUpdate, Output, OutputCache, OutputContext, OutputData, OutputFile, OutputOptions, Timer } from './output.ts'
