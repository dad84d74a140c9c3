/**
 * Annealed smoothing (DIDA-style).
 *
 * OUR READING, not the paper's algorithm. Yi, Pan, Shi, Qu (2026), "Global Convergence of
 * Sampling-Based Nonconvex Optimization through Diffusion-Style Smoothing", arXiv 2605.16520, read
 * CEM and evolution strategies as gradient descent on a Gaussian-smoothed objective and anneal both
 * the smoothing and the weighting ("dual annealing"). Its exact update was not available to us; what
 * follows is the close relative written down in /work/shared/design/algorithms.md, Sect. 4 (inferred
 * from the same group's Model-Based Diffusion code):
 *
 *   for k = 0 .. K-1:
 *     sigma_k  = sigma_0  (sigma_min  / sigma_0 )^(k / (K-1))
 *     lambda_k = lambda_0 (lambda_min / lambda_0)^(k / (K-1))
 *     y_i = mu + sigma_k eps_i,  eps_i ~ N(0, I),  i = 1..N
 *     w_i = softmax_i(-(f(y_i) - mean f) / (std f * lambda_k))
 *     mu  = sum_i w_i y_i
 *
 * One engine call per step: ctx.moments(mu, sigma_k, { ball: 'gaussian', temperature: { relative:
 * lambda_k } }) returns sum_i w_i y_i with w_i = exp(-(f_i - f_min) / (lambda_k std f)), the same
 * softmax (shifting f by a constant does not change it). The weighted mean is a Monte-Carlo step
 * on the Gaussian-smoothed objective: for the Gibbs weights, sum w_i y_i - mu estimates
 * -sigma^2 grad log E[exp(-f(mu + sigma eps) / tau)], a gradient step of the smoothed objective.
 *
 * Also ours:
 * - K, the number of steps of one anneal, is planned from the budget: min(steps, floor(evalsLeft /
 *   (c N))), c the evaluations per sample that a moments call reports (2 on the engine, whose
 *   reduction evaluates every sample twice: statistics, then weights).
 * - The best sample of every step (MomentsResult.best) is kept and reported, and at the end of each
 *   anneal the final mean is evaluated once (ctx.evaluate), since the mean itself is never sampled.
 * - Restarts: when an anneal ends with budget for at least `minSteps` more steps, a new anneal starts
 *   from a uniform point of the bounds (x0 when unbounded) with sigma_0 again, keeping the best point.
 * - With bounds the engine folds samples into the box, so mu (a convex combination) stays in it.
 *
 * Measured (minimize(), CPU backend, 1e6 evaluations, 3 seeds, gap <= 1e-3): solves rastrigin,
 * ackley, levy, styblinski-tang at d = 5 and 10 and schwefel at d = 5, but not griewank (ends in a
 * neighbouring well, gap 1e-2 .. 2e-1: isotropic smoothing at the scale of its wells washes the
 * product term out) nor schwefel at d = 10 (needs a slower anneal than 1e6 / 2048 ~ 490 steps).
 */
import { BroxError, preview } from '../errors.js';
import type { Bounds } from '../samplers/types.js';
import { checkInteger, checkNumber } from '../validate.js';
import { uniformInBox } from './linalg.js';
import { annealedResident } from './annealed-resident.js';
import type { Method, MethodContext, StepReport } from './types.js';

export interface AnnealedParams {
  /** Samples N per step. */
  samples: number;
  /** Noise scale: sigma_0 at the start of an anneal, sigma_min at its end. */
  sigma0: number;
  sigmaMin: number;
  /** Relative temperature: lambda_0 at the start, lambda_min at the end. */
  lambda0: number;
  lambdaMin: number;
  /** Most steps of one anneal (the budget may plan fewer). */
  steps: number;
  restarts: boolean;
  /** A restart needs budget for at least this many steps. */
  minSteps: number;
}

export interface AnnealedState {
  p: AnnealedParams;
  x0: Float64Array;
  mu: Float64Array;
  /** Step within the current anneal, and the anneal's planned length K. */
  k: number;
  K: number;
  anneals: number;
  /** Evaluations per sample of a moments call (the engine's reduction evaluates each sample twice:
   *  statistics, then weights); learnt from the first call's nfev. */
  cost: number;
  bestX: Float64Array;
  bestF: number;
}

function plan(p: AnnealedParams, left: number, cost: number): number {
  return Math.max(1, Math.min(p.steps, Math.floor(left / (cost * p.samples))));
}

/** Step k of an anneal of K steps: sigma_k and lambda_k, geometric from their start to their end (twin: shaders/methods/annealed-schedule.wgsl). */
export function schedule(p: AnnealedParams, k: number, K: number): { sigma: number; lambda: number } {
  const frac = K > 1 ? Math.min(1, k / (K - 1)) : 1;
  return { sigma: p.sigma0 * (p.sigmaMin / p.sigma0) ** frac, lambda: p.lambda0 * (p.lambdaMin / p.lambda0) ** frac };
}

/**
 * An anneal ended (its mean `mu` evaluated: fm): keep the mean when best, then restart from a
 * uniform point while the budget pays `minSteps` steps, polish at sigma_min while it pays a few, or
 * stop. Shared by both executors; `left` is the budget after the mean's evaluation.
 */
export function endAnneal(ctx: MethodContext, st: AnnealedState, fm: number, left: number): StepReport['stop'] {
  const { p } = st;
  if (fm < st.bestF) ((st.bestF = fm), (st.bestX = Float64Array.from(st.mu)));
  if (p.restarts && left >= p.minSteps * p.samples * st.cost) {
    st.mu = ctx.bounds ? uniformInBox(ctx.bounds.lo, ctx.bounds.hi, () => ctx.random()) : Float64Array.from(st.x0);
    st.k = 0;
    st.K = plan(p, left, st.cost);
    st.anneals++;
    return undefined;
  }
  if (!p.restarts || affordable(p, left, st.cost) < 2) return p.restarts ? 'max-evals' : 'converged'; // restarts on: only the budget ends a run
  // Budget for a few steps but not a whole anneal: polish around the best point at sigma_min.
  st.mu = Float64Array.from(st.bestX);
  st.k = st.K - 1;
  return undefined;
}

/** Samples one moments call can afford with `left` evaluations, one kept for the final mean. */
const affordable = (p: AnnealedParams, left: number, cost: number): number => Math.min(p.samples, Math.floor((left - 1) / cost));

export const annealed: Method<AnnealedParams, AnnealedState> = {
  name: 'annealed',
  description: 'annealed smoothing (DIDA-style, our reading of arXiv 2605.16520): softmin-weighted Gaussian means with annealed noise and temperature',

  defaults(dim: number, bounds: Bounds | null): AnnealedParams {
    let sigma0 = 1; // unbounded: unit scale, as CMA-ES's default
    if (bounds) {
      let w = 0;
      for (let i = 0; i < dim; i++) w += bounds.hi[i] - bounds.lo[i];
      sigma0 = (0.3 * w) / dim; // as CMA-ES's sigma0 (0.3 x mean box width): smooths away wells smaller than the box
    }
    return {
      // Ours, measured (test/methods-unit.test.ts): 1024 samples per step up to d = 16, then 64 per
      // coordinate so that the weighted mean's noise (~ sigma / sqrt(ESS)) does not grow with d.
      samples: Math.max(1024, 64 * dim),
      sigma0,
      sigmaMin: 1e-6 * sigma0, // ours: six decades of annealing, below the 1e-3 success gaps of the bench
      lambda0: 1, // ours: temperature = one standard deviation of f at the start (algorithms.md Sect. 4's form)
      lambdaMin: 0.05, // ours: nearly greedy at the end (weights on the few best samples)
      steps: 1000, // ours: the length of one anneal when the budget allows more
      restarts: true,
      minSteps: 50, // ours: a restart shorter than this cannot anneal from sigma_0 to sigma_min usefully
    };
  },

  params(user: Record<string, unknown>, d: AnnealedParams): AnnealedParams {
    const known = new Set(Object.keys(d));
    for (const k of Object.keys(user)) if (!known.has(k)) throw new BroxError(`params.${k}`, `unknown annealed parameter; allowed: ${[...known].join(', ')}`);
    const p = { ...d, ...user } as Record<string, unknown>;
    if (typeof p.restarts !== 'boolean') throw new BroxError('params.restarts', `must be true or false, got ${preview(p.restarts)}`);
    const sigma0 = checkNumber(p.sigma0, 'params.sigma0', 0, Number.MAX_VALUE, true);
    const lambda0 = checkNumber(p.lambda0, 'params.lambda0', 0, Number.MAX_VALUE, true);
    return {
      samples: checkInteger(p.samples, 'params.samples', 2, Number.MAX_SAFE_INTEGER),
      sigma0,
      sigmaMin: checkNumber(p.sigmaMin, 'params.sigmaMin', 0, sigma0, true),
      lambda0,
      lambdaMin: checkNumber(p.lambdaMin, 'params.lambdaMin', 0, lambda0, true),
      steps: checkInteger(p.steps, 'params.steps', 1, Number.MAX_SAFE_INTEGER),
      restarts: p.restarts,
      minSteps: checkInteger(p.minSteps, 'params.minSteps', 1, Number.MAX_SAFE_INTEGER),
    };
  },

  init(ctx: MethodContext, x0: Float64Array, p: AnnealedParams): AnnealedState {
    const cost = 2; // until the first call tells
    return { p, x0: Float64Array.from(x0), mu: Float64Array.from(x0), k: 0, K: plan(p, ctx.evalsLeft(), cost), anneals: 1, cost, bestX: Float64Array.from(x0), bestF: Infinity };
  },

  async step(ctx: MethodContext, st: AnnealedState): Promise<StepReport> {
    const { p } = st;
    const left = ctx.evalsLeft();
    const prevBest = st.bestF;
    const { sigma, lambda } = schedule(p, st.k, st.K);
    const info = (): Record<string, unknown> => ({ anneal: st.anneals, k: st.k, K: st.K, lambda });
    const N = affordable(p, left, st.cost);
    if (!(N >= 2)) return { x: st.bestX, fun: st.bestF, nfev: 0, radius: sigma, improved: false, stop: 'max-evals', info: info() };
    const res = await ctx.moments(st.mu, sigma, { ball: 'gaussian', samples: N, temperature: { relative: lambda }, second: 'none' });
    let nfev = res.nfev;
    st.cost = Math.max(1, res.nfev / N);
    if (res.bestFun < st.bestF) ((st.bestF = res.bestFun), (st.bestX = Float64Array.from(res.best)));
    if (res.mean.every(Number.isFinite)) st.mu = Float64Array.from(res.mean);
    st.k++;
    const last = st.k >= st.K || affordable(p, left - nfev, st.cost) < 2;
    let stop: StepReport['stop'];
    if (last) {
      const [fm] = await ctx.evaluate([st.mu]);
      nfev += 1;
      stop = endAnneal(ctx, st, fm, left - nfev);
    }
    return { x: st.bestX, fun: st.bestF, nfev, radius: sigma, improved: st.bestF < prevBest, index: res.bestIndex, stop, info: info() };
  },
  resident: annealedResident,
};
