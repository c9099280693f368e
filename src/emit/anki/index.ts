/** The Anki package writer: notes → `.apkg` bytes that re-import without duplicates. */
export { emitApkg, type ApkgOptions } from './package.ts'
export {
  loadAnkiTemplates,
  ankiTemplatesDir,
  stampModels,
  type AnkiTemplates,
  type CardTemplate,
  type ModelsStamp,
} from './templates.ts'
export { BASIC_MODEL, CLOZE_MODEL, BASIC_MODEL_ID, CLOZE_MODEL_ID } from './model.ts'
export { SCHEMA_VERSION } from './schema.ts'
