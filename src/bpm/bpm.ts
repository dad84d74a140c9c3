import { BroxError } from '../errors.js';
import { makeYielder } from '../yield.js';
import { runResidentBpm, type ResidentStep } from '../methods/bpm-resident.js';
import { createOracle } from '../oracle/create.js';
import { orderValue } from '../oracle/cpu-scan.js';
import { resolveObjective } from '../oracle/inputs.js';
import { checkBounds, checkInside } from '../samplers/bounds.js';
import { pointOf } from '../samplers/point.js';
import type { GeneratorName } from '../rng/generator.js';
import { prepareSampler } from '../samplers/spec.js';
import type { BoundsSpec, SamplerSpec } from '../samplers/types.js';
import type { BackendChoice, BackendName, ObjectiveInput, Oracle } from '../oracle/types.js';
import { DEFAULT_SAMPLES } from '../oracle/types.js';
import { checkInteger, checkNumber, checkPoint, checkRadius, checkSamples, checkSeed } from '../validate.js';
import { STATUS, type BpmHistoryEntry, type BpmStatus } from '../methods/status.js';

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
   * Run the loop on the GPU when the oracle can (WebGPU): `batch` steps per queue submission, the
   * centre never leaves the GPU, stopping rules evaluated there, one readback per batch. Default
   * true. Steps compare values in float32 there (the step-by-step loop compares in float64).
   */
  resident?: boolean;
  /** Steps per submission of the GPU-resident loop (default 100). */
  batch?: number;
  /**
   * Called after every iteration except one that itself ends the run (fixed point, target, ftol);
   * return true to stop. It may use the oracle (the GPU-resident loop releases it between batches).
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

const dist = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};

/** Ball Proximal Point Method: x_{k+1} = brox_t(x_k) by the sampled oracle. */
export async function bpm(objective: ObjectiveInput, x0: ArrayLike<number>, options: BpmOptions): Promise<BpmResult> {
  if (!options || typeof options !== 'object') throw new BroxError('options', 'must be an object with at least { radius }');
  const obj = resolveObjective(objective, (x0 as ArrayLike<number> | undefined)?.length);
  let x = checkPoint(x0, obj.dim, 'x0');
  const radius0 = checkRadius(options.radius, 'radius');
  const decay = checkNumber(options.radiusDecay ?? 1, 'radiusDecay', 0, 1, true);
  const radiusMin = checkNumber(options.radiusMin ?? 0, 'radiusMin', 0, radius0);
  const maxIter = checkInteger(options.maxIter ?? 100, 'maxIter', 0, 1e9);
  const maxEvals = options.maxEvals === undefined ? Infinity : checkInteger(options.maxEvals, 'maxEvals', 1, Number.MAX_SAFE_INTEGER);
  const fTarget = options.fTarget == null ? -Infinity : checkNumber(options.fTarget, 'fTarget', -Number.MAX_VALUE, Number.MAX_VALUE);
  const ftol = checkNumber(options.ftol ?? 0, 'ftol', 0, 1);
  const samples = checkSamples(options.samples ?? DEFAULT_SAMPLES, 'samples');
  const seed = checkSeed(options.seed ?? 0, 'seed');
  if (options.callback !== undefined && typeof options.callback !== 'function') throw new BroxError('callback', 'must be a function');

  const sampler = prepareSampler(options.ball, obj.dim, options.generator);
  const bounds = checkBounds(options.bounds, obj.dim);
  checkInside(x, bounds, 'x0');
  const keep = options.history === undefined || options.history === true ? Infinity : options.history === false ? 0 : checkInteger(options.history, 'history', 0, 1e9);
  const signal = options.signal;
  const resident = options.resident ?? true;
  const batch = checkInteger(options.batch ?? 100, 'batch', 1, 100000);
  const radiusAt = (k: number) => Math.max(radiusMin, radius0 * decay ** k);

  const oracle = options.oracle ?? (await createOracle({ backend: options.backend ?? 'auto' }));
  try {
    let fun = orderValue(obj.js(x));
    let nfev = 1;
    let nit = 0;
    const history: BpmHistoryEntry[] = [];
    const record = (e: BpmHistoryEntry) => {
      if (keep === 0) return;
      history.push(e);
      if (history.length > keep) history.shift();
    };
    let status: BpmStatus | null = fun <= fTarget ? 'target-reached' : null;
    const callback = options.callback;
    const report = async (entry: BpmHistoryEntry): Promise<boolean> =>
      !!callback && (await callback({ x: entry.x, fun, nit, nfev, radius: entry.radius, last: entry })) === true;

    // Phase 1, GPU-resident: whole steps, as many as maxIter and the evaluation budget allow. The
    // GPU compares in float32; each step is re-checked here in float64, and the first step that is
    // not strictly better in float64 (or a float32-only stop) hands over to the step-by-step loop,
    // which repeats that step (same RNG call) with float64 acceptance.
    // A full M-norm ball with bounds checks each folded sample against the ball around the current
    // centre, which the resident loop keeps only on the GPU: such runs go step by step.
    const residentOk = !(bounds && sampler.plugin.ball && sampler.map.kind === 'full');
    if (status === null && resident && residentOk && oracle.engine && samples <= 2 ** 34) {
      const maxSteps = Math.min(maxIter - nit, Math.floor((maxEvals - nfev) / samples));
      let handOver = false;
      let stoppedByCallback = false;
      let stoppedOnHost: BpmStatus | null = null;
      if (maxSteps > 0) {
        const engine = oracle.engine;
        await runResidentBpm(engine, {
          objective: obj, sampler, bounds, signal, x0: x, seed, samples, radiusAt,
          fTarget: Math.max(fTarget, -3.4e38), ftol, maxSteps, batch,
          onBatch: async (steps: ResidentStep[], stop: number) => {
            for (const [j, st] of steps.entries()) {
              const ends = stop !== 0 && j === steps.length - 1; // the step that stopped the run on the GPU
              let xNew = x;
              let fNew = fun;
              if (!st.improved && !Number.isFinite(st.fun32)) {
                handOver = true; // +inf at the centre in float32 (overflow): no verdict; oracle.brox re-ranks in float64
                return true;
              }
              if (st.improved) {
                xNew = Float64Array.from(st.x);
                fNew = orderValue(obj.js(xNew)); // float64 value at the float32 point
                if (!(fNew < fun)) {
                  handOver = true; // uphill or flat in float64: let the float64 loop redo this step
                  return true;
                }
              } else if (st.winner >= 0) {
                // float32 kept the centre; the step-by-step loop would accept the winner if float64 says it is better
                const y = pointOf({ objective: obj, sampler, bounds, seed, call: st.k, round: 0, center: x, t: radiusAt(st.k), outer: x, tOuter: Infinity }, st.winner);
                if (y && orderValue(obj.js(y)) < fun) {
                  handOver = true;
                  return true;
                }
              }
              // the stopping rules, in float64 exactly as the step-by-step loop applies them
              const hostStop: BpmStatus | null = !st.improved
                ? radiusAt(st.k + 1) >= radiusAt(st.k) ? 'fixed-point' : null
                : fNew <= fTarget ? 'target-reached'
                : ftol > 0 && fun - fNew <= ftol * Math.max(Math.abs(fun), Math.abs(fNew), 1) ? 'ftol' : null;
              if (ends && hostStop === null) {
                handOver = true; // the GPU stopped on a float32-only condition
                return true;
              }
              nit++;
              nfev += samples;
              const entry: BpmHistoryEntry = { k: nit, x: Array.from(xNew), fun: fNew, step: st.improved ? dist(xNew, x) : 0, radius: radiusAt(st.k), nfev: samples, ms: st.ms, improved: st.improved, index: st.index };
              x = xNew;
              fun = fNew;
              record(entry);
              if (hostStop !== null) {
                stoppedOnHost = hostStop; // met in float64 (possibly before the GPU saw it in float32)
                return true;
              }
              if (await report(entry)) {
                stoppedByCallback = true;
                return true;
              }
            }
            return false;
          },
        }).catch(async (e) => {
          // The device went away mid-batch: the steps of completed batches are kept, and the
          // step-by-step loop redoes the lost batch (same RNG calls, so the same path) through
          // oracle.brox, which replaces an owned device or reports DEVICE_LOST for a borrowed one.
          const gone = engine.lost !== null || (await Promise.race([engine.device.lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 100))]));
          if (!gone || signal?.aborted) throw e;
          handOver = true;
        });
        if (stoppedByCallback) status = 'callback-stop';
        else if (handOver) status = null;
        else status = stoppedOnHost; // null: the GPU ran all its steps; phase 2 decides max-iter / max-evals
      }
    }

    // Phase 2, step by step (CPU backend, resident: false, or a last partial step of the budget).
    const pause = makeYielder();
    while (status === null) {
      await pause();
      if (signal?.aborted) throw new BroxError('signal', 'the run was aborted', 'ABORTED');
      if (nit >= maxIter) {
        status = 'max-iter';
        break;
      }
      const n = Math.min(samples, maxEvals - nfev);
      if (n < 1) {
        status = 'max-evals';
        break;
      }
      const t = radiusAt(nit);
      const r = await oracle.brox(obj, x, t, { samples: n, seed, call: nit, ball: options.ball, generator: options.generator, bounds: options.bounds, signal });
      nit++;
      nfev += n; // the centre's value is already known
      const step = r.improved ? dist(r.x, x) : 0;
      const prev = fun;
      if (r.improved) {
        x = Float64Array.from(r.x);
        fun = r.fun;
      }
      const entry: BpmHistoryEntry = { k: nit, x: Array.from(x), fun, step, radius: t, nfev: n, ms: r.ms, improved: r.improved, index: r.index };
      record(entry);
      // A fixed point counts once the radius stops shrinking: a decay schedule goes on with a smaller ball.
      if (!r.improved && radiusAt(nit) >= t) status = 'fixed-point';
      else if (r.improved && fun <= fTarget) status = 'target-reached';
      else if (r.improved && ftol > 0 && prev - fun <= ftol * Math.max(Math.abs(prev), Math.abs(fun), 1)) status = 'ftol';
      else if (await report(entry)) status = 'callback-stop';
    }
    const { success, message } = STATUS[status];
    return { x: Array.from(x), fun, nit, nfev, success, status, message, history, backend: oracle.backend };
  } finally {
    if (!options.oracle) oracle.destroy();
  }
}
