/**
 * BPM's coordinate steps, resident (WebGPU): ball 'coord' with one coordinate per step (the
 * portfolio's BPM sweeps, and bpm with ball 'coord'), K steps per submission. The host lays out the
 * batch's coordinates ahead (nextCoord on a copy of the run's cursor: the orders are a pure function
 * of the run's key, src/methods/bpm.ts) and each one's ball — the box ('mlinf') flat outside that
 * coordinate, a diagonal map — which is copied into the geometry before its step's sample pass.
 * Per step: the engine's argmin pass, then brox_bpm_coord_update (shaders/methods/bpm.wgsl) moves
 * the centre, updates the coordinate radii (kept on the GPU) and writes the next step's radius, copied
 * into radii[] between passes. The host (`after`) re-checks each step in float64 with the same rules
 * (coordAdvance) and hands over to step by step where float32 and float64 disagree.
 */
import { CallBuffers } from '../engine/call.js';
import { ArgminKernel } from '../engine/kernels/argmin.js';
import { SampleParams, State } from '../engine/layouts.js';
import { pointOf } from '../samplers/point.js';
import { prepareSampler } from '../samplers/spec.js';
import { closeOnce } from './resident-batch.js';
import { beginRestart, BIG, COORD_GROW, COORD_SHRINK, coordAdvance, coordRange, coordSamples, coordsAtFloor, nextCoord, type BpmState, type CoordCursor } from './bpm.js';
import { BPM_RECIPE, BpmParams, decodeSteps, fits, HALT, historyStride, MAX_HIST_BYTES, recheck, type BpmGeneration } from './bpm-kernel.js';
import type { MethodContext, ResidentForm, StepReport } from './types.js';

/** The ball of a step over coordinate c: weight BIG off c and 1 on it, as coordStep builds it. */
export const ballOf = (d: number, c: number) => {
  const M = new Array<number>(d).fill(BIG);
  M[c] = 1;
  return { kind: 'mlinf' as const, M };
};

export const cursor = (st: BpmState): CoordCursor => ({ order: st.order, pos: st.pos, shuffles: st.shuffles, orderKey: st.orderKey });

/**
 * One resident coordinate step in float64, as coordStep() takes it (same coordinate, same ball):
 * the float32 verdict re-checked (recheck), then coordAdvance's rules; the end of a sweep restarts
 * (ball 'coord': from the best point, ready() sends random restarts step by step; 'mixed': the
 * coordinate radii only, the point stays) or stops. A hand-over where float64 disagrees with
 * float32, or stops where the GPU did not (`haltsHere`: the GPU halted after this step).
 */
export function replayCoord(ctx: MethodContext, st: BpmState, g: BpmGeneration, evalsAfter: number, haltsHere: boolean): { handOver: boolean; report?: StepReport; restarted: boolean; halts: boolean } {
  const obj = ctx.objective;
  const d = ctx.dim;
  const q = { ...cursor(st), order: st.order };
  const c = nextCoord(q, d);
  const T = st.tc[c];
  const v = recheck(obj, st, g, () => pointOf({ objective: obj, sampler: prepareSampler(ballOf(d, c), d, ctx.generator), bounds: ctx.bounds, seed: ctx.seed, call: g.call, round: 0, center: st.x, t: T, outer: st.x, tOuter: Infinity }, g.winner));
  if (v.handOver) return { handOver: true, restarted: false, halts: true };
  const ends = !g.improved && coordsAtFloor(st);
  const hostHalt = g.improved && v.fun <= ctx.fTarget ? HALT.target : ends ? HALT.fixedPoint : HALT.none;
  // float32 stopped where float64 goes on: this step is redone step by step
  if (haltsHere && hostHalt === HALT.none) return { handOver: true, restarted: false, halts: true };
  Object.assign(st, { order: q.order, pos: q.pos, shuffles: q.shuffles });
  if (g.improved) ((st.x = v.x), (st.fun = v.fun));
  coordAdvance(st, [c], g.improved);
  let stop: StepReport['stop'];
  let restarted = false;
  if (ends) {
    if (st.p.restarts && evalsAfter > coordSamples(st, Infinity)) {
      st.tc.fill(coordRange(st.p).tMax);
      if (st.p.ball === 'coord') beginRestart(st); // from the best point
      else st.restarts++; // 'mixed': the coordinate sweep starts again (counted, the point stays)
      restarted = true;
    } else stop = 'fixed-point';
  }
  st.lastT = T;
  st.k++;
  const report = { x: st.x, fun: st.fun, nfev: coordSamples(st, Infinity), radius: T, improved: g.improved, index: g.improved ? g.winner : -1, stop, info: { restarts: st.restarts, radius: T } };
  return { handOver: false, report, restarted, halts: hostHalt !== HALT.none };
}

export const coordResident: ResidentForm<BpmState, BpmGeneration> = {
  ready(st, _dim, engine) {
    if (st.stepwise) return false;
    const n = coordSamples(st, Infinity);
    return n <= 2 ** 34 && (!engine || fits(engine, n));
  },

  async open(engine, ctx, st) {
    const obj = ctx.objective;
    const d = ctx.dim;
    const samples = coordSamples(st, Infinity);
    const stride = historyStride(d);
    const K = Math.max(1, Math.min(ctx.batch, Math.floor(2 ** 31 / samples), Math.floor(MAX_HIST_BYTES / (stride * 4)), Math.floor(MAX_HIST_BYTES / (8 * d))));
    const dev = engine.device;
    const S = GPUBufferUsage;
    const label = 'brox.bpmCoordRun';
    const bufs = new CallBuffers(engine, label, K + 1);
    const argmin = new ArgminKernel(engine);
    const bparams = engine.buffer(`${label}.params`, BpmParams.bytes(), S.UNIFORM | S.COPY_DST);
    const history = engine.buffer(`${label}.history`, K * stride * 4, S.STORAGE | S.COPY_SRC);
    const next = engine.buffer(`${label}.next`, 16, S.STORAGE | S.COPY_SRC);
    // the coordinate radii (f32 bits) then the batch's coordinates, as bpm.wgsl's brox_coord
    const coordBuf = engine.buffer(`${label}.coord`, (d + K + 1) * 4, S.STORAGE | S.COPY_DST);
    // each step's map (a | a^-1, diagonal), copied into the geometry before its sample pass
    const maps = engine.buffer(`${label}.maps`, K * 8 * d, S.COPY_SRC | S.COPY_DST);
    const sampler = prepareSampler(ballOf(d, 0), d, ctx.generator);
    const spec = { objective: obj, sampler, bounds: ctx.bounds, seed: ctx.seed, call: 0, round: 0, center: st.x, t: 1, outer: st.x, tOuter: Infinity };
    const [sample, update, init] = await Promise.all([
      argmin.samplePipeline(spec),
      engine.pipeline(obj, BPM_RECIPE, sampler, 'brox_bpm_coord_update'),
      engine.pipeline(obj, BPM_RECIPE, sampler, 'brox_bpm_init'),
    ]);
    bufs.writeGeom(spec); // bounds; the map slot is overwritten per step
    const mapAt = 3 * d * 4; // sample_point.wgsl: outer centre | lo | hi | map | map inverse
    let first = true;
    return {
      population: samples,
      readBytes: (gens) => State.headBytes + Math.min(gens, K) * stride * 4,
      encode(enc, gens, firstCall, read, offset) {
        const k = Math.min(gens, K);
        const data = engine.dataBuffer(obj);
        if (first) bufs.writeState(firstCall, st.x); // later batches: the centre and f(centre) stay on the GPU
        const grid = bufs.writeParams(spec, 0, samples, firstCall);
        // the batch's coordinates (one more: the last step writes the next one's radius), on a copy
        // of the cursor: after() advances the run's own cursor by the steps it takes
        const q = { ...cursor(st), order: st.order.slice() };
        const cs = Uint32Array.from({ length: k + 1 }, () => nextCoord(q, d));
        const m = new Float32Array(k * 2 * d);
        for (let j = 0; j < k; j++) {
          const map = prepareSampler(ballOf(d, cs[j]), d).map as { a: Float64Array; inv: Float64Array }; // diagonal
          m.set(map.a, j * 2 * d);
          m.set(map.inv, j * 2 * d + d);
        }
        const words = new Uint32Array(d + k + 1);
        new Float32Array(words.buffer, 0, d).set(st.tc); // the host's radii are the run's (float64 re-check)
        words.set(cs, d);
        dev.queue.writeBuffer(coordBuf, 0, words);
        dev.queue.writeBuffer(maps, 0, m);
        bufs.writeRadii([[st.tc[cs[0]], true]]);
        const p = st.p;
        const { tMin, tMax } = coordRange(p);
        dev.queue.writeBuffer(bparams, 0, BpmParams.write({
          n: grid.reduce((a, b) => a + b, 0), hist_base: firstCall, f_target: Math.max(ctx.fTarget, -3.4e38), ftol: 0,
          adaptive: 0, t0: p.radius, t_min: 0, shrink_by: 1, grow_by: 1,
          c_min: tMin, c_max: tMax, c_grow: COORD_GROW, c_shrink: COORD_SHRINK, cycle: p.restarts && p.coordCycle ? 1 : 0,
        }));
        const sp = { buffer: bufs.params, offset: 0, size: SampleParams.bytes() };
        const ug = engine.bindNamed(`${label}.update`, update, {
          brox_sparams: sp, brox_radii: bufs.radii, brox_geom: bufs.geom, brox_partials: argmin.partials, brox_bparams: bparams,
          brox_state: bufs.state, brox_history: history, brox_bnext: next, brox_coord: coordBuf,
        });
        if (first) {
          const pass = engine.pass(enc, { label: `${label}.init` });
          pass.setPipeline(init);
          pass.setBindGroup(0, engine.bindNamed(`${label}.init`, init, { brox_data: data, brox_state: bufs.state }));
          pass.dispatchWorkgroups(1);
          pass.end();
        }
        for (let j = 0; j < k; j++) {
          enc.copyBufferToBuffer(maps, j * 8 * d, bufs.geom, mapAt, 8 * d);
          if (j > 0) enc.copyBufferToBuffer(next, 0, bufs.radii, j * 8, 8);
          const pass = engine.pass(enc, { label: `${label}.pass` });
          argmin.encodeSamples(pass, sample, bufs, grid, data);
          pass.setPipeline(update);
          pass.setBindGroup(0, ug);
          pass.dispatchWorkgroups(1);
          pass.end();
        }
        first = false;
        enc.copyBufferToBuffer(bufs.state, 0, read, offset, State.headBytes);
        enc.copyBufferToBuffer(history, 0, read, offset + State.headBytes, k * stride * 4);
      },
      decode: (bytes, offset, gens, firstCall) => decodeSteps(bytes, offset, Math.min(gens, K), firstCall, d, st.x),
      close: closeOnce(engine, () => {
        bufs.destroy();
        argmin.destroy();
        engine.free(bparams, history, next, coordBuf, maps);
      }),
    };
  },

  rewind(st, last) {
    st.x = Float64Array.from(last.x);
    st.fun = last.fun;
    st.lastT = last.radius;
    st.restarts = (last.info as { restarts: number }).restarts;
  },

  /**
   * Each step in float64 as coordStep() takes it (same coordinate, same ball): the float32 verdict
   * re-checked (recheck), then coordAdvance's rules; the end of a sweep restarts from the best point
   * (ready() sends random restarts step by step) or stops. Where float64 disagrees with float32, or
   * stops where the GPU did not (or the reverse), `used` ends there.
   */
  after(ctx, st, batch) {
    const reports: StepReport[] = [];
    const n = coordSamples(st, Infinity);
    let handOver = false;
    let restarted = false;
    for (const [j, g] of batch.generations.entries()) {
      const haltsHere = batch.halt !== HALT.none && j === batch.generations.length - 1;
      // evaluations left after this step (the batch's are counted after `after`)
      const v = replayCoord(ctx, st, g, ctx.evalsLeft() - (reports.length + 1) * n, haltsHere);
      if ((handOver = v.handOver)) break;
      reports.push(v.report!);
      restarted ||= v.restarted;
      if (v.halts) break; // the run stops or restarts here (float64 may see it before float32)
    }
    if (handOver) st.stepwise = true;
    return { reports, reopen: handOver || restarted || batch.halt !== HALT.none, used: reports.length };
  },
};
