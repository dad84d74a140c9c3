/**
 * Cross-entropy method (CEM) for continuous minimisation with a diagonal Gaussian, after
 * P.-T. de Boer, D. P. Kroese, S. Mannor, R. Y. Rubinstein, "A Tutorial on the Cross-Entropy
 * Method", Annals of Operations Research 134 (2005) 19-67 (the elite-fitting update of the normal
 * family and the smoothed updating v <- alpha v~ + (1 - alpha) v), and D. P. Kroese, S. Porotsky,
 * R. Y. Rubinstein, "The Cross-Entropy Method for Continuous Multi-Extremal Optimization",
 * Methodology and Computing in Applied Probability 8 (2006) 383-407 (dynamic smoothing of the
 * standard deviations, beta_t = beta - beta (1 - 1/t)^q, available with q > 0).
 *
 * Each step: N points y ~ N(mu, diag(s^2)) are drawn on the engine (ctx.topk, one call), the
 * ceil(rho N) best (the elites) are returned, and
 *     mu <- alpha mean(elites) + (1 - alpha) mu,     s <- beta_t std(elites) + (1 - beta_t) s.
 *
 * What is ours:
 * - Restarts (as CMA-ES's IPOP, without the population growth): when the standard deviations have
 *   collapsed (max_i s_i / s0_i < tolX) or the elites' values span less than tolFun, the run
 *   restarts from a uniform point of the bounds (x0 when unbounded) with the initial deviations,
 *   keeping the best point. Without restarts (or budget for one more step) it reports 'converged'.
 * - A floor s_i >= 1e-15 s0_i keeps the engine's Gaussian valid (deviations must be > 0).
 * - With bounds the engine folds samples into the box, and the elites are the folded points, so
 *   mu stays in the box (a convex combination of points in it).
 * - A last step the budget cannot pay in full uses the evaluations left (elites ceil(rho N')).
 */
import { BroxError, preview } from '../errors.js';
import type { Bounds } from '../samplers/types.js';
import { checkInteger, checkNumber } from '../validate.js';
import { uniformInBox } from './linalg.js';
import { cemResident } from './cem-resident.js';
import type { Method, MethodContext, StepReport } from './types.js';

export interface CemParams {
  /** Population N per step. */
  samples: number;
  /** Elite fraction rho: the ceil(rho N) best points are fitted. */
  rho: number;
  /** Smoothing of the mean (alpha) and of the standard deviations (beta). */
  alpha: number;
  beta: number;
  /** Dynamic smoothing exponent q (Kroese et al. 2006): beta_t = beta - beta (1 - 1/t)^q; 0 = constant beta. */
  q: number;
  /** Initial standard deviation, one number for every coordinate (unbounded runs; with bounds the default is per coordinate). */
  sigma0: number | number[];
  restarts: boolean;
  /** A run stops when every s_i < tolX * s0_i, or when the elites' values span less than tolFun. */
  tolX: number;
  tolFun: number;
}

/** topk returns at most 4096 points. */
const MAX_ELITES = 4096;

export interface CemState {
  p: CemParams;
  n: number;
  x0: Float64Array;
  s0: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  /** Steps of the current run (t of the dynamic smoothing, 1-based after the first step). */
  t: number;
  restarts: number;
  runStops: string[];
  bestX: Float64Array;
  bestF: number;
  /** The current run goes on in float64 (its float32 values stopped telling the elites apart on the GPU); cleared at a restart. */
  float64: boolean;
}

const meanStd = (s: Float64Array): number => s.reduce((a, b) => a + b, 0) / s.length;

export const cem: Method<CemParams, CemState> = {
  name: 'cem',
  description: 'cross-entropy method, diagonal Gaussian with smoothed elite updates (de Boer et al. 2005) and restarts',

  defaults(dim: number, bounds: Bounds | null): CemParams {
    return {
      // N: the tutorial's examples use N of a few hundred to a few thousand; we take 1000 (one engine
      // dispatch is cheap, and 100 elites estimate the 2d parameters well up to d = 50), and at least
      // 2d / rho so that the elites (<= 4096) outnumber the 2d fitted parameters in high d.
      samples: Math.max(1000, Math.ceil((2 * dim) / 0.1)),
      rho: 0.1, // de Boer et al. 2005, Sect. 3-4: rho = 0.01 ... 0.1 (0.1 for continuous problems)
      alpha: 0.7, // de Boer et al. 2005, smoothed updating: 0.4 <= alpha <= 0.9 works best
      beta: 0.7, // same smoothing for the deviations; constant (q = 0) by default, measured in test/methods-unit.test.ts
      q: 0, // Kroese, Porotsky, Rubinstein 2006 use beta in [0.8, 0.99], q in [5, 10] for dynamic smoothing
      // Initial deviations: half the box width per coordinate, i.e. close to uniform in the box once
      // folded (Kroese et al. 2006 start with deviations large against the domain); 1 when unbounded.
      sigma0: bounds ? Array.from(bounds.hi, (h, i) => 0.5 * (h - bounds.lo[i])) : 1,
      restarts: true, // ours, like CMA-ES's IPOP
      tolX: 1e-12, // as CMA-ES's TolX (Auger & Hansen 2005), relative to the initial deviations
      tolFun: 1e-12, // as CMA-ES's TolFun (Auger & Hansen 2005)
    };
  },

  params(user: Record<string, unknown>, d: CemParams): CemParams {
    const known = new Set(Object.keys(d));
    for (const k of Object.keys(user)) if (!known.has(k)) throw new BroxError(`params.${k}`, `unknown cem parameter; allowed: ${[...known].join(', ')}`);
    const p = { ...d, ...user } as Record<string, unknown>;
    if (typeof p.restarts !== 'boolean') throw new BroxError('params.restarts', `must be true or false, got ${preview(p.restarts)}`);
    const s0 = p.sigma0;
    let sigma0: number | number[];
    if (typeof s0 === 'number') sigma0 = checkNumber(s0, 'params.sigma0', 0, Number.MAX_VALUE, true);
    else if (Array.isArray(s0)) sigma0 = s0.map((v, i) => checkNumber(v, `params.sigma0[${i}]`, 0, Number.MAX_VALUE, true));
    else throw new BroxError('params.sigma0', `must be a number > 0 or an array of them, got ${preview(s0)}`);
    const samples = checkInteger(p.samples, 'params.samples', 2, Number.MAX_SAFE_INTEGER);
    const rho = checkNumber(p.rho, 'params.rho', 0, 1, true);
    if (Math.ceil(rho * samples) > MAX_ELITES) throw new BroxError('params.rho', `ceil(rho * samples) = ${Math.ceil(rho * samples)} elites exceeds ${MAX_ELITES} (the most points the engine returns)`);
    return {
      samples,
      rho,
      alpha: checkNumber(p.alpha, 'params.alpha', 0, 1, true),
      beta: checkNumber(p.beta, 'params.beta', 0, 1, true),
      q: checkNumber(p.q, 'params.q', 0, 1000),
      sigma0,
      restarts: p.restarts,
      tolX: checkNumber(p.tolX, 'params.tolX', 0, Number.MAX_VALUE),
      tolFun: checkNumber(p.tolFun, 'params.tolFun', 0, Number.MAX_VALUE),
    };
  },

  init(ctx: MethodContext, x0: Float64Array, p: CemParams): CemState {
    const n = ctx.dim;
    if (Array.isArray(p.sigma0) && p.sigma0.length !== n) throw new BroxError('params.sigma0', `must have ${n} entries (the dimension), got ${p.sigma0.length}`);
    const s0 = typeof p.sigma0 === 'number' ? new Float64Array(n).fill(p.sigma0) : Float64Array.from(p.sigma0);
    return { p, n, x0: Float64Array.from(x0), s0, mean: Float64Array.from(x0), std: Float64Array.from(s0), t: 0, restarts: 0, runStops: [], bestX: Float64Array.from(x0), bestF: Infinity, float64: false };
  },

  async step(ctx: MethodContext, st: CemState): Promise<StepReport> {
    const { n, p } = st;
    const left = ctx.evalsLeft();
    const prevBest = st.bestF;
    const info = () => cemInfo(st);
    const N = Math.min(p.samples, Math.floor(left));
    if (!(N >= 2)) return { x: st.bestX, fun: st.bestF, nfev: 0, radius: meanStd(st.std), improved: false, stop: 'max-evals', info: info() };
    const k = Math.min(MAX_ELITES, Math.max(2, Math.ceil(p.rho * N)));
    const res = await ctx.topk(st.mean, 1, { ball: { kind: 'gaussian', diag: st.std }, samples: N, k });
    if (res.values[0] < st.bestF) ((st.bestF = res.values[0]), (st.bestX = Float64Array.from(res.points[0])));
    const ne = res.points.length;
    const em = new Float64Array(n);
    for (const x of res.points) for (let j = 0; j < n; j++) em[j] += x[j] / ne;
    const es = new Float64Array(n);
    for (const x of res.points) for (let j = 0; j < n; j++) es[j] += (x[j] - em[j]) ** 2 / ne;
    st.t++;
    const beta = p.q > 0 ? p.beta - p.beta * (1 - 1 / st.t) ** p.q : p.beta;
    for (let j = 0; j < n; j++) {
      st.mean[j] = p.alpha * em[j] + (1 - p.alpha) * st.mean[j];
      st.std[j] = Math.max(beta * Math.sqrt(es[j]) + (1 - beta) * st.std[j], 1e-15 * st.s0[j]);
    }
    const radius = meanStd(st.std);
    let why: string | null = null;
    let collapsed = true;
    for (let j = 0; j < n && collapsed; j++) collapsed = st.std[j] < p.tolX * st.s0[j];
    if (collapsed) why = 'tolx';
    else if (res.values[ne - 1] - res.values[0] < p.tolFun) why = 'tolfun';
    const stop = why ? endRun(ctx, st, why, left - res.nfev) : undefined;
    return { x: st.bestX, fun: st.bestF, nfev: res.nfev, radius, improved: st.bestF < prevBest, index: res.indices[0], stop, info: info(), float64: st.float64 };
  },
  resident: cemResident,
};

export function cemInfo(st: CemState): Record<string, unknown> {
  return { restarts: st.restarts, std: meanStd(st.std), runStops: [...st.runStops] };
}

/**
 * A run ended for `why`: restart from a uniform point of the bounds (x0 when unbounded) with the
 * initial deviations while the budget pays a step, else the method stops. Shared by both executors.
 */
export function endRun(ctx: MethodContext, st: CemState, why: string, left: number): StepReport['stop'] {
  const { p } = st;
  st.runStops.push(why);
  if (p.restarts && left >= 2) {
    st.mean = ctx.bounds ? uniformInBox(ctx.bounds.lo, ctx.bounds.hi, () => ctx.random()) : Float64Array.from(st.x0);
    st.std = Float64Array.from(st.s0);
    st.t = 0;
    st.restarts++;
    st.float64 = false;
    return undefined;
  }
  return p.restarts ? 'max-evals' : 'converged'; // restarts on: only the budget ends a run
}
