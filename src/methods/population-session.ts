/**
 * What every population method's resident form shares (WebGPU): per generation the population pass
 * (shaders/engine/population.wgsl: `population` samples drawn around the state's centre with the
 * method's sampler, evaluated, kept as order keys and points) then the method's tell kernel (one
 * workgroup: rank or weigh, update the state, write a history record, set a stop code). The method
 * state (`mstate`, f32) lives on the GPU between batches; a batch reads back the engine State
 * (centre, step, halt), the method state and the history records.
 *
 * Named bindings: the host binds by the variable names the kernels declare (shaders/methods/*.wgsl:
 * brox_mp, brox_state, brox_mstate, brox_popr, brox_hist, and where the method has them
 * brox_mstate_r (the population pass reads the state), brox_geomw (the tell adapts the sampler's
 * map) and its extras); the numbers are written once, in the WGSL (engine.bindNamed resolves them).
 */
import popChunk from '../../shaders/engine/population.wgsl?raw';
import centerWgsl from '../../shaders/engine/center_readonly.wgsl?raw';
import centerRunsWgsl from '../../shaders/engine/center_runs.wgsl?raw';
import runsWgsl from '../../shaders/methods/runs.wgsl?raw';
import { CallBuffers } from '../engine/call.js';
import type { KernelRecipe } from '../engine/compose.js';
import type { GpuEngine } from '../engine/engine.js';
import { State } from '../engine/layouts.js';
import type { Layout } from '../engine/struct.js';
import type { PreparedSampler } from '../samplers/spec.js';
import type { ResidentBatch, ResidentContext, ResidentSession } from './types.js';
import { closeOnce } from './resident-batch.js';
import { fuseKey, RunsInfo } from './fused-group.js';

/** What a method gives to open its session. */
export interface PopulationPlan<G> {
  /** Short name (labels, kernel cache keys). */
  name: string;
  population: number;
  /** The sampler of the population pass (a map the tell kernel adapts lives in the geometry). */
  sampler: PreparedSampler;
  /** The method's centre (brox_state.center). */
  center: ArrayLike<number>;
  /** WGSL defining brox_pop_count() / brox_pop_scale() for the population pass (reads brox_mp, brox_mstate_r). */
  popChunk: string;
  /** The tell kernel's chunks (shaders/methods/runs.wgsl is added: the run offsets), and its entry point. */
  tellChunks: string[];
  tellEntry: string;
  /**
   * The entries of the tell and rank for many runs in one dispatch (one workgroup per run, and
   * workgroup rows per run), where the method has them: its sessions then fuse with other runs'.
   */
  fused?: { tell: string; rank?: string };
  /**
   * An entry of the tell module that ranks the population into brox_order (one member per thread,
   * many workgroups), dispatched before the tell: a tell that needs the order then has no
   * population limit from one workgroup's memory. Absent: the tell ranks on its own.
   */
  rankEntry?: string;
  /** The method's uniform (brox_mp) and its values for a batch starting at `firstCall`. */
  layout: Layout<string>;
  params(firstCall: number): Record<string, number>;
  /** The method state's initial floats (brox_mstate). */
  mstate: Float32Array;
  /** Read-only extras of the tell kernel, by variable name (e.g. CMA-ES's recombination weights). */
  extras?: Record<string, Float32Array>;
  /** Floats of one generation's history record. */
  histFloats: number;
  /** The batch from what came back: method state, centre, `done` generations' records, the GPU's stop code. */
  decode(m: Float32Array, center: Float32Array, hist: ArrayBuffer, done: number, halt: number): ResidentBatch<G>;
}

/**
 * Rank comparisons (a load and a compare each) per evaluation, for sizing the first batch: a d = 10
 * objective costs ~1e2-1e3 operations, so ~1e3 comparisons is about one evaluation (an estimate;
 * later batches are sized by their measured time).
 */
const RANK_PER_EVAL = 1024;

export async function openPopulationSession<G>(engine: GpuEngine, ctx: ResidentContext, plan: PopulationPlan<G>): Promise<ResidentSession<G>> {
  const obj = ctx.objective;
  const n = ctx.dim;
  const dev = engine.device;
  const S = GPUBufferUsage;
  const K = ctx.batch;
  const N = plan.population;
  const popRecipe: KernelRecipe = { name: `${plan.name}-pop`, chunks: [centerWgsl, plan.popChunk, popChunk], sampling: true, best: true, layouts: [plan.layout] };
  const tellRecipe: KernelRecipe = { name: `${plan.name}-tell`, chunks: [...plan.tellChunks, runsWgsl], sampling: false, best: true, layouts: [plan.layout, RunsInfo] };
  const [popP, tellP, rankP] = await Promise.all([
    engine.pipeline(obj, popRecipe, plan.sampler, 'brox_population_pass'),
    engine.pipeline(obj, tellRecipe, null, plan.tellEntry),
    plan.rankEntry ? engine.pipeline(obj, tellRecipe, null, plan.rankEntry) : null,
  ]);

  const label = `brox.${plan.name}Run`;
  const bufs = new CallBuffers(engine, label, 1);
  const mBytes = plan.mstate.byteLength;
  const hBytes = plan.histFloats * 4;
  const mstate = engine.buffer(`${label}.mstate`, mBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC);
  const pop = engine.buffer(`${label}.pop`, N * (1 + n) * 4, S.STORAGE);
  const mp = engine.buffer(`${label}.params`, plan.layout.bytes(), S.UNIFORM | S.COPY_DST);
  const hist = engine.buffer(`${label}.history`, K * hBytes, S.STORAGE | S.COPY_SRC | S.COPY_DST);
  const order = rankP ? engine.buffer(`${label}.order`, N * 4, S.STORAGE) : null;
  const extras: Record<string, GPUBuffer> = {};
  for (const [name, data] of Object.entries(plan.extras ?? {})) {
    extras[name] = engine.buffer(`${label}.${name}`, data.byteLength, S.STORAGE | S.COPY_DST);
    dev.queue.writeBuffer(extras[name], 0, data as Float32Array<ArrayBuffer>);
  }
  // the geometry (bounds, the sampler's map), the method state: uploaded once per session
  const spec = { objective: obj, sampler: plan.sampler, bounds: ctx.bounds, seed: ctx.seed, call: 0, round: 0, center: plan.center, t: 1, outer: plan.center, tOuter: Infinity };
  bufs.writeGeom(spec);
  dev.queue.writeBuffer(mstate, 0, plan.mstate as Float32Array<ArrayBuffer>);
  let center = plan.center;
  const sb = State.bytes(n);
  const prepare = (firstCall: number): void => {
    bufs.writeState(firstCall, center);
    bufs.writeParams(spec, 0, N, firstCall);
    dev.queue.writeBuffer(mp, 0, plan.layout.write(plan.params(firstCall)));
  };
  const copyOut = (enc: GPUCommandEncoder, k: number, read: GPUBuffer, offset: number): void => {
    enc.copyBufferToBuffer(bufs.state, 0, read, offset, sb);
    enc.copyBufferToBuffer(mstate, 0, read, offset + sb, mBytes);
    enc.copyBufferToBuffer(hist, 0, read, offset + sb + mBytes, k * hBytes);
  };
  const fused = plan.fused;
  const fuse = fused && {
    key: fuseKey(engine, obj, plan, N, n, ctx, mBytes),
    seed: ctx.seed,
    population: N,
    batch: K,
    prepare,
    state: bufs.state,
    stateBytes: sb,
    mstate,
    mstateBytes: mBytes,
    geom: () => bufs.geom,
    geomBytes: bufs.geomWritten,
    hist,
    histFloats: plan.histFloats,
    shared: () => ({ brox_sparams: bufs.sampling(0, null).brox_sparams!, brox_data: engine.dataBuffer(obj), brox_mp: mp, ...extras }),
    pipelines: async () => {
      const runsPop: KernelRecipe = { ...popRecipe, name: `${plan.name}-pop-runs`, chunks: [centerRunsWgsl, plan.popChunk, popChunk], layouts: [plan.layout, RunsInfo] };
      const [pop, rank, tell] = await Promise.all([
        engine.pipeline(obj, runsPop, plan.sampler, 'brox_population_runs'),
        fused.rank ? engine.pipeline(obj, tellRecipe, null, fused.rank) : null,
        engine.pipeline(obj, tellRecipe, null, fused.tell),
      ]);
      return { pop, rank, tell };
    },
    copyOut,
  };

  return {
    population: N,
    // the rank pass: N comparisons per member; RANK_PER_EVAL of them cost about one evaluation
    work: N + (rankP ? (N * N) / RANK_PER_EVAL : 0),
    readBytes: (gens) => sb + mBytes + Math.min(gens, K) * hBytes,
    fuse: fuse || undefined,
    encode(enc, gens, firstCall, read, offset) {
      const k = Math.min(gens, K);
      prepare(firstCall);
      const data = engine.dataBuffer(obj);
      const bindPop = engine.bindNamed(`${label}.pop`, popP, { ...bufs.sampling(0, data), brox_mp: mp, brox_mstate_r: mstate, brox_pop: pop }, ['brox_mstate_r']);
      const bindTell = engine.bindNamed(`${label}.tell`, tellP, { brox_mp: mp, brox_state: bufs.state, brox_mstate: mstate, brox_popr: pop, brox_geomw: bufs.geom, brox_hist: hist, brox_order: order, ...extras }, ['brox_geomw']);
      const bindRank = rankP && engine.bindNamed(`${label}.rank`, rankP, { brox_mp: mp, brox_state: bufs.state, brox_popr: pop, brox_order: order });
      const pass = engine.pass(enc, { label: `${label}.pass` });
      const wgs = Math.ceil(N / engine.wg);
      for (let j = 0; j < k; j++) {
        pass.setPipeline(popP);
        pass.setBindGroup(0, bindPop);
        pass.dispatchWorkgroups(wgs);
        if (rankP) {
          pass.setPipeline(rankP);
          pass.setBindGroup(0, bindRank!);
          pass.dispatchWorkgroups(wgs);
        }
        pass.setPipeline(tellP);
        pass.setBindGroup(0, bindTell);
        pass.dispatchWorkgroups(1);
      }
      pass.end();
      copyOut(enc, k, read, offset);
    },
    decode(bytes, offset, gens, firstCall) {
      const k = Math.min(gens, K);
      const head = State.read(bytes, offset);
      const c = new Float32Array(bytes, offset + State.headBytes, n);
      center = Float64Array.from(c);
      const m = new Float32Array(bytes, offset + sb, mBytes / 4);
      const done = Math.min(k, head.k - firstCall);
      return plan.decode(m, c, bytes.slice(offset + sb + mBytes, offset + sb + mBytes + k * hBytes), done, head.halt);
    },
    close: closeOnce(engine, () => {
      bufs.destroy();
      engine.free(mstate, pop, mp, hist, order, ...Object.values(extras));
    }),
  };
}
