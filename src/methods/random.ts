/**
 * Random search in the box: the best of uniform samples, the floor every method must beat
 * (pure random search, e.g. Zhigljavsky & Zilinskas, "Stochastic Global Optimization", 2008, Ch. 2).
 *
 * The engine has no "uniform in a box" sampler, so ours: one ctx.topk call per step (k = 1) with
 * ball 'linf' around the box centre c and radius T, every sample folded into the box by the engine
 * (triangle wave, src/samplers/bounds.ts). Folding maps u ~ U[c_i - T, c_i + T] onto [lo_i, hi_i]
 * piece by piece, each piece of length 2 h_i (h_i the half width) onto the whole side. So:
 * - T / h_i an odd integer: exactly uniform in coordinate i (the interval is a whole number of
 *   pieces). A cube (all h_i equal) with T = h is exactly uniform, and so is every box whose
 *   ratios h_max / h_i are odd integers (T = h_max).
 * - Otherwise: T = K h_max with K odd (param `oversize`, default 101): coordinate i covers
 *   floor(T / h_i) >= K whole pieces plus a partial one, so the density is uniform within a factor
 *   1 + 1/K (<= 1% at K = 101), exactly uniform in the widest coordinate. The cost is precision
 *   on the GPU: float32 offsets of size T lose log2(K) ~ 7 bits (relative 1e-5 of the width).
 *   Samples are never wasted (every folded sample is evaluated).
 * Without bounds there is nothing to be uniform in: init refuses with BroxError('bounds').
 */
import { BroxError } from '../errors.js';
import type { Bounds } from '../samplers/types.js';
import { checkInteger } from '../validate.js';
import { randomResident } from './random-resident.js';
import type { Method, MethodContext, StepReport } from './types.js';

export interface RandomParams {
  /** Samples per step (one engine call each; the budget sets the number of steps). */
  samples: number;
  /** Odd multiple K of the largest half width used as the l_inf radius when the box is not exactly covered by T = h_max. */
  oversize: number;
}

export interface RandomState {
  p: RandomParams;
  center: Float64Array;
  /** l_inf radius of the sampling cube. */
  T: number;
  /** Mean half width (reported as the radius), and whether the sampling is exactly uniform. */
  halfWidth: number;
  exact: boolean;
  bestX: Float64Array;
  bestF: number;
  /** The run goes on in float64 (a float32 target on the GPU that float64 did not confirm). */
  float64: boolean;
}

/** T / h an odd integer, up to rounding. */
function oddMultiple(T: number, h: number): boolean {
  const r = T / h;
  const k = Math.round(r);
  return k % 2 === 1 && Math.abs(r - k) <= 1e-12 * r;
}

export function samplingCube(b: Bounds, oversize: number): { center: Float64Array; T: number; exact: boolean } {
  const d = b.lo.length;
  const center = new Float64Array(d);
  let hmax = 0;
  for (let i = 0; i < d; i++) {
    center[i] = 0.5 * (b.lo[i] + b.hi[i]);
    hmax = Math.max(hmax, 0.5 * (b.hi[i] - b.lo[i]));
  }
  const exactAt = (T: number): boolean => {
    for (let i = 0; i < d; i++) if (!oddMultiple(T, 0.5 * (b.hi[i] - b.lo[i]))) return false;
    return true;
  };
  if (exactAt(hmax)) return { center, T: hmax, exact: true };
  const T = oversize * hmax;
  return { center, T, exact: exactAt(T) };
}

export const randomSearch: Method<RandomParams, RandomState> = {
  name: 'random',
  description: 'random search: the best of uniform samples in the bounds (the baseline)',

  defaults(): RandomParams {
    return {
      samples: 1 << 16, // ours: one engine dispatch per step; the budget, not this, sets the total
      oversize: 101, // ours: density uniform within 1% (1 + 1/K) on boxes that are not cubes
    };
  },

  params(user: Record<string, unknown>, d: RandomParams): RandomParams {
    const known = new Set(Object.keys(d));
    for (const k of Object.keys(user)) if (!known.has(k)) throw new BroxError(`params.${k}`, `unknown random parameter; allowed: ${[...known].join(', ')}`);
    const p = { ...d, ...user } as Record<string, unknown>;
    const oversize = checkInteger(p.oversize, 'params.oversize', 1, 1 << 20);
    if (oversize % 2 !== 1) throw new BroxError('params.oversize', `must be an odd integer (an odd multiple of the half width keeps the fold uniform), got ${oversize}`);
    return { samples: checkInteger(p.samples, 'params.samples', 1, Number.MAX_SAFE_INTEGER), oversize };
  },

  init(ctx: MethodContext, x0: Float64Array, p: RandomParams): RandomState {
    const b = ctx.bounds;
    if (!b) throw new BroxError('bounds', "random search needs bounds: pass bounds [lo, hi] (uniform sampling needs a box)");
    const { center, T, exact } = samplingCube(b, p.oversize);
    let hw = 0;
    for (let i = 0; i < ctx.dim; i++) hw += 0.5 * (b.hi[i] - b.lo[i]);
    return { p, center, T, halfWidth: hw / ctx.dim, exact, bestX: Float64Array.from(x0), bestF: Infinity, float64: false };
  },

  async step(ctx: MethodContext, st: RandomState): Promise<StepReport> {
    const left = ctx.evalsLeft();
    const prevBest = st.bestF;
    const N = Math.min(st.p.samples, Math.floor(left));
    const info = { exact: st.exact, T: st.T };
    if (!(N >= 1)) return { x: st.bestX, fun: st.bestF, nfev: 0, radius: st.halfWidth, improved: false, stop: 'converged', info };
    const res = await ctx.topk(st.center, st.T, { ball: 'linf', samples: N, k: 1 });
    if (res.values[0] < st.bestF) ((st.bestF = res.values[0]), (st.bestX = Float64Array.from(res.points[0])));
    return { x: st.bestX, fun: st.bestF, nfev: res.nfev, radius: st.halfWidth, improved: st.bestF < prevBest, index: res.indices[0], info, float64: st.float64 };
  },
  resident: randomResident,
};
