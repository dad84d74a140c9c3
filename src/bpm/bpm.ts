import { BroxError } from '../errors.js';
import { minimize } from '../methods/minimize.js';
import { resolveObjective } from '../oracle/inputs.js';
import type { GeneratorName } from '../rng/generator.js';
import { prepareSampler } from '../samplers/spec.js';
import type { BoundsSpec, SamplerSpec } from '../samplers/types.js';
import type { BackendChoice, BackendName, ObjectiveInput, Oracle } from '../oracle/types.js';
import { DEFAULT_SAMPLES } from '../oracle/types.js';
import { checkInteger, checkNumber, checkPoint, checkRadius, checkSamples } from '../validate.js';
import type { BpmHistoryEntry, BpmStatus } from '../methods/status.js';

export type { BpmHistoryEntry, BpmStatus } from '../methods/status.js';


export interface BpmIntermediate {
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  radius: number;
  last: BpmHistoryEntry;
}

export interface BpmOptions {
  /** Ball radius t (> 0). Constant unless radiusDecay < 1. */
  radius: number;
  /** t_k = max(radiusMin, radius * radiusDecay^k); default 1 (constant radius, the papers' setting). */
  radiusDecay?: number;
  radiusMin?: number;
  /** Default 100. */
  maxIter?: number;
  /** Budget of objective evaluations, x0 included. Default: unlimited. */
  maxEvals?: number;
  /** Stop once f(x_k) <= fTarget; absent or null: no target (as bounds: null is no bounds). */
  fTarget?: number | null;
  /** Stop when (f_{k-1} - f_k) <= ftol * max(|f_{k-1}|, |f_k|, 1). Default 0 (off). */
  ftol?: number;
  /** Ball of every step (default 'l2'), as in oracle.brox. */
  ball?: SamplerSpec;
  /** Random generator of the samples, as in oracle.brox: 'reference' (default) or 'lean'. */
  generator?: GeneratorName;
  /** Box [lo, hi]: no sample is evaluated outside it; x0 must lie inside. */
  bounds?: BoundsSpec | null;
  /** Keep per-iteration history: true (default), false, or the number of last entries to keep. */
  history?: boolean | number;
  signal?: AbortSignal;
  /** Samples per oracle call (default 2^20). */
  samples?: number;
  seed?: number;
  /** Oracle to use; when absent one is created from `backend` and destroyed at the end. */
  oracle?: Oracle;
  backend?: BackendChoice;
  /**
   * Run the loop on the GPU when the oracle can (WebGPU): up to `batch` steps per queue submission
   * (fewer when a batch would take over about a second), the centre never leaves the GPU, stopping
   * rules evaluated there, one readback per batch. Default true. The GPU compares values in
   * float32; the host re-checks every step in float64 and, where the two disagree, goes on step by
   * step from that step (same samples).
   */
  resident?: boolean;
  /** Steps per submission of the GPU-resident loop (default 100, at most 4096). */
  batch?: number;
  /**
   * Called after every iteration except one that itself ends the run (fixed point, target, ftol);
   * return true to stop. It may use the oracle (the GPU-resident loop calls it for each step of a
   * batch after the batch's readback, with the oracle released).
   */
  callback?: (state: BpmIntermediate) => boolean | void | Promise<boolean | void>;
}

export interface BpmResult {
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  success: boolean;
  status: BpmStatus;
  message: string;
  history: BpmHistoryEntry[];
  backend: BackendName;
}

/** bpm()'s maxIter when not given (the papers' runs are short; minimize's budget-driven default is far larger). */
export const BPM_MAX_ITER = 100;

const BPM_OPTIONS = ['radius', 'radiusDecay', 'radiusMin', 'maxIter', 'maxEvals', 'fTarget', 'ftol', 'ball', 'generator', 'bounds', 'history', 'signal', 'samples', 'seed', 'oracle', 'backend', 'resident', 'batch', 'callback'];

/**
 * Ball Proximal Point Method: x_{k+1} = brox_t(x_k) by the sampled oracle — the papers' plain BPM
 * (one whole ball per step, constant or geometric radius, no restarts) with bpm()'s option names.
 * A thin form of minimize(…, { method: 'bpm' }): one implementation (src/methods/bpm.ts), whose
 * resident form runs the loop on the GPU (src/methods/bpm-resident.ts).
 */
export async function bpm(objective: ObjectiveInput, x0: ArrayLike<number>, options: BpmOptions): Promise<BpmResult> {
  if (!options || typeof options !== 'object') throw new BroxError('options', 'must be an object with at least { radius }');
  for (const k of Object.keys(options)) if (!BPM_OPTIONS.includes(k)) throw new BroxError(k, `is not an option of bpm(); allowed: ${BPM_OPTIONS.join(', ')} (minimize() takes method parameters such as decay or minRatio)`);
  // bpm()'s own names are checked here; the options minimize() shares (maxIter, maxEvals, fTarget,
  // seed, bounds, history, batch, callback, generator) are checked there, under the same names
  const obj = resolveObjective(objective, (x0 as ArrayLike<number> | undefined)?.length);
  checkPoint(x0, obj.dim, 'x0');
  const radius = checkRadius(options.radius, 'radius');
  const decay = checkNumber(options.radiusDecay ?? 1, 'radiusDecay', 0, 1, true);
  const radiusMin = checkNumber(options.radiusMin ?? 0, 'radiusMin', 0, radius);
  const ftol = checkNumber(options.ftol ?? 0, 'ftol', 0, 1);
  const samples = checkSamples(options.samples ?? DEFAULT_SAMPLES, 'samples');
  if (options.maxEvals !== undefined) checkInteger(options.maxEvals, 'maxEvals', 1, Number.MAX_SAFE_INTEGER);
  prepareSampler(options.ball, obj.dim, options.generator); // BroxError naming ball or generator
  const user = options.callback;
  if (user !== undefined && typeof user !== 'function') throw new BroxError('callback', 'must be a function');
  const r = await minimize(obj, x0, {
    method: 'bpm',
    bounds: options.bounds ?? null, // bpm() is unbounded unless given a box
    maxIter: options.maxIter ?? BPM_MAX_ITER,
    maxEvals: options.maxEvals ?? Number.MAX_SAFE_INTEGER,
    fTarget: options.fTarget,
    seed: options.seed,
    generator: options.generator,
    history: options.history,
    signal: options.signal,
    oracle: options.oracle,
    backend: options.backend,
    resident: options.resident,
    batch: options.batch ?? 100,
    finish64: false, // BPM never asks for it
    params: {
      radius, samples, ftol, radiusMin,
      schedule: decay === 1 ? 'constant' : 'geometric', decay,
      ball: options.ball ?? 'l2', polish: 0, rounds: 1, progress: 'best', shape: 'none', restarts: false, certificate: false,
    },
    callback: user && ((s) => user({ x: s.x, fun: s.fun, nit: s.nit, nfev: s.nfev, radius: s.radius, last: s.last })),
  });
  const { x, fun, nit, nfev, success, message, history, backend } = r;
  return { x, fun, nit, nfev, success, status: r.status as BpmStatus, message, history, backend };
}
