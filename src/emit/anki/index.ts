/** The Anki package writer: notes → `.apkg` bytes that re-import without duplicates. */
export { emitApkg, type ApkgOptions } from './package.ts'
export {
  loadAnkiTemplates,
  ankiTemplatesDir,
  stampModels,
  usedTemplates,
  type OptionalPart,
  type AnkiTemplates,
  type CardTemplate,
  type ModelsStamp,
} from './templates.ts'
export { BASIC_MODEL, CLOZE_MODEL, REVERSED_MODEL, BASIC_MODEL_ID, CLOZE_MODEL_ID, REVERSED_MODEL_ID } from './model.ts'
export { SCHEMA_VERSION } from './schema.ts'
