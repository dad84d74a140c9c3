/**
 * CMA-ES's resident form (WebGPU): the population pass (shaders/engine/population.wgsl with
 * shaders/methods/cma-es-pop.wgsl) and the tell kernel (shaders/methods/cma-es.wgsl) run K
 * generations per submission with one readback per batch; the state (m, sigma, C, B, D, p_c,
 * p_sigma, the best point, the TolFun ring) stays on the GPU between batches. The host keeps what
 * needs float64 or more than one generation's view: Stagnation (long medians), the IPOP restart
 * (a new run = a new upload), the re-check of the target in float64, and every generation after a
 * float32 precision hand-over (BROX_CMA_PRECISION) — those go step by step (cma-es.ts).
 */
import cmaPopWgsl from '../../shaders/methods/cma-es-pop.wgsl?raw';
import cmaWgsl from '../../shaders/methods/cma-es.wgsl?raw';
import jacobiWgsl from '../../shaders/math/jacobi.wgsl?raw';
import rankWgsl from '../../shaders/methods/rank.wgsl?raw';
import type { GpuEngine } from '../engine/engine.js';
import { Layout } from '../engine/struct.js';
import { prepareSampler } from '../samplers/spec.js';
import type { CmaEsState } from './cma-es.js';
import { openPopulationSession } from './population-session.js';
import type { ResidentContext, ResidentSession } from './types.js';

export const CmaParams = new Layout('BroxCmaParams', [
  ['lambda', 'u32'],
  ['mu', 'u32'],
  ['hist_len', 'u32'],
  ['hist_base', 'u32'],
  ['cs', 'f32'],
  ['ds', 'f32'],
  ['cc', 'f32'],
  ['c1', 'f32'],
  ['cmu', 'f32'],
  ['chin', 'f32'],
  ['mueff', 'f32'],
  ['tolfun', 'f32'],
  ['tolx', 'f32'],
  ['tolxup', 'f32'],
  ['maxcond', 'f32'],
  ['cond32', 'f32'],
  ['f_target', 'f32'],
  ['eigen_every', 'f32'],
] as const);


/**
 * Largest dimension and population the resident kernels take: d by the tell's workgroup arrays and
 * the Jacobi sweep's cost; lambda by the rank pass's O(lambda^2) comparisons per generation (2^28
 * at 2^14; BIPOP's large regime doubles lambda up to the budget, 2560 at d = 10 within 2^20).
 */
export const RESIDENT_MAX_DIM = 128;
export const RESIDENT_MAX_LAMBDA = 2 ** 14;
/**
 * cond(C) past which float32 cannot carry the decomposition (D spans sqrt(cond); float32 resolves
 * ~7 digits): the run goes on step by step in float64.
 */
export const COND_FLOAT32 = 1e10;

export const STOP_NAMES: Record<number, string> = { 1: 'tolfun', 2: 'equalfunvals', 3: 'tolx', 4: 'tolxup', 5: 'conditioncov' };
export const STOP_EQUALFUNVALS = 2;
export const STOP_TARGET = 8;
export const STOP_PRECISION = 9;

const HEAD = 16;
/** Floats of the method state for dimension d and a TolFun ring of h entries (layout of cma-es.wgsl). */
const stateFloats = (d: number, h: number): number => HEAD + 4 * d * d + 4 * d + h;

/** TolFun's history length (Auger & Hansen 2005): 10 + ceil(30 n / lambda). */
export const tolFunHistory = (n: number, lambda: number): number => 10 + Math.ceil((30 * n) / lambda);

/** The per-generation record the GPU writes: best and mu-th value, sigma after, best sample's index. */
export interface ResidentGeneration {
  best: number;
  median: number;
  sigma: number;
  index: number;
}

/**
 on the GPU (until a restart changes lambda): the population pass with
 * the factor B D in the geometry and sigma from the state, then brox_cma_tell, per generation.
 */
export async function openCmaSession(engine: GpuEngine, ctx: ResidentContext, st: CmaEsState): Promise<ResidentSession<ResidentGeneration>> {
  const r = st.run;
  const s = r.s;
  const n = st.n;
  const h = tolFunHistory(n, s.lambda);
  const m = new Float32Array(stateFloats(n, h));
  m[0] = r.sigma;
  m[1] = r.gen;
  m[2] = r.eigenGen;
  m[3] = Infinity;
  m.set(r.C, HEAD);
  m.set(r.B, HEAD + n * n);
  m.set(r.D, HEAD + 2 * n * n);
  m.set(r.pc, HEAD + 2 * n * n + n);
  m.set(r.ps, HEAD + 2 * n * n + 2 * n);
  // the TolFun ring restarts with the session: seed it with the run's recent best values
  const recent = r.bestHist.slice(-h);
  m.set(recent, HEAD + 4 * n * n + 4 * n);
  m[5] = recent.length;
  m[6] = recent.length % h;
  const p = st.p;
  const eigenEvery = 1 / (10 * n * (s.c1 + s.cmu));
  return openPopulationSession(engine, ctx, {
    name: 'cma',
    population: s.lambda,
    sampler: prepareSampler({ kind: 'gaussian', factor: Array.from({ length: n }, (_, i) => r.factor[i]) }, n, ctx.generator),
    center: r.m,
    popChunk: cmaPopWgsl,
    tellChunks: [cmaWgsl, rankWgsl, jacobiWgsl],
    tellEntry: 'brox_cma_tell',
    rankEntry: 'brox_cma_rank',
    fused: { tell: 'brox_cma_tell_runs', rank: 'brox_cma_rank_runs' },
    layout: CmaParams,
    params: (firstCall) => ({
      lambda: s.lambda, mu: s.mu, hist_len: h, hist_base: firstCall, cs: s.cs, ds: s.ds, cc: s.cc, c1: s.c1, cmu: s.cmu, chin: s.chiN, mueff: s.mueff,
      tolfun: p.tolFun, tolx: p.tolX * p.sigma0, tolxup: p.tolXUp * p.sigma0, maxcond: p.maxCondition, cond32: COND_FLOAT32, f_target: ctx.fTarget, eigen_every: eigenEvery,
    }),
    mstate: m,
    extras: { brox_weights: Float32Array.from(s.weights) },
    histFloats: 4,
    decode(f, center, hist, done, halt) {
      const hv = new Float32Array(hist);
      const hu = new Uint32Array(hist);
      const gensOut: ResidentGeneration[] = [];
      for (let j = 0; j < done; j++) gensOut.push({ best: hv[4 * j], median: hv[4 * j + 1], sigma: hv[4 * j + 2], index: hu[4 * j + 3] });
      // the host's view of the run: float64 copies of what the GPU holds
      r.m = Float64Array.from(center);
      r.sigma = f[0];
      r.gen = f[1];
      r.eigenGen = f[2];
      r.C = Float64Array.from(f.subarray(HEAD, HEAD + n * n));
      r.B = Float64Array.from(f.subarray(HEAD + n * n, HEAD + 2 * n * n));
      r.D = Float64Array.from(f.subarray(HEAD + 2 * n * n, HEAD + 2 * n * n + n));
      r.pc = Float64Array.from(f.subarray(HEAD + 2 * n * n + n, HEAD + 2 * n * n + 2 * n));
      r.ps = Float64Array.from(f.subarray(HEAD + 2 * n * n + 2 * n, HEAD + 2 * n * n + 3 * n));
      const rows: number[][] = [];
      for (let i = 0; i < n; i++) rows.push(Array.from({ length: n }, (_, j) => r.B[i * n + j] * r.D[j]));
      r.factor = rows;
      for (const g of gensOut) {
        r.bestHist.push(g.best);
        r.medianHist.push(g.median);
      }
      while (r.bestHist.length > 20000) (r.bestHist.shift(), r.medianHist.shift());
      const bestX = Float64Array.from(f.subarray(HEAD + 2 * n * n + 3 * n, HEAD + 2 * n * n + 4 * n));
      return { generations: gensOut, halt, best: { x: bestX, f32: f[3] } };
    },
  });
}
