import { Layout } from './struct.js';

/** Per dispatch of a sampling pass (one uniform slice each). */
export const SampleParams = new Layout('BroxSampleParams', [
  ['seed', 'u32'],
  ['count', 'u32'], // samples in this dispatch (<= 2^30, so i + stride never wraps)
  ['base_lo', 'u32'], // first sample index of this dispatch
  ['base_hi', 'u32'],
  ['partial_offset', 'u32'], // where this dispatch's workgroups write their partials
  ['k_base', 'u32'], // step number of brox_radii[0]
  ['round', 'u32'], // refinement round (0: the call's ball)
  ['bounded', 'u32'], // 1: fold into the bounds
  ['t_outer', 'f32'], // radius of the call's ball
] as const);

/** The centre and step counter of a call or of a resident loop (read-only in sample passes). */
export const State = new Layout('BroxState', [
  ['k', 'u32'], // step number = RNG call
  ['halt', 'u32'], // non-zero: a resident loop stopped; sample passes then draw nothing
  ['fcenter', 'f32'], // f(center), float32 (resident loops)
] as const, 'center');

export const ReduceParams = new Layout('BroxReduceParams', [['n', 'u32']] as const);
export const SortParams = new Layout('BroxSortParams', [['j', 'u32'], ['k', 'u32'], ['n', 'u32']] as const);
export const MomentParams = new Layout('BroxMomentParams', [['shift', 'f32'], ['fmin', 'f32'], ['inv_tau', 'f32'], ['diag', 'u32']] as const);
export const EvalParams = new Layout('BroxEvalParams', [['count', 'u32']] as const);

/** Engine structs every module declares (unused ones cost nothing). */
export const ENGINE_LAYOUTS = [SampleParams, State, ReduceParams, SortParams, MomentParams, EvalParams];
