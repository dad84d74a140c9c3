/**
 * Many runs in one dispatch per kernel (WebGPU): the runs of a resident batch whose sessions share
 * a fuse key (the same method, objective, sampler, d, population and parameters; FusablePart in
 * types.ts) advance together — per generation one population pass over every run (workgroup rows),
 * one rank pass (rows) and one tell (a workgroup per run), instead of the same three dispatches per
 * run. On a GPU the tell of one run is a single workgroup: B runs then fill B of its cores at the
 * cost of one.
 *
 * The group's buffers hold every run's state, method state, geometry, population, order and
 * history at a stride (the kernels' offsets: shaders/engine/center_runs.wgsl, shaders/methods/
 * runs.wgsl). Each session keeps its own run: its buffers are copied into the group's before the
 * generations and back after, then copied out for the readback as its own encode() would, so
 * decode(), restarts and hand-overs are the session's alone. Results equal the unfused runs': the
 * same kernels' arithmetic, run by run.
 */
import type { GpuEngine } from '../engine/engine.js';
import { Layout } from '../engine/struct.js';
import type { Objective } from '../objectives/types.js';
import type { FusablePart, ResidentContext } from './types.js';

/** The group's uniform: runs, and the float strides of a run's method state, geometry and history. */
export const RunsInfo = new Layout('BroxRunsInfo', [
  ['count', 'u32'],
  ['mstride', 'u32'],
  ['gstride', 'u32'],
  ['hstride', 'u32'],
] as const);

const objectIds = new WeakMap<object, number>();
let nextId = 1;
const idOf = (o: object): number => {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextId++));
  return id;
};

/**
 * Sessions with equal keys can fuse: everything the group binds once or compiles once is in it
 * (the method's uniform by its bytes, hist_base aside: JSON would merge NaN and the infinities).
 */
export function fuseKey(engine: GpuEngine, obj: Objective, plan: { name: string; sampler: { key: string }; layout: Layout<string>; params(c: number): Record<string, number>; extras?: Record<string, Float32Array>; histFloats: number }, population: number, d: number, ctx: ResidentContext, mBytes: number): string {
  const uniform = Array.from(new Uint32Array(plan.layout.write({ ...plan.params(0), hist_base: 0 }))).join(',');
  const extras = Object.entries(plan.extras ?? {}).map(([k, v]) => `${k}:${Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length)).join(',')}`);
  return [plan.name, idOf(engine), idOf(obj), d, population, plan.sampler.key, ctx.bounds ? `${ctx.bounds.lo.join(',')}/${ctx.bounds.hi.join(',')}` : '-', mBytes, plan.histFloats, uniform, ...extras].join('|');
}

/** Dispatches of the largest grid dimension (WebGPU's default maxComputeWorkgroupsPerDimension). */
const MAX_ROWS = 65535;

/** The largest group buffer's bytes per run (population, method state, history, geometry, state). */
const bytesPerRun = (p: FusablePart): number => Math.max(p.population * (1 + Math.round((p.stateBytes - 16) / 4)) * 4, p.mstateBytes, p.batch * p.histFloats * 4, p.geomBytes, p.stateBytes);

/**
 * The index groups of parts that fuse: equal keys, two or more, each group's buffers within
 * `limit` bytes (the device's binding and buffer limits; a key's runs beyond that form more groups).
 */
export function fuseGroups(parts: Array<FusablePart | undefined>, limit: number): number[][] {
  const byKey = new Map<string, number[]>();
  parts.forEach((p, i) => {
    if (p) byKey.set(p.key, [...(byKey.get(p.key) ?? []), i]);
  });
  const out: number[][] = [];
  for (const idx of byKey.values()) {
    const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(limit / bytesPerRun(parts[idx[0]]!))));
    for (let i = 0; i < idx.length; i += per) if (Math.min(per, idx.length - i) >= 2) out.push(idx.slice(i, i + per));
  }
  return out;
}

/** The byte limit of one group buffer on this engine's device. */
export const groupLimit = (engine: GpuEngine): number => Math.min(engine.device.limits.maxStorageBufferBindingSize, engine.device.limits.maxBufferSize);

/** Compiles the fused kernels of these parts' groups (before a batch is timed: compiling is not a generation's cost). */
export async function compileFused(engine: GpuEngine, parts: Array<FusablePart | undefined>): Promise<void> {
  await Promise.all(fuseGroups(parts, groupLimit(engine)).map((idx) => parts[idx[0]]!.pipelines()));
}

/**
 * Encodes one batch of every member (gens[i] generations from RNG call firstCall[i]) as one group,
 * and each member's results into `read` at offsets[i]. The group's buffers go into `scratch` as
 * they are made (the caller frees them after the readback, or after a failure).
 */
export async function encodeFused(engine: GpuEngine, enc: GPUCommandEncoder, parts: FusablePart[], gens: number[], firstCalls: number[], read: GPUBuffer, offsets: number[], scratch: GPUBuffer[]): Promise<void> {
  const B = parts.length;
  const p0 = parts[0];
  const N = p0.population;
  const d = Math.round((p0.stateBytes - 16) / 4);
  const K = Math.max(...gens);
  const S = GPUBufferUsage;
  const dev = engine.device;
  const label = 'brox.fused';
  const { pop: popP, rank: rankP, tell: tellP } = await p0.pipelines();
  const made = (b: GPUBuffer): GPUBuffer => (scratch.push(b), b);
  const ms = p0.mstateBytes / 4;
  const gs = p0.geomBytes / 4;
  const hs = K * p0.histFloats;
  const states = made(engine.buffer(`${label}.state`, B * p0.stateBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC));
  const mstates = made(engine.buffer(`${label}.mstate`, B * p0.mstateBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC));
  const geoms = made(engine.buffer(`${label}.geom`, B * p0.geomBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC));
  const hists = made(engine.buffer(`${label}.history`, Math.max(4, B * hs * 4), S.STORAGE | S.COPY_SRC));
  const pops = made(engine.buffer(`${label}.pop`, B * N * (1 + d) * 4, S.STORAGE));
  const order = made(engine.buffer(`${label}.order`, rankP ? B * N * 4 : 4, S.STORAGE));
  const info = made(engine.buffer(`${label}.info`, RunsInfo.bytes(), S.UNIFORM | S.COPY_DST));
  const runs = made(engine.buffer(`${label}.runs`, B * 16, S.STORAGE | S.COPY_DST));
  const table = new Uint32Array(B * 4);
  parts.forEach((p, r) => {
    p.prepare(firstCalls[r]);
    table.set([p.seed >>> 0, firstCalls[r], firstCalls[r] + gens[r], 0], 4 * r);
  });
  dev.queue.writeBuffer(info, 0, RunsInfo.write({ count: B, mstride: ms, gstride: gs, hstride: hs }));
  dev.queue.writeBuffer(runs, 0, table);
  // each run's buffers into the group's
  parts.forEach((p, r) => {
    enc.copyBufferToBuffer(p.state, 0, states, r * p0.stateBytes, p0.stateBytes);
    enc.copyBufferToBuffer(p.mstate, 0, mstates, r * p0.mstateBytes, p0.mstateBytes);
    enc.copyBufferToBuffer(p.geom(), 0, geoms, r * p0.geomBytes, p0.geomBytes);
  });
  const sh = p0.shared();
  const runsRes = { brox_runs_info: info, brox_runs: runs };
  const bindPop = engine.bindNamed(`${label}.pop`, popP, { brox_sparams: sh.brox_sparams, brox_data: sh.brox_data, brox_cstates: states, brox_geom: geoms, brox_mp: sh.brox_mp, brox_mstate_r: mstates, brox_pop: pops, ...runsRes }, ['brox_mstate_r']);
  const extras = Object.fromEntries(Object.entries(sh).filter(([k]) => !['brox_sparams', 'brox_data', 'brox_mp'].includes(k)));
  const bindTell = engine.bindNamed(`${label}.tell`, tellP, { brox_mp: sh.brox_mp, brox_state: states, brox_mstate: mstates, brox_popr: pops, brox_geomw: geoms, brox_hist: hists, brox_order: rankP ? order : null, ...extras, ...runsRes }, ['brox_geomw', 'brox_runs']);
  const bindRank = rankP && engine.bindNamed(`${label}.rank`, rankP, { brox_mp: sh.brox_mp, brox_state: states, brox_popr: pops, brox_order: order, ...runsRes }, ['brox_runs_info']);
  const pass = engine.pass(enc, { label: `${label}.pass` });
  const wgs = Math.ceil(N / engine.wg);
  for (let j = 0; j < K; j++) {
    pass.setPipeline(popP);
    pass.setBindGroup(0, bindPop);
    pass.dispatchWorkgroups(wgs, B);
    if (rankP) {
      pass.setPipeline(rankP);
      pass.setBindGroup(0, bindRank!);
      pass.dispatchWorkgroups(wgs, B);
    }
    pass.setPipeline(tellP);
    pass.setBindGroup(0, bindTell);
    pass.dispatchWorkgroups(B);
  }
  pass.end();
  // and back: each session owns its run again, and copies its results out as encode() does
  parts.forEach((p, r) => {
    enc.copyBufferToBuffer(states, r * p0.stateBytes, p.state, 0, p0.stateBytes);
    enc.copyBufferToBuffer(mstates, r * p0.mstateBytes, p.mstate, 0, p0.mstateBytes);
    enc.copyBufferToBuffer(geoms, r * p0.geomBytes, p.geom(), 0, p0.geomBytes);
    if (gens[r] > 0) enc.copyBufferToBuffer(hists, r * hs * 4, p.hist, 0, gens[r] * p0.histFloats * 4);
    p.copyOut(enc, gens[r], read, offsets[r]);
  });
}
