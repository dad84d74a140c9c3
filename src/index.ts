/// <reference types="@webgpu/types" preserve="true" />
export { createOracle, type CreateOracleOptions } from './oracle/create.js';
export type { Oracle, BroxOptions, BroxResult, BackendName, BackendChoice, ObjectiveInput, TopkOptions, TopkResult, MomentsOptions, MomentsResult, MomentsSums, PopulationOptions } from './oracle/types.js';
export { mergeMoments } from './oracle/moments-merge.js';
export { DEFAULT_SAMPLES } from './oracle/types.js';
export { bpm, type BpmOptions, type BpmResult, type BpmStatus, type BpmHistoryEntry } from './bpm/bpm.js';
export { minimize, type MinimizeOptions, type MinimizeResult, type MinimizeStatus } from './methods/minimize.js';
export type { MethodName } from './methods/minimize-types.js';
export { methods, methodNames } from './methods/registry.js';
export type { Method, MethodContext, StepReport } from './methods/types.js';
export { builtins, builtinNames, getObjective } from './objectives/registry.js';
export { defineObjective, type DefineObjectiveOptions } from './objectives/define.js';
export { shiftRotate } from './objectives/transform.js';
export { bbob, bbobInstance, BBOB_FUNCTIONS, type BbobObjective, type BbobInstanceData } from './objectives/bbob/index.js';
export { exprObjective, type ExprObjectiveOptions } from './expr/index.js';
export { leastSquares, logisticRegression, phaseRetrieval, type Dataset } from './objectives/data.js';
export type { Objective, ObjectiveFn, KnownMinimum, BuiltinObjective } from './objectives/types.js';
export { BroxError, type BroxErrorCode } from './errors.js';
export type { AdapterSummary } from './gpu/adapter.js';
export { samplers, samplerKinds } from './samplers/registry.js';
export type { SamplerPlugin } from './samplers/plugin.js';
export { generators, type SampleGenerator, type GeneratorName } from './rng/generator.js';
export type { SamplerSpec, BoundsSpec, Bounds } from './samplers/types.js';

export { threefry2x32, toUnit } from './rng/threefry.js';
