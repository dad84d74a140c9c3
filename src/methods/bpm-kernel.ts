/**
 * What BPM's two resident sessions share (bpm-resident.ts: whole-ball steps; bpm-coord-resident.ts:
 * coordinate steps): the kernel module (shaders/methods/bpm.wgsl on the argmin chunks), its
 * parameters, the per-step history record and how a batch's records are read back.
 */
import bpmWgsl from '../../shaders/methods/bpm.wgsl?raw';
import type { KernelRecipe } from '../engine/compose.js';
import type { GpuEngine } from '../engine/engine.js';
import { State } from '../engine/layouts.js';
import { Layout } from '../engine/struct.js';
import type { Objective } from '../objectives/types.js';
import { orderValue } from '../oracle/cpu-scan.js';
import type { BpmState } from './bpm.js';
import type { ResidentBatch } from './types.js';

/** BPM's own kernel parameters. */
export const BpmParams = new Layout('BroxBpmParams', [
  ['n', 'u32'],
  ['hist_base', 'u32'],
  ['f_target', 'f32'],
  ['ftol', 'f32'],
  // the adaptive schedule (adaptive = 1): t0, the floor and the factors, as nextRadius() takes them
  ['adaptive', 'u32'],
  ['t0', 'f32'],
  ['t_min', 'f32'],
  ['shrink_by', 'f32'],
  ['grow_by', 'f32'],
  // coordinate steps: the radii's floor and ceiling, their factors, and whether a radius at the
  // floor starts again at the ceiling (coordRange / coordAdvance in src/methods/bpm.ts)
  ['c_min', 'f32'],
  ['c_max', 'f32'],
  ['c_grow', 'f32'],
  ['c_shrink', 'f32'],
  ['cycle', 'u32'],
] as const);

/** The resident BPM module: the argmin chunks' shared pieces plus bpm.wgsl. */
export const BPM_RECIPE: KernelRecipe = { name: 'bpm', chunks: [bpmWgsl], sampling: true, best: true, layouts: [BpmParams] };

/** The history buffer of one batch stays under this many bytes (binding limits). */
export const MAX_HIST_BYTES = 64 * 2 ** 20;

/** One resident step as the GPU saw it (float32). */
export interface BpmGeneration {
  /** The step's RNG call. */
  call: number;
  /** f at the centre after the step, float32. */
  fun32: number;
  improved: boolean;
  /** The step's best sample even when float32 kept the centre (-1 if none): the host re-checks it. */
  winner: number;
  /** The centre after the step (float32 values). */
  x: Float32Array;
}

/** GPU stop codes of brox_bpm_update and brox_bpm_coord_update. */
export const HALT = { none: 0, fixedPoint: 1, target: 2, ftol: 3 } as const;

/** Words per history record: f, improved, index lo, index hi, x[d]. */
export const historyStride = (d: number): number => 4 + d;

/** Samples per step must fit one submission of sample dispatches. */
export const fits = (engine: GpuEngine, samples: number): boolean => Math.ceil(samples / engine.chunk) <= engine.dispatches;

/** A batch's records after the State head at `offset`: the steps the GPU executed before any halt. */
export function decodeSteps(bytes: ArrayBuffer, offset: number, k: number, firstCall: number, d: number, x0: Float64Array): ResidentBatch<BpmGeneration> {
  const stride = historyStride(d);
  const head = State.read(bytes, offset);
  const executed = Math.min(k, head.k - firstCall);
  const generations: BpmGeneration[] = [];
  for (let j = 0; j < executed; j++) {
    const o = offset + State.headBytes + j * stride * 4;
    const u = new Uint32Array(bytes, o, 4);
    const f = new Float32Array(bytes, o, stride);
    const none = u[2] === 0xffffffff && u[3] === 0xffffffff;
    generations.push({ call: firstCall + j, fun32: f[0], improved: u[1] === 1, winner: none ? -1 : u[3] * 2 ** 32 + u[2], x: f.slice(4) });
  }
  const last = generations.at(-1);
  return { generations, halt: head.halt, best: { x: Float64Array.from(last ? last.x : x0), f32: last ? last.fun32 : NaN } };
}

/**
 * Step g in float64, as step() would take it: the float32 winner is accepted only if float64
 * agrees it beats f(centre). A hand-over (the run goes on step by step from this step) where the two
 * disagree: float32 took a winner float64 refuses, or kept the centre while float64 takes the
 * winner (`winner()` regenerates it in float64), or f overflowed at the centre in float32.
 */
export function recheck(obj: Objective, st: BpmState, g: BpmGeneration, winner: () => Float64Array | null): { handOver: boolean; x: Float64Array; fun: number } {
  if (g.improved) {
    const x = Float64Array.from(g.x);
    const fun = orderValue(obj.js(x)); // the float64 value at the float32 point
    return { handOver: !(fun < st.fun), x, fun };
  }
  // +inf at the centre in float32 (overflow): no verdict, the oracle re-ranks in float64
  if (!Number.isFinite(g.fun32)) return { handOver: true, x: st.x, fun: st.fun };
  const y = g.winner >= 0 ? winner() : null;
  return { handOver: !!y && orderValue(obj.js(y)) < st.fun, x: st.x, fun: st.fun };
}
