/**
 * CEM's resident form (WebGPU): the population pass (a Gaussian with the diagonal map s in the
 * geometry) and brox_cem_tell (shaders/methods/cem.wgsl) run K generations per submission; mu, s
 * and t stay on the GPU between batches. The host keeps the restart (a new run = a new upload), the
 * float64 re-check of the batch's best point, and the generations after a float32 hand-over.
 */
import cemPopWgsl from '../../shaders/methods/cem-pop.wgsl?raw';
import cemWgsl from '../../shaders/methods/cem.wgsl?raw';
import rankWgsl from '../../shaders/methods/rank.wgsl?raw';
import { Layout } from '../engine/struct.js';
import { prepareSampler } from '../samplers/spec.js';
import { cemInfo, endRun, type CemState } from './cem.js';
import { openPopulationSession } from './population-session.js';
import { creditBest, recheckBest } from './resident-reports.js';
import type { ResidentForm, StepReport } from './types.js';

export const CemParams = new Layout('BroxCemParams', [
  ['n_pop', 'u32'],
  ['elites', 'u32'],
  ['hist_base', 'u32'],
  ['alpha', 'f32'],
  ['beta', 'f32'],
  ['q', 'f32'],
  ['tolx', 'f32'],
  ['tolfun', 'f32'],
  ['f_target', 'f32'],
] as const);

/** Population and elites the resident form takes: the rank pass costs O(N^2) comparisons per generation; elites as cem.ts caps them. */
export const RESIDENT_MAX_SAMPLES = 2 ** 14;
export const RESIDENT_MAX_ELITES = 4096;

const STOP_NAMES: Record<number, string> = { 1: 'tolx', 2: 'tolfun' };
const STOP_TARGET = 8;
const STOP_PRECISION = 9;

export interface CemGeneration {
  best: number;
  std: number;
  index: number;
}

const elitesOf = (st: CemState): number => Math.min(4096, Math.max(2, Math.ceil(st.p.rho * st.p.samples)));

export const cemResident: ResidentForm<CemState, CemGeneration> = {
  ready: (st) => !st.float64 && st.p.samples <= RESIDENT_MAX_SAMPLES && elitesOf(st) <= RESIDENT_MAX_ELITES,

  open(engine, ctx, st) {
    const n = st.n;
    const m = new Float32Array(4 + 2 * n);
    m[0] = Infinity;
    m[1] = st.t;
    m.set(st.std, 4);
    const p = st.p;
    return openPopulationSession(engine, ctx, {
      name: 'cem',
      rankEntry: 'brox_cem_rank',
      population: p.samples,
      sampler: prepareSampler({ kind: 'gaussian', diag: Array.from(st.std) }, n, ctx.generator),
      center: st.mean,
      popChunk: cemPopWgsl,
      tellChunks: [cemWgsl, rankWgsl],
      tellEntry: 'brox_cem_tell',
      fused: { tell: 'brox_cem_tell_runs', rank: 'brox_cem_rank_runs' },
      layout: CemParams,
      params: (firstCall) => ({ n_pop: p.samples, elites: elitesOf(st), hist_base: firstCall, alpha: p.alpha, beta: p.beta, q: p.q, tolx: p.tolX, tolfun: p.tolFun, f_target: ctx.fTarget }),
      mstate: m,
      extras: { brox_s0: Float32Array.from(st.s0) },
      histFloats: 4,
      decode(f, center, hist, done, halt) {
        const hv = new Float32Array(hist);
        const hu = new Uint32Array(hist);
        const generations: CemGeneration[] = [];
        for (let j = 0; j < done; j++) generations.push({ best: hv[4 * j], std: hv[4 * j + 2], index: hu[4 * j + 3] });
        st.mean = Float64Array.from(center);
        st.t = f[1];
        st.std = Float64Array.from(f.subarray(4, 4 + n));
        return { generations, halt, best: { x: Float64Array.from(f.subarray(4 + n, 4 + 2 * n)), f32: f[0] } };
      },
    });
  },

  after(ctx, st, batch) {
    const prev = { x: st.bestX, fun: st.bestF };
    const fb = recheckBest(ctx, st, batch);
    const reports = batch.generations.map((g): StepReport => ({ x: st.bestX, fun: st.bestF, nfev: st.p.samples, radius: g.std, improved: false, index: g.index }));
    creditBest(reports, batch.generations, batch.best.f32, prev, st);
    let reopen = false;
    let stop: StepReport['stop'];
    const left = ctx.evalsLeft() - st.p.samples * batch.generations.length;
    if (batch.halt === STOP_PRECISION || (batch.halt === STOP_TARGET && !(fb <= ctx.fTarget))) {
      st.float64 = true; // float64 decides from here (step by step), until the next restart
      reopen = true;
    } else if (STOP_NAMES[batch.halt]) {
      stop = endRun(ctx, st, STOP_NAMES[batch.halt], left);
      reopen = stop === undefined;
    }
    const last = reports.at(-1);
    if (last) Object.assign(last, { stop, info: cemInfo(st), float64: st.float64 });
    return { reports, reopen };
  },
};
