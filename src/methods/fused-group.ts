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

/** Sessions with equal keys can fuse: everything the group binds once or compiles once is in it. */
export function fuseKey(engine: GpuEngine, obj: Objective, plan: { name: string; sampler: { key: string }; params(c: number): Record<string, number>; extras?: Record<string, Float32Array>; histFloats: number }, population: number, d: number, ctx: ResidentContext, mBytes: number): string {
  const { hist_base: _, ...uniform } = plan.params(0);
  const extras = Object.entries(plan.extras ?? {}).map(([k, v]) => `${k}:${Array.from(v).join(',')}`);
  return [plan.name, idOf(engine), idOf(obj), d, population, plan.sampler.key, ctx.bounds ? `${ctx.bounds.lo.join(',')}/${ctx.bounds.hi.join(',')}` : '-', mBytes, plan.histFloats, JSON.stringify(uniform), ...extras].join('|');
}

/** Dispatches of the largest grid dimension (WebGPU's default maxComputeWorkgroupsPerDimension). */
const MAX_ROWS = 65535;

/** Whether these parts can run as one group (the same key, within the device's grid). */
export const fusable = (parts: FusablePart[]): boolean => parts.length >= 2 && parts.length <= MAX_ROWS && parts.every((p) => p.key === parts[0].key);

/** The index groups of parts that fuse (equal keys, two or more). */
export function fuseGroups(parts: Array<FusablePart | undefined>): number[][] {
  const groups = new Map<string, number[]>();
  parts.forEach((p, i) => {
    if (p) groups.set(p.key, [...(groups.get(p.key) ?? []), i]);
  });
  return [...groups.values()].filter((idx) => fusable(idx.map((i) => parts[i]!)));
}

/** Compiles the fused kernels of these parts' groups (before a batch is timed: compiling is not a generation's cost). */
export async function compileFused(parts: Array<FusablePart | undefined>): Promise<void> {
  await Promise.all(fuseGroups(parts).map((idx) => parts[idx[0]]!.pipelines()));
}

/**
 * Encodes one batch of every member (gens[i] generations from RNG call firstCall[i]) as one group,
 * and each member's results into `read` at offsets[i]. Returns the group's buffers (freed by the
 * caller after the readback).
 */
export async function encodeFused(engine: GpuEngine, enc: GPUCommandEncoder, parts: FusablePart[], gens: number[], firstCalls: number[], read: GPUBuffer, offsets: number[]): Promise<GPUBuffer[]> {
  const B = parts.length;
  const p0 = parts[0];
  const N = p0.population;
  const d = Math.round((p0.stateBytes - 16) / 4);
  const K = Math.max(...gens);
  const S = GPUBufferUsage;
  const dev = engine.device;
  const label = 'brox.fused';
  const { pop: popP, rank: rankP, tell: tellP } = await p0.pipelines();
  const ms = p0.mstateBytes / 4;
  const gs = p0.geomBytes / 4;
  const hs = K * p0.histFloats;
  const states = engine.buffer(`${label}.state`, B * p0.stateBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC);
  const mstates = engine.buffer(`${label}.mstate`, B * p0.mstateBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC);
  const geoms = engine.buffer(`${label}.geom`, B * p0.geomBytes, S.STORAGE | S.COPY_DST | S.COPY_SRC);
  const hists = engine.buffer(`${label}.history`, Math.max(4, B * hs * 4), S.STORAGE | S.COPY_SRC);
  const pops = engine.buffer(`${label}.pop`, B * N * (1 + d) * 4, S.STORAGE);
  const order = engine.buffer(`${label}.order`, rankP ? B * N * 4 : 4, S.STORAGE);
  const info = engine.buffer(`${label}.info`, RunsInfo.bytes(), S.UNIFORM | S.COPY_DST);
  const runs = engine.buffer(`${label}.runs`, B * 16, S.STORAGE | S.COPY_DST);
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
  const sh = p0.shared;
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
  return [states, mstates, geoms, hists, pops, order, info, runs];
}
