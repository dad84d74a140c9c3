import { BroxError } from '../errors';
import { createOracle } from '../oracle/create';
import { orderValue } from '../oracle/finish';
import { resolveObjective } from '../oracle/inputs';
import type { BackendChoice, BackendName, ObjectiveInput, Oracle } from '../oracle/types';
import { DEFAULT_SAMPLES } from '../oracle/types';
import { checkInteger, checkPoint, checkRadius, checkSamples, checkSeed } from '../validate';
import { STATUS, type BpmStatus } from './status';

export type { BpmStatus } from './status';

export interface BpmHistoryEntry {
  /** Iteration number (1-based: entry k describes x_k). */
  k: number;
  x: number[];
  fun: number;
  /** ||x_k - x_{k-1}||; 0 when the oracle returned the centre. */
  step: number;
  radius: number;
  /** Objective evaluations of this iteration. */
  nfev: number;
  /** Wall time of this iteration's oracle call, ms. */
  ms: number;
  improved: boolean;
}

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
  /** Stop once f(x_k) <= fTarget. */
  fTarget?: number;
  /** Stop when (f_{k-1} - f_k) <= ftol * max(|f_{k-1}|, |f_k|, 1). Default 0 (off). */
  ftol?: number;
  /** Samples per oracle call (default 2^20). */
  samples?: number;
  seed?: number;
  /** Oracle to use; when absent one is created from `backend` and destroyed at the end. */
  oracle?: Oracle;
  backend?: BackendChoice;
  /** Called after each iteration; return true to stop. */
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

function checkNumber(v: unknown, argument: string, lo: number, hi: number, loOpen = false): number {
  const ok = typeof v === 'number' && !Number.isNaN(v) && (loOpen ? v > lo : v >= lo) && v <= hi;
  if (!ok) throw new BroxError(argument, `must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${String(v)}`);
  return v as number;
}

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
  const fTarget = options.fTarget === undefined ? -Infinity : checkNumber(options.fTarget, 'fTarget', -Number.MAX_VALUE, Number.MAX_VALUE);
  const ftol = checkNumber(options.ftol ?? 0, 'ftol', 0, 1);
  const samples = checkSamples(options.samples ?? DEFAULT_SAMPLES, 'samples');
  const seed = checkSeed(options.seed ?? 0, 'seed');
  if (options.callback !== undefined && typeof options.callback !== 'function') throw new BroxError('callback', 'must be a function');

  const oracle = options.oracle ?? (await createOracle({ backend: options.backend ?? 'auto' }));
  try {
    let fun = orderValue(obj.js(x));
    let nfev = 1;
    let nit = 0;
    let t = radius0;
    const history: BpmHistoryEntry[] = [];
    let status: BpmStatus = 'max-iter';
    if (fun <= fTarget) status = 'target-reached';
    else {
      for (;;) {
        if (nit >= maxIter) break;
        const n = Math.min(samples, maxEvals - nfev);
        if (n < 1) {
          status = 'max-evals';
          break;
        }
        const r = await oracle.brox(obj, x, t, { samples: n, seed, call: nit });
        nit++;
        nfev += n; // the centre's value is already known
        const step = r.improved ? dist(r.x, x) : 0;
        const prev = fun;
        if (r.improved) {
          x = Float64Array.from(r.x);
          fun = r.fun;
        }
        const entry: BpmHistoryEntry = { k: nit, x: Array.from(x), fun, step, radius: t, nfev: n, ms: r.ms, improved: r.improved };
        history.push(entry);
        if (!r.improved) {
          status = 'fixed-point';
          break;
        }
        if (fun <= fTarget) {
          status = 'target-reached';
          break;
        }
        if (ftol > 0 && prev - fun <= ftol * Math.max(Math.abs(prev), Math.abs(fun), 1)) {
          status = 'ftol';
          break;
        }
        if (options.callback && (await options.callback({ x: Array.from(x), fun, nit, nfev, radius: t, last: entry })) === true) {
          status = 'callback-stop';
          break;
        }
        t = Math.max(radiusMin, t * decay);
      }
    }
    const { success, message } = STATUS[status];
    return { x: Array.from(x), fun, nit, nfev, success, status, message, history, backend: oracle.backend };
  } finally {
    if (!options.oracle) oracle.destroy();
  }
}
