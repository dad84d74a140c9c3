/**
 * The one internal entry of the repository's own programs (bench/, the bench page): the public
 * index plus the internals they measure or drive directly — backends built by hand, the GPU
 * acquisition, the tuner, the executor's pieces, sample regeneration. Not part of the package's
 * API (package.json exports only the index) and free to change; test/architecture.test.ts checks
 * that bench/ imports nothing else from src/.
 */
export * from './index.js';
export { acquireGpu, noAdapterHint, SWIFTSHADER_ICD } from './gpu/acquire.js';
export { describeAdapter, summarizeAdapter } from './gpu/adapter.js';
export { deviceLimits, wantedFeatures } from './oracle/create.js';
export { createCpuOracle } from './oracle/cpu.js';
export { defaultThreads } from './oracle/cpu-pool.js';
export { orderValue } from './oracle/cpu-scan.js';
export { createWebGpuOracle } from './oracle/webgpu.js';
export { tuneKernel, type TuneResult } from './oracle/tuner.js';
export { BBOB_DOMAIN } from './objectives/bbob/index.js';
export { srRandom, type ShiftRotateData } from './objectives/transform.js';
export { prepareRun } from './methods/minimize.js';
export { execute } from './methods/executor.js';
export { Run } from './methods/run.js';
export { pointOf } from './samplers/point.js';
export { prepareSampler } from './samplers/spec.js';
