/** cheatdeck's public surface: compile notes, build outputs, and the types they speak. */
export { compile, currentTime, type CompileOptions, type CompileResult, type ParseCache } from './compile.ts'
export { formatDiagnostic, type Diagnostic, type Severity } from './diagnostics.ts'
export type { Changes, RemovedFact } from './facts/resolve.ts'
export type * from './facts/model.ts'
