/**
 * Annealed smoothing's resident form (WebGPU): the population pass (a Gaussian of scale sigma_k
 * around mu) and brox_annealed_tell (shaders/methods/annealed.wgsl) run the steps of an anneal, K
 * per submission; mu, k and the best point stay on the GPU. The end of an anneal (the mean
 * evaluated in float64, the restart from a host-drawn point) is the host's, shared with the step
 * (endAnneal). One difference from step by step, by design: a resident step evaluates each sample
 * once (the engine's moments call evaluates it twice), so it reports N evaluations, not 2N, and an
 * anneal planned from the budget leaves budget for more restarts.
 */
import annealedPopWgsl from '../../shaders/methods/annealed-pop.wgsl?raw';
import annealedWgsl from '../../shaders/methods/annealed.wgsl?raw';
import scheduleWgsl from '../../shaders/methods/annealed-schedule.wgsl?raw';
import rankWgsl from '../../shaders/methods/rank.wgsl?raw';
import { Layout } from '../engine/struct.js';
import { orderValue } from '../oracle/cpu-scan.js';
import { prepareSampler } from '../samplers/spec.js';
import { endAnneal, type AnnealedState } from './annealed.js';
import { openPopulationSession } from './population-session.js';
import { creditBest, recheckBest } from './resident-reports.js';
import type { ResidentForm, StepReport } from './types.js';

export const AnnealedParams = new Layout('BroxAnnealedParams', [
  ['n_pop', 'u32'],
  ['hist_base', 'u32'],
  ['sigma0', 'f32'],
  ['sigma_min', 'f32'],
  ['lambda0', 'f32'],
  ['lambda_min', 'f32'],
  ['f_target', 'f32'],
] as const);

/** The population buffer (keys and points of one step) stays under this many bytes. */
const MAX_POP_BYTES = 64 * 2 ** 20;
const STOP_END = 1;

export interface AnnealedGeneration {
  best: number;
  sigma: number;
  lambda: number;
  index: number;
}

export const annealedResident: ResidentForm<AnnealedState, AnnealedGeneration> = {
  // the polish steps at the end of the budget (k = K - 1, one step each) go step by step
  ready: (st, dim) => st.K - st.k >= 2 && st.p.samples * (1 + dim) * 4 <= MAX_POP_BYTES,

  open(engine, ctx, st) {
    const n = ctx.dim;
    const m = new Float32Array(4 + n);
    m[0] = Infinity;
    m[1] = st.k;
    m[2] = st.K;
    const p = st.p;
    return openPopulationSession(engine, ctx, {
      name: 'annealed',
      population: p.samples,
      sampler: prepareSampler('gaussian', n, ctx.generator),
      center: st.mu,
      popChunk: annealedPopWgsl + '\n' + scheduleWgsl,
      tellChunks: [annealedWgsl, scheduleWgsl, rankWgsl],
      tellEntry: 'brox_annealed_tell',
      fused: { tell: 'brox_annealed_tell_runs' },
      layout: AnnealedParams,
      params: (firstCall) => ({ n_pop: p.samples, hist_base: firstCall, sigma0: p.sigma0, sigma_min: p.sigmaMin, lambda0: p.lambda0, lambda_min: p.lambdaMin, f_target: ctx.fTarget }),
      mstate: m,
      histFloats: 4,
      decode(f, center, hist, done, halt) {
        const hv = new Float32Array(hist);
        const hu = new Uint32Array(hist);
        const generations: AnnealedGeneration[] = [];
        for (let j = 0; j < done; j++) generations.push({ best: hv[4 * j], sigma: hv[4 * j + 1], lambda: hv[4 * j + 2], index: hu[4 * j + 3] });
        st.mu = Float64Array.from(center);
        st.k = f[1];
        return { generations, halt, best: { x: Float64Array.from(f.subarray(4, 4 + n)), f32: f[0] } };
      },
    });
  },

  after(ctx, st, batch) {
    const prev = { x: st.bestX, fun: st.bestF };
    recheckBest(ctx, st, batch);
    const N = st.p.samples;
    const reports = batch.generations.map((g): StepReport => ({ x: st.bestX, fun: st.bestF, nfev: N, radius: g.sigma, improved: false, index: g.index }));
    creditBest(reports, batch.generations, batch.best.f32, prev, st);
    let reopen = false;
    let stop: StepReport['stop'];
    const last = reports.at(-1);
    if (batch.halt === STOP_END && last) {
      // the anneal's end, as the step's: its mean evaluated once (float64 on the host), then restart/polish/stop
      const fm = orderValue(ctx.objective.js(st.mu));
      last.nfev += 1;
      stop = endAnneal(ctx, st, fm, ctx.evalsLeft() - N * reports.length - 1);
      reopen = true;
    } else if (batch.halt !== 0) reopen = true; // a float32 target: the host re-checked it; the driver stops there or goes on step by step
    // the anneal's end may have found a better point (its mean): the last report carries it
    if (last && st.bestF < last.fun) Object.assign(last, { x: st.bestX, fun: st.bestF, improved: true });
    if (last) Object.assign(last, { stop, info: { anneal: st.anneals, k: st.k, K: st.K, lambda: batch.generations.at(-1)!.lambda } });
    return { reports, reopen };
  },
};
