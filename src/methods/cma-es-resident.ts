/**
 * CMA-ES's resident form (WebGPU): the population pass (shaders/engine/population.wgsl with
 * shaders/methods/cma-es-pop.wgsl) and the tell kernel (shaders/methods/cma-es.wgsl) run K
 * generations per submission with one readback per batch; the state (m, sigma, C, B, D, p_c,
 * p_sigma, the best point, the TolFun ring) stays on the GPU between batches. The host keeps what
 * needs float64 or more than one generation's view: Stagnation (long medians), the IPOP restart
 * (a new run = a new upload), the re-check of the target in float64, and every generation after a
 * float32 precision hand-over (BROX_CMA_PRECISION) — those go step by step (cma-es.ts).
 */
import popChunk from '../../shaders/engine/population.wgsl?raw';
import cmaPopWgsl from '../../shaders/methods/cma-es-pop.wgsl?raw';
import cmaWgsl from '../../shaders/methods/cma-es.wgsl?raw';
import jacobiWgsl from '../../shaders/math/jacobi.wgsl?raw';
import centerWgsl from '../../shaders/engine/center_readonly.wgsl?raw';
import { CallBuffers } from '../engine/call.js';
import type { KernelRecipe } from '../engine/compose.js';
import type { GpuEngine } from '../engine/engine.js';
import { State } from '../engine/layouts.js';
import { Layout } from '../engine/struct.js';
import { prepareSampler } from '../samplers/spec.js';
import type { CmaEsState } from './cma-es.js';
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

const POP_RECIPE: KernelRecipe = { name: 'cma-pop', chunks: [centerWgsl, cmaPopWgsl, popChunk], sampling: true, best: true, layouts: [CmaParams] };
const TELL_RECIPE: KernelRecipe = { name: 'cma-tell', chunks: [cmaWgsl, jacobiWgsl], sampling: false, best: true, layouts: [CmaParams] };

/** Largest dimension and population the resident kernels take (workgroup arrays; Jacobi cost). */
export const RESIDENT_MAX_DIM = 128;
export const RESIDENT_MAX_LAMBDA = 1024;
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
 * One resident CMA-ES run on the GPU (until a restart changes lambda): buffers and pipelines, the
 * state uploaded once, then `run(gens)` batches.
 */
export async function openCmaSession(engine: GpuEngine, ctx: ResidentContext, st: CmaEsState): Promise<ResidentSession<ResidentGeneration>> {
  const r = st.run;
  const s = r.s;
  const n = st.n;
  const obj = ctx.objective;
  const dev = engine.device;
  const h = tolFunHistory(n, s.lambda);
  const S = GPUBufferUsage;
  const sampler = prepareSampler({ kind: 'gaussian', factor: Array.from({ length: n }, (_, i) => r.factor[i]) }, n, ctx.generator);
  const bufs = new CallBuffers(engine, 'brox.cmaRun', 1);
  const K = ctx.batch;
  const mBytes = stateFloats(n, h) * 4;
  const mstate = engine.buffer('brox.cmaRun.mstate', mBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC);
  const pop = engine.buffer('brox.cmaRun.pop', s.lambda * (1 + n) * 4, S.STORAGE);
  const weights = engine.buffer('brox.cmaRun.weights', s.mu * 4, S.STORAGE | S.COPY_DST);
  const cparams = engine.buffer('brox.cmaRun.params', CmaParams.bytes(), S.UNIFORM | S.COPY_DST);
  const hist = engine.buffer('brox.cmaRun.history', K * 16, S.STORAGE | S.COPY_SRC);
  const read = engine.buffer('brox.cmaRun.readback', State.bytes(n) + mBytes + K * 16, S.MAP_READ | S.COPY_DST);
  const [popP, tellP] = await Promise.all([engine.pipeline(obj, POP_RECIPE, sampler, 'brox_population_pass'), engine.pipeline(obj, TELL_RECIPE, null, 'brox_cma_tell')]);

  // upload: the geometry (bounds, factor B D), the centre and call number, the method state
  const spec = { objective: obj, sampler, bounds: ctx.bounds, seed: ctx.seed, call: 0, round: 0, center: r.m, t: r.sigma, outer: r.m, tOuter: Infinity };
  bufs.writeGeom(spec);
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
  const ringAt = HEAD + 4 * n * n + 4 * n;
  m.set(recent, ringAt);
  m[5] = recent.length;
  m[6] = recent.length % h;
  dev.queue.writeBuffer(mstate, 0, m);
  dev.queue.writeBuffer(weights, 0, Float32Array.from(s.weights));
  const p = st.p;
  const eigenEvery = 1 / (10 * n * (s.c1 + s.cmu));
  let closed = false;

  return {
    population: s.lambda,
    async run(gens: number, firstCall: number) {
      const k = Math.min(gens, K);
      return engine.serial(() =>
        engine.scoped(async () => {
          bufs.writeState(firstCall, r.m);
          bufs.writeParams(spec, 0, s.lambda, firstCall);
          dev.queue.writeBuffer(cparams, 0, CmaParams.write({
            lambda: s.lambda, mu: s.mu, hist_len: h, hist_base: firstCall, cs: s.cs, ds: s.ds, cc: s.cc, c1: s.c1, cmu: s.cmu, chin: s.chiN, mueff: s.mueff,
            tolfun: p.tolFun, tolx: p.tolX * p.sigma0, tolxup: p.tolXUp * p.sigma0, maxcond: p.maxCondition, cond32: COND_FLOAT32, f_target: ctx.fTarget, eigen_every: eigenEvery,
          }));
          const data = engine.dataBuffer(obj);
          const popBind = engine.bindGroup('brox.cma.pop', popP, [0, 1, 4, 5, 8, 12, 13], { ...bufs.resources(0, data), 8: { buffer: cparams }, 12: { buffer: mstate }, 13: { buffer: pop } });
          const tellBind = engine.bindGroup('brox.cma.tell', tellP, [8, 11, 12, 13, 14, 15, 16], { 8: { buffer: cparams }, 11: { buffer: bufs.state }, 12: { buffer: mstate }, 13: { buffer: pop }, 14: { buffer: bufs.geom }, 15: { buffer: weights }, 16: { buffer: hist } });
          const enc = dev.createCommandEncoder({ label: 'brox.cmaBatch' });
          const pass = engine.pass(enc, { label: 'brox.cmaPass' });
          const wgs = Math.ceil(s.lambda / engine.wg);
          for (let j = 0; j < k; j++) {
            pass.setPipeline(popP);
            pass.setBindGroup(0, popBind);
            pass.dispatchWorkgroups(wgs);
            pass.setPipeline(tellP);
            pass.setBindGroup(0, tellBind);
            pass.dispatchWorkgroups(1);
          }
          pass.end();
          const sb = State.bytes(n);
          enc.copyBufferToBuffer(bufs.state, 0, read, 0, sb);
          enc.copyBufferToBuffer(mstate, 0, read, sb, mBytes);
          enc.copyBufferToBuffer(hist, 0, read, sb + mBytes, k * 16);
          engine.submit(enc.finish());
          const bytes = await engine.readMapped(read, sb + mBytes + k * 16);
          const head = State.read(bytes);
          const f = new Float32Array(bytes, sb, mBytes / 4);
          const center = new Float32Array(bytes, State.headBytes, n);
          const done = head.k - firstCall;
          const gensOut: ResidentGeneration[] = [];
          const hv = new Float32Array(bytes, sb + mBytes, k * 4);
          const hu = new Uint32Array(bytes, sb + mBytes, k * 4);
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
          return { generations: gensOut, halt: head.halt, best: { x: bestX, f32: f[3] } };
        }),
      );
    },
    close() {
      if (closed) return;
      closed = true;
      void engine.serial(async () => {
        bufs.destroy();
        engine.free(mstate, pop, weights, cparams, hist, read);
      }).catch(() => undefined);
    },
  };
}
