/** cheatdeck's public surface: compile or check notes, build outputs, watch, and the types they speak. */
export { compile, currentTime, type CompileOptions, type CompileResult, type ParseCache } from './compile.ts'
export { build, OUTPUTS, type BuildOptions, type BuildResult, type OutputId, type Paper, type WrittenFile } from './build.ts'
export { check, type CheckOptions, type CheckResult } from './check.ts'
export type { Emission, LockUpdate, Output, OutputContext, OutputFile, OutputOptions } from './emit/index.ts'
export { watchBuild, type WatchEvent, type WatchOptions, type Watcher } from './watch.ts'
export { formatDiagnostic, type Diagnostic, type Severity } from './diagnostics.ts'
export type { Changes, RemovedFact } from './facts/resolve.ts'
export type * from './facts/model.ts'
