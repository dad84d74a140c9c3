/**
 * CMA-ES: the standard (mu/mu_w, lambda)-CMA-ES of N. Hansen, "The CMA Evolution Strategy: A
 * Tutorial", arXiv:1604.00772 (2016/2023), with the IPOP restart scheme of A. Auger and N. Hansen,
 * "A Restart CMA Evolution Strategy With Increasing Population Size", CEC 2005, and the BIPOP
 * scheme of N. Hansen, "Benchmarking a BI-population CMA-ES on the BBOB-2009 function testbed",
 * GECCO 2009 workshop (restartStrategy 'bipop', the default: see endRun()).
 *
 * From the tutorial: the update equations of its Table / Sect. 4-5 (eq. numbers beside the code),
 * the default parameters of Appendix A (eq. 48-58, beside `strategy()`), E||N(0,I)|| and the
 * h_sigma rule (p. 28 / Appendix A), the lazy eigendecomposition (Appendix B.2), and the stopping
 * rules of Auger & Hansen 2005 (TolFun, TolX, NoEffectAxis, NoEffectCoord, ConditionCov) plus
 * TolXUp, Stagnation and MaxIter (the per-run budget cap) from Hansen 2009.
 *
 * What is ours:
 * - Only the mu positive weights (w_i = ln((lambda+1)/2) - ln i, i <= mu, normalised to sum 1); the
 *   tutorial's optional negative weights (active CMA, eq. 50-53) are not used, so sum w = 1 in eq. 47
 *   and the engine returns only the mu best points of each generation (ctx.topk, k = mu).
 * - Sampling is the engine's: one ctx.topk call draws the lambda points x_i = m + sigma (B D) z_i on
 *   the device and returns the mu best. With bounds the engine folds every sample into the box; we
 *   use the folded (repaired) points in the update, y_i = (x_i - m) / sigma: a repair (Lamarckian)
 *   boundary handling. Because sum w = 1 the new mean is a convex combination of points in the box.
 * - TolFun's "all function values of the recent generation" is the range of the mu returned values
 *   (the mu-th best is the population's median), and Stagnation's "median fitness" history is the
 *   mu-th best value.
 * - The IPOP population is capped so that mu <= 4096 (the most points ctx.topk returns).
 * - A last generation that the budget cannot pay in full is drawn with fewer points and only
 *   updates the best point (no distribution update: the run ends with it).
 * - Restart points: uniform in the bounds (ctx.random()), or x0 when the run is unbounded.
 */
import { BroxError, preview } from '../errors.js';
import type { BackendName } from '../oracle/types.js';
import type { Bounds } from '../samplers/types.js';
import { checkInteger, checkNumber } from '../validate.js';
import { matTVec, matVec, norm2, symmetricEigen, toRows, uniformInBox } from './linalg.js';
import { creditBest } from './resident-reports.js';
import { openCmaSession, RESIDENT_MAX_DIM, RESIDENT_MAX_LAMBDA, STOP_EQUALFUNVALS, STOP_NAMES, STOP_PRECISION, STOP_TARGET } from './cma-es-resident.js';
import type { Method, MethodContext, StepReport } from './types.js';

export interface CmaEsParams {
  /** Initial step size sigma0 (of every run, restarts included). */
  sigma0: number;
  /** Population size lambda of the first run; 0 = the tutorial's default 4 + floor(3 ln n). */
  popsize: number;
  /** Restarts while the budget lasts (see restartStrategy). */
  restarts: boolean;
  /**
   * 'ipop': every restart multiplies the population by incPopSize (Auger & Hansen 2005).
   * 'bipop' (Hansen 2009): those large-population runs interleaved with small-population runs of
   * random lambda and sigma0, the small ones spending at most as much as the large ones.
   */
  restartStrategy: 'ipop' | 'bipop';
  /** Population growth per restart. */
  incPopSize: number;
  /** TolFun: range of recent best values (and of the last generation) below which a run stops. */
  tolFun: number;
  /** TolX, relative to sigma0: a run stops when sigma * max(sqrt(C_ii), |p_c,i|) < tolX * sigma0. */
  tolX: number;
  /** TolXUp: a run stops when sigma * max(D) > tolXUp * sigma0 (divergence). */
  tolXUp: number;
  /** ConditionCov: a run stops when cond(C) exceeds it. */
  maxCondition: number;
}

/** The tutorial's strategy parameters for dimension n and population size lambda (Appendix A). */
export interface CmaStrategy {
  lambda: number;
  mu: number;
  weights: Float64Array;
  mueff: number;
  cm: number;
  cs: number;
  ds: number;
  cc: number;
  c1: number;
  cmu: number;
  chiN: number;
}

export function strategy(n: number, lambda: number): CmaStrategy {
  // eq. 48 (mu = floor(lambda / 2)), at most the engine's top-k limit: a larger lambda recombines
  // its 4096 best (any mu <= lambda / 2 with eq. 49's decreasing weights is a valid choice)
  const mu = Math.min(Math.floor(lambda / 2), MAX_MU);
  const weights = new Float64Array(mu);
  for (let i = 0; i < mu; i++) weights[i] = Math.log((lambda + 1) / 2) - Math.log(i + 1); // eq. 49 (w'_i, i <= mu)
  let sum = 0;
  for (const w of weights) sum += w;
  for (let i = 0; i < mu; i++) weights[i] /= sum; // eq. 53, positive part: sum_{i<=mu} w_i = 1
  let sq = 0;
  for (const w of weights) sq += w * w;
  const mueff = 1 / sq; // mu_eff = (sum w)^2 / sum w^2 (Sect. 2 / eq. 8)
  const alphaCov = 2; // eq. 57-58: alpha_cov = 2
  const cs = (mueff + 2) / (n + mueff + 5); // eq. 55
  const ds = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + cs; // eq. 55
  const cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n); // eq. 56
  const c1 = alphaCov / ((n + 1.3) ** 2 + mueff); // eq. 57
  const cmu = Math.min(1 - c1, (alphaCov * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + (alphaCov * mueff) / 2)); // eq. 58
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n)); // E||N(0,I)||, Sect. 4.3 / Appendix A
  return { lambda, mu, weights, mueff, cm: 1 /* eq. 54 */, cs, ds, cc, c1, cmu, chiN };
}

/** The tutorial's default population size, eq. 48. */
export const defaultPopsize = (n: number): number => 4 + Math.floor(3 * Math.log(n));

/** The most points ctx.topk returns (k <= 4096): mu's ceiling. */
const MAX_MU = 4096;
/** Largest population a user may ask for (samples per generation); IPOP growth stops at 2 MAX_MU + 1. */
export const MAX_LAMBDA = 2 ** 24;

/** One CMA-ES run (between restarts). */
interface CmaRun {
  s: CmaStrategy;
  m: Float64Array;
  sigma: number;
  /** C, and its eigendecomposition C = B diag(D^2) B^T (B: eigenvectors as columns). */
  C: Float64Array;
  B: Float64Array;
  D: Float64Array;
  /** B D as rows, handed to the engine as the Gaussian's factor. */
  factor: number[][];
  pc: Float64Array;
  ps: Float64Array;
  /** Generations done in this run, and the generation of the last eigendecomposition. */
  gen: number;
  eigenGen: number;
  /** Per generation: best value and mu-th best ("median") value. */
  bestHist: number[];
  medianHist: number[];
  stopReason: string | null;
  /** Per-run budget cap in generations (MaxIter, Hansen 2009) and the BIPOP regime of the run. */
  maxGen: number;
  regime: 'large' | 'small';
  /**
   * float32 could not decide a stopping rule on the GPU (values or steps below its resolution): this
   * run goes on step by step with float64 evaluations (the driver's float64 finish); a restart clears it.
   */
  float64: boolean;
}

export interface CmaEsState {
  p: CmaEsParams;
  n: number;
  x0: Float64Array;
  run: CmaRun;
  restarts: number;
  /** Reasons each finished run stopped. */
  runStops: string[];
  bestX: Float64Array;
  bestF: number;
  /** BIPOP bookkeeping: large runs so far (the first included), evaluations per regime after the first run, the last large run's. */
  largeRuns: number;
  evalsLarge: number;
  evalsSmall: number;
  lastLargeEvals: number;
}

/** MaxIter of a large-population run (Hansen 2009): 100 + 50 (n + 3)^2 / sqrt(lambda) generations. */
export const maxIterLarge = (n: number, lambda: number): number => Math.ceil(100 + (50 * (n + 3) ** 2) / Math.sqrt(lambda));

function newRun(n: number, m: Float64Array, sigma: number, lambda: number, regime: 'large' | 'small' = 'large', maxGen = maxIterLarge(n, lambda)): CmaRun {
  const C = new Float64Array(n * n);
  const B = new Float64Array(n * n);
  for (let i = 0; i < n; i++) C[i * n + i] = B[i * n + i] = 1;
  const D = new Float64Array(n).fill(1);
  return {
    s: strategy(n, lambda),
    m: Float64Array.from(m),
    sigma,
    C,
    B,
    D,
    factor: bdRows(B, D, n),
    pc: new Float64Array(n),
    ps: new Float64Array(n),
    gen: 0,
    eigenGen: 0,
    bestHist: [],
    medianHist: [],
    stopReason: null,
    maxGen,
    regime,
    float64: false,
  };
}

function bdRows(B: Float64Array, D: Float64Array, n: number): number[][] {
  const BD = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) BD[i * n + j] = B[i * n + j] * D[j];
  return toRows(BD, n);
}

/** B, D from C (Appendix B.2: symmetrise, decompose, D = sqrt of the eigenvalues). */
function decompose(r: CmaRun, n: number): void {
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (r.C[i * n + j] + r.C[j * n + i]);
      r.C[i * n + j] = r.C[j * n + i] = v;
    }
  const e = symmetricEigen(r.C, n);
  r.B = e.vectors;
  // Rounding can leave a tiny negative eigenvalue; ConditionCov stops the run long before that matters.
  for (let i = 0; i < n; i++) r.D[i] = Math.sqrt(Math.max(e.values[i], Number.MIN_VALUE));
  r.factor = bdRows(r.B, r.D, n);
  r.eigenGen = r.gen;
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
};

/**
 * Whether the sampler can draw from the run: a non-finite sigma, mean, path, covariance or factor
 * entry (overflow, or an objective's NaN/Inf leaking into the update) ends the run ('numeric').
 */
function healthy(r: CmaRun): boolean {
  const finite = (a: ArrayLike<number>): boolean => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
    return true;
  };
  return r.sigma > 0 && r.sigma < Infinity && finite(r.m) && finite(r.C) && finite(r.D) && finite(r.ps) && finite(r.pc) && r.D.every((v) => v > 0);
}

/** Auger & Hansen 2005 (and Hansen 2009 for TolXUp, Stagnation): the first rule that fired, or null. */
function terminated(r: CmaRun, p: CmaEsParams, n: number, genValues: number[]): string | null {
  const { s, sigma } = r;
  const lambda = s.lambda;
  if (!healthy(r)) return 'numeric';
  // TolFun: range of the best values of the last 10 + ceil(30 n / lambda) generations and of the
  // last generation below TolFun (a zero range of the history is EqualFunVals).
  const h = 10 + Math.ceil((30 * n) / lambda);
  if (r.bestHist.length >= h) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of r.bestHist.slice(-h)) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    const histRange = hi - lo;
    if (histRange === 0) return 'equalfunvals';
    for (const v of genValues) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    if (hi - lo < p.tolFun) return 'tolfun';
  }
  // TolX: sigma * sqrt(C_ii) and sigma * |p_c,i| below tolX * sigma0 in every coordinate.
  const tolx = p.tolX * p.sigma0;
  let small = true;
  for (let i = 0; i < n && small; i++) small = sigma * Math.sqrt(r.C[i * n + i]) < tolx && sigma * Math.abs(r.pc[i]) < tolx;
  if (small) return 'tolx';
  // TolXUp: sigma * max(D) grew by more than tolXUp over sigma0.
  let dmax = 0;
  let dmin = Infinity;
  for (let i = 0; i < n; i++) ((dmax = Math.max(dmax, r.D[i])), (dmin = Math.min(dmin, r.D[i])));
  if (sigma * dmax > p.tolXUp * p.sigma0) return 'tolxup';
  // sigma itself diverging while D shrinks (seen on Griewank-Rosenbrock: sigma -> 1e30 with sigma
  // max(D) small): the engine cannot draw at such scales, so the run ends here, never in an error
  if (!(sigma <= 1e20)) return 'tolxup';
  // ConditionCov: cond(C) = (max D / min D)^2.
  if ((dmax / dmin) ** 2 > p.maxCondition) return 'conditioncov';
  // NoEffectAxis: a 0.1-standard-deviation step along principal axis (gen mod n) leaves m unchanged.
  const a = r.gen % n;
  let same = true;
  for (let i = 0; i < n && same; i++) same = r.m[i] + 0.1 * sigma * r.D[a] * r.B[i * n + a] === r.m[i];
  if (same) return 'noeffectaxis';
  // NoEffectCoord: a 0.2-standard-deviation step in some coordinate leaves m_i unchanged.
  for (let i = 0; i < n; i++) if (r.m[i] + 0.2 * sigma * Math.sqrt(r.C[i * n + i]) === r.m[i]) return 'noeffectcoord';
  return hostStop(r, n);
}

/** The rules the host decides for both executors: MaxIter (the per-run cap), then Stagnation. */
function hostStop(r: CmaRun, n: number): string | null {
  if (r.gen >= r.maxGen) return 'maxiter';
  return stagnation(r, n);
}

/**
 * Stagnation (Hansen 2009): over the last 20% of the generations, but at least 120 + 30 n / lambda
 * and at most 20000, the median of the newest 30% of the best and of the median values is not
 * better than the median of the oldest 30%. (The resident executor checks it between batches.)
 */
function stagnation(r: CmaRun, n: number): string | null {
  const lambda = r.s.lambda;
  const w = Math.min(20000, Math.max(120 + Math.ceil((30 * n) / lambda), Math.ceil(0.2 * r.gen)));
  if (r.bestHist.length >= w) {
    const k = Math.max(1, Math.floor(0.3 * w));
    const stale = (hist: number[]): boolean => {
      const win = hist.slice(-w);
      return median(win.slice(-k)) >= median(win.slice(0, k));
    };
    if (stale(r.bestHist) && stale(r.medianHist)) return 'stagnation';
  }
  return null;
}

export const cmaEs: Method<CmaEsParams, CmaEsState> = {
  name: 'cma-es',
  description: 'CMA-ES (Hansen tutorial, arXiv:1604.00772) with BIPOP (Hansen 2009) or IPOP (Auger & Hansen 2005) restarts; populations sampled on the engine',

  defaults(dim: number, bounds: Bounds | null, backend?: BackendName): CmaEsParams {
    let sigma0 = 1; // no bounds: unit step size (the user should scale the problem, tutorial Appendix C)
    if (bounds) {
      let w = 0;
      for (let i = 0; i < dim; i++) w += bounds.hi[i] - bounds.lo[i];
      // 0.3 x the mean box width: the optimum is expected within m +- 3 sigma0 (tutorial Appendix C,
      // "x0 +- 3 sigma0"); Auger & Hansen 2005 used (B - A) / 2 on the CEC 2005 boxes.
      sigma0 = (0.3 * w) / dim;
    }
    return {
      sigma0,
      // eq. 48: 4 + floor(3 ln n). On WebGPU 4x that (at most the resident limit): a resident
      // generation costs the GPU about the same for any lambda up to it (one submission per batch,
      // the kernel work microseconds: 0.36 ms per generation on an H200 at d = 10, README), so
      // fewer generations is less time; larger lambda helps on multimodal functions (Hansen &
      // Kern 2004). Measured (bench:quality --population, CPU, d = 10, 6 cases, bench/results/
      // quality-2026-12-05-cpu-population-d10-*.md): 4x is never below 1x (2^16: 35/60 vs 25/60,
      // 2^18: 47/60 both, 2^20: 30/30 both with median 6.0e4 evaluations vs 1.1e5); 16x and 64x
      // solve more at small budgets but lose schwefel runs at 2^20 (28/30). The CPU keeps eq. 48,
      // the setting bench:bbob measured.
      popsize: backend === 'webgpu' ? Math.min(RESIDENT_MAX_LAMBDA, 4 * defaultPopsize(dim)) : defaultPopsize(dim),
      restarts: true,
      restartStrategy: 'bipop', // Hansen 2009; measured against 'ipop' on bench:bbob (README)
      incPopSize: 2, // Auger & Hansen 2005: population doubled at each restart
      tolFun: 1e-12, // Auger & Hansen 2005: TolFun = 1e-12
      tolX: 1e-12, // Auger & Hansen 2005: TolX = 1e-12 sigma0
      tolXUp: 1e4, // Hansen 2009 (BBOB): TolXUp = 1e4
      maxCondition: 1e14, // Auger & Hansen 2005: ConditionCov 1e14
    };
  },

  params(user: Record<string, unknown>, d: CmaEsParams): CmaEsParams {
    const known = new Set([...Object.keys(d), 'samples']);
    for (const k of Object.keys(user)) if (!known.has(k)) throw new BroxError(`params.${k}`, `unknown cma-es parameter; allowed: ${[...known].join(', ')}`);
    // `samples` (minimize's samples-per-step option) is the population size lambda here.
    if (user.samples !== undefined && user.popsize !== undefined) throw new BroxError('params.samples', 'give popsize or samples (the same thing for cma-es), not both');
    const { samples, ...rest } = user;
    const p = { ...d, ...rest, ...(samples !== undefined ? { popsize: samples } : {}) } as Record<string, unknown>;
    const restarts = p.restarts;
    if (typeof restarts !== 'boolean') throw new BroxError('params.restarts', `must be true or false, got ${preview(restarts)}`);
    if (p.restartStrategy !== 'ipop' && p.restartStrategy !== 'bipop') throw new BroxError('params.restartStrategy', `must be 'ipop' or 'bipop', got ${JSON.stringify(p.restartStrategy)}`);
    return {
      sigma0: checkNumber(p.sigma0, 'params.sigma0', 0, Number.MAX_VALUE, true),
      popsize: checkInteger(p.popsize, 'params.popsize', 2, MAX_LAMBDA),
      restarts,
      restartStrategy: p.restartStrategy,
      incPopSize: checkNumber(p.incPopSize, 'params.incPopSize', 1, 100),
      tolFun: checkNumber(p.tolFun, 'params.tolFun', 0, Number.MAX_VALUE),
      tolX: checkNumber(p.tolX, 'params.tolX', 0, Number.MAX_VALUE),
      tolXUp: checkNumber(p.tolXUp, 'params.tolXUp', 1, Infinity),
      maxCondition: checkNumber(p.maxCondition, 'params.maxCondition', 1, Infinity),
    };
  },

  init(ctx: MethodContext, x0: Float64Array, p: CmaEsParams): CmaEsState {
    const n = ctx.dim;
    return { p, n, x0: Float64Array.from(x0), run: newRun(n, x0, p.sigma0, p.popsize), restarts: 0, runStops: [], bestX: Float64Array.from(x0), bestF: Infinity, largeRuns: 1, evalsLarge: 0, evalsSmall: 0, lastLargeEvals: 0 };
  },

  async step(ctx: MethodContext, st: CmaEsState): Promise<StepReport> {
    const { n, p } = st;
    const r = st.run;
    const s = r.s;
    const left = ctx.evalsLeft();
    const prevBest = st.bestF;
    if (!(left >= 1)) return { x: st.bestX, fun: st.bestF, nfev: 0, radius: r.sigma, improved: false, stop: 'converged', info: info(st) };

    // Lazy eigendecomposition (Appendix B.2): every 1 / (10 n (c1 + cmu)) generations.
    if (r.gen - r.eigenGen >= 1 / (10 * n * (s.c1 + s.cmu))) decompose(r, n);
    if (!healthy(r)) {
      // a state the sampler cannot draw from (overflow in C's decomposition, or a state that went
      // non-finite): no samples, the run ends and restarts (or the method stops), never an error
      const stop = endRun(ctx, st, 'numeric', left);
      return { x: st.bestX, fun: st.bestF, nfev: 0, radius: healthy(st.run) ? st.run.sigma : 1, improved: false, stop, info: info(st) };
    }

    if (left < s.lambda) {
      // The budget cannot pay a full generation: a last, smaller one that only updates the best point.
      const res = await ctx.topk(r.m, r.sigma, { ball: { kind: 'gaussian', factor: r.factor }, samples: left, k: 1 });
      if (res.values[0] < st.bestF) ((st.bestF = res.values[0]), (st.bestX = Float64Array.from(res.points[0])));
      return { x: st.bestX, fun: st.bestF, nfev: res.nfev, radius: r.sigma, improved: st.bestF < prevBest, index: res.indices[0], info: info(st) };
    }

    const res = await ctx.topk(r.m, r.sigma, { ball: { kind: 'gaussian', factor: r.factor }, samples: s.lambda, k: s.mu });
    if (res.values[0] < st.bestF) ((st.bestF = res.values[0]), (st.bestX = Float64Array.from(res.points[0])));
    const mu = Math.min(s.mu, res.points.length);
    // y_i = (x_i - m) / sigma of the mu best (repaired) points, best first.
    const ys: Float64Array[] = [];
    for (let i = 0; i < mu; i++) {
      const y = new Float64Array(n);
      for (let j = 0; j < n; j++) y[j] = (res.points[i][j] - r.m[j]) / r.sigma;
      ys.push(y);
    }
    // eq. 41: y_w = sum w_i y_i; eq. 42: m <- m + c_m sigma y_w.
    const yw = new Float64Array(n);
    for (let i = 0; i < mu; i++) for (let j = 0; j < n; j++) yw[j] += s.weights[i] * ys[i][j];
    for (let j = 0; j < n; j++) r.m[j] += s.cm * r.sigma * yw[j];
    r.gen++;
    // eq. 43: p_sigma <- (1 - c_s) p_sigma + sqrt(c_s (2 - c_s) mu_eff) C^(-1/2) y_w, C^(-1/2) = B D^-1 B^T.
    const t = matTVec(r.B, yw, n);
    for (let j = 0; j < n; j++) t[j] /= r.D[j];
    const invSqrtCyw = matVec(r.B, t, n);
    const csn = Math.sqrt(s.cs * (2 - s.cs) * s.mueff);
    for (let j = 0; j < n; j++) r.ps[j] = (1 - s.cs) * r.ps[j] + csn * invSqrtCyw[j];
    const psNorm = norm2(r.ps);
    // h_sigma (Appendix A): stalls the p_c update while ||p_sigma|| is large.
    const hs = psNorm / Math.sqrt(1 - (1 - s.cs) ** (2 * r.gen)) < (1.4 + 2 / (n + 1)) * s.chiN ? 1 : 0;
    // eq. 45: p_c <- (1 - c_c) p_c + h_sigma sqrt(c_c (2 - c_c) mu_eff) y_w.
    const ccn = hs * Math.sqrt(s.cc * (2 - s.cc) * s.mueff);
    for (let j = 0; j < n; j++) r.pc[j] = (1 - s.cc) * r.pc[j] + ccn * yw[j];
    // eq. 47 (sum w = 1): C <- (1 + c1 delta(h_sigma) - c1 - c_mu) C + c1 p_c p_c^T + c_mu sum w_i y_i y_i^T,
    // delta(h_sigma) = (1 - h_sigma) c_c (2 - c_c).
    const decay = 1 + s.c1 * (1 - hs) * s.cc * (2 - s.cc) - s.c1 - s.cmu;
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        let rankMu = 0;
        for (let i = 0; i < mu; i++) rankMu += s.weights[i] * ys[i][a] * ys[i][b];
        const v = decay * r.C[a * n + b] + s.c1 * r.pc[a] * r.pc[b] + s.cmu * rankMu;
        r.C[a * n + b] = r.C[b * n + a] = v;
      }
    }
    // eq. 44: sigma <- sigma exp((c_s / d_s) (||p_sigma|| / E||N(0,I)|| - 1)).
    r.sigma *= Math.exp((s.cs / s.ds) * (psNorm / s.chiN - 1));

    r.bestHist.push(res.values[0]);
    r.medianHist.push(res.values[mu - 1]);
    if (r.bestHist.length > 20000) (r.bestHist.shift(), r.medianHist.shift());
    const why = terminated(r, p, n, res.values.slice(0, mu));
    const radius = r.sigma;
    const stop = why ? endRun(ctx, st, why, left - res.nfev) : undefined;
    return { x: st.bestX, fun: st.bestF, nfev: res.nfev, radius, improved: st.bestF < prevBest, index: res.indices[0], stop, info: info(st), float64: st.run.float64 };
  },

  resident: {
    ready: (st, dim) => dim <= RESIDENT_MAX_DIM && st.run.s.lambda <= RESIDENT_MAX_LAMBDA && !st.run.float64,
    open: (engine, ctx, st) => openCmaSession(engine, ctx, st),
    after(ctx, st, batch) {
      const r = st.run;
      const lambda = r.s.lambda;
      const prevBest = st.bestF;
      const prevX = st.bestX;
      // The batch's best point, re-evaluated in float64 (its float32 value only ranked it), reported
      // from the generation that drew it on (creditBest)
      const fb = ctx.objective.js(batch.best.x);
      if (fb < st.bestF) ((st.bestF = fb), (st.bestX = Float64Array.from(batch.best.x)));
      const reports: StepReport[] = batch.generations.map((g) => ({ x: prevX, fun: prevBest, nfev: lambda, radius: g.sigma, improved: false, index: g.index }));
      creditBest(reports, batch.generations, batch.best.f32, { x: prevX, fun: prevBest }, st);
      let reopen = false;
      let stop: StepReport['stop'];
      const left = ctx.evalsLeft() - lambda * batch.generations.length;
      if (batch.halt === STOP_EQUALFUNVALS || batch.halt === STOP_PRECISION || (batch.halt === STOP_TARGET && !(fb <= ctx.fTarget))) {
        // float32 can no longer decide for this run (values or steps below its resolution, or a
        // target float64 does not confirm): it goes on in float64, where the rules are decided again
        r.float64 = true;
        reopen = true;
      } else if (STOP_NAMES[batch.halt]) {
        stop = endRun(ctx, st, STOP_NAMES[batch.halt], left);
        reopen = stop === undefined;
      } else if (batch.halt === 0) {
        const why = hostStop(r, st.n);
        if (why) {
          stop = endRun(ctx, st, why, left);
          reopen = true;
        }
      }
      if (reports.length) {
        const last = reports[reports.length - 1];
        last.stop = stop;
        last.info = info(st);
        last.float64 = st.run.float64;
      }
      return { reports, reopen };
    },
  },
};

function info(st: CmaEsState): Record<string, unknown> {
  const q = st.run;
  const bipop = st.p.restartStrategy === 'bipop' ? { regime: q.regime, evalsLarge: st.evalsLarge, evalsSmall: st.evalsSmall } : {};
  return { lambda: q.s.lambda, restarts: st.restarts, sigma: q.sigma, condition: (Math.max(...q.D) / Math.min(...q.D)) ** 2, runStops: [...st.runStops], ...bipop };
}

/**
 * A run ended for `why`: a restart while the budget pays one generation of it, else the method
 * stops ('converged'). Shared by both executors.
 * - 'ipop' (Auger & Hansen 2005): every restart is a large run, lambda = popsize x incPopSize^k.
 * - 'bipop' (Hansen 2009, Sect. 2): after the first run, a small-population run whenever the
 *   small runs so far spent fewer evaluations than the large runs (the first run not counted), with
 *   lambda_s = floor(lambda_def (lambda_l / (2 lambda_def))^(U^2)) (lambda_l: the next large
 *   run's), sigma0_s = sigma0 10^(-2U') and at most half the last large run's evaluations;
 *   otherwise the next large run, as IPOP. Both regimes end on MaxIter too (the per-run cap).
 */
/** The newest run stops kept in info.runStops (info.restarts counts them all). */
const RUN_STOPS_KEPT = 100;

function endRun(ctx: MethodContext, st: CmaEsState, why: string, left: number): StepReport['stop'] {
  const { n, p } = st;
  const r = st.run;
  const s = r.s;
  st.runStops.push(`lambda=${s.lambda}${p.restartStrategy === 'bipop' ? ` ${r.regime}` : ''}: ${why}`);
  if (st.runStops.length > RUN_STOPS_KEPT) st.runStops.shift(); // info copies it every step
  const spent = r.gen * s.lambda;
  if (r.regime === 'small') st.evalsSmall += spent;
  else {
    if (st.restarts > 0) st.evalsLarge += spent;
    st.lastLargeEvals = spent;
  }
  // the next large run's population (kept once floor(lambda / 2) would pass the top-k limit)
  let large = p.popsize;
  for (let i = 0; i < st.largeRuns; i++) {
    const grown = Math.floor(large * p.incPopSize);
    if (Math.floor(grown / 2) > MAX_MU) break;
    large = grown;
  }
  if (!p.restarts) return stopRun(st, why);
  const m0 = () => (ctx.bounds ? uniformInBox(ctx.bounds.lo, ctx.bounds.hi, () => ctx.random()) : st.x0);
  if (p.restartStrategy === 'bipop' && st.evalsSmall < st.evalsLarge) {
    const u = ctx.random();
    const v = ctx.random();
    const lambda = Math.max(2, Math.floor(p.popsize * (large / (2 * p.popsize)) ** (u * u)));
    if (left < lambda) return stopRun(st, why);
    const sigma = p.sigma0 * 10 ** (-2 * v);
    st.run = newRun(n, m0(), sigma, lambda, 'small', Math.max(1, Math.floor((0.5 * st.lastLargeEvals) / lambda)));
  } else {
    if (left < large) return stopRun(st, why);
    st.run = newRun(n, m0(), p.sigma0, large);
    st.largeRuns++;
  }
  st.restarts++;
  return undefined;
}

function stopRun(st: CmaEsState, why: string): StepReport['stop'] {
  st.run.stopReason = why;
  return 'converged';
}
