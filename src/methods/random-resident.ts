/**
 * Random search's resident form (WebGPU): the population pass (the l_inf cube around the box
 * centre, folded into the box) and brox_random_tell (shaders/methods/random.wgsl) run K steps per
 * submission; the best point stays on the GPU between batches and is re-checked in float64 after.
 */
import randomPopWgsl from '../../shaders/methods/random-pop.wgsl?raw';
import randomWgsl from '../../shaders/methods/random.wgsl?raw';
import rankWgsl from '../../shaders/methods/rank.wgsl?raw';
import { Layout } from '../engine/struct.js';
import { prepareSampler } from '../samplers/spec.js';
import type { RandomState } from './random.js';
import { openPopulationSession } from './population-session.js';
import { creditBest, recheckBest } from './resident-reports.js';
import type { ResidentForm, StepReport } from './types.js';

export const RandomParams = new Layout('BroxRandomParams', [
  ['n_pop', 'u32'],
  ['hist_base', 'u32'],
  ['t', 'f32'],
  ['f_target', 'f32'],
] as const);

/** The population buffer (keys and points of one step) stays under this many bytes. */
export const RESIDENT_MAX_POP_BYTES = 64 * 2 ** 20;

export interface RandomGeneration {
  best: number;
  index: number;
}

export const randomResident: ResidentForm<RandomState, RandomGeneration> = {
  ready: (st, dim) => !st.float64 && st.p.samples * (1 + dim) * 4 <= RESIDENT_MAX_POP_BYTES,

  open(engine, ctx, st) {
    const n = ctx.dim;
    const m = new Float32Array(4 + n);
    m[0] = Infinity;
    return openPopulationSession(engine, ctx, {
      name: 'random',
      population: st.p.samples,
      sampler: prepareSampler('linf', n, ctx.generator),
      center: st.center,
      popChunk: randomPopWgsl,
      tellChunks: [randomWgsl, rankWgsl],
      tellEntry: 'brox_random_tell',
      fused: { tell: 'brox_random_tell_runs' },
      layout: RandomParams,
      params: (firstCall) => ({ n_pop: st.p.samples, hist_base: firstCall, t: st.T, f_target: ctx.fTarget }),
      mstate: m,
      histFloats: 2,
      decode(f, _center, hist, done, halt) {
        const hv = new Float32Array(hist);
        const hu = new Uint32Array(hist);
        const generations: RandomGeneration[] = [];
        for (let j = 0; j < done; j++) generations.push({ best: hv[2 * j], index: hu[2 * j + 1] });
        return { generations, halt, best: { x: Float64Array.from(f.subarray(4, 4 + n)), f32: f[0] } };
      },
    });
  },

  after(ctx, st, batch) {
    const prev = { x: st.bestX, fun: st.bestF };
    const fb = recheckBest(ctx, st, batch);
    const info = { exact: st.exact, T: st.T };
    const reports = batch.generations.map((g): StepReport => ({ x: st.bestX, fun: st.bestF, nfev: st.p.samples, radius: st.halfWidth, improved: false, index: g.index, info }));
    creditBest(reports, batch.generations, batch.best.f32, prev, st);
    const last = reports.at(-1);
    // a float32 target that float64 does not confirm: the GPU would halt again at once, so the run
    // goes on step by step in float64
    if (batch.halt !== 0 && !(fb <= ctx.fTarget)) st.float64 = true;
    if (last) last.float64 = st.float64;
    return { reports, reopen: st.float64 };
  },
};
