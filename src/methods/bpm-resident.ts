/**
 * BPM's resident form (WebGPU): whole-ball steps, K per submission; the radii of a constant or
 * geometric schedule are written ahead, an adaptive one's are computed by the update kernel after
 * each step (copied into the radii buffer between passes). Per step the engine's argmin sample pass draws the ball's
 * samples around the centre held in the state, then brox_bpm_update (shaders/methods/bpm.wgsl)
 * moves the centre to the winner when it beats f(centre), writes a history record and applies the
 * stop rules in float32. The host (`after`) re-checks every step in float64 with the same rules
 * (`advance` in src/methods/bpm.ts): where float64 disagrees with float32, the run is handed over
 * to step by step from that step on (same RNG call, so the same samples).
 */
import { CallBuffers } from '../engine/call.js';
import { ArgminKernel } from '../engine/kernels/argmin.js';
import { SampleParams, State } from '../engine/layouts.js';
import { pointOf } from '../samplers/point.js';
import { prepareSampler, type PreparedSampler } from '../samplers/spec.js';
import { closeOnce } from './resident-batch.js';
import { advance, atFloor, beginRestart, floorOf, ftolStop, nextRadius, residentBall, residentCoord, stepSamples, type BpmState } from './bpm.js';
import { BPM_RECIPE, BpmParams, decodeSteps, fits, HALT, historyStride, MAX_HIST_BYTES, recheck, type BpmGeneration } from './bpm-kernel.js';
import { coordResident } from './bpm-coord-resident.js';
import { polishedSteps, polishResident } from './bpm-polish-resident.js';
import type { ResidentForm, StepReport } from './types.js';

/** Whole-ball steps. */
const ballResident: ResidentForm<BpmState, BpmGeneration> = {
  ready(st, _dim, engine) {
    const ball = residentBall(st);
    if (ball === null || st.stepwise) return false;
    const n = stepSamples(st, Infinity);
    return n <= 2 ** 34 && (!engine || fits(engine, n));
  },

  async open(engine, ctx, st) {
    const obj = ctx.objective;
    const d = ctx.dim;
    const sampler = prepareSampler(residentBall(st)!, d, ctx.generator);
    const samples = stepSamples(st, Infinity);
    const stride = historyStride(d);
    const K = Math.max(1, Math.min(ctx.batch, Math.floor(2 ** 31 / samples), Math.floor(MAX_HIST_BYTES / (stride * 4))));
    const dev = engine.device;
    const S = GPUBufferUsage;
    const label = 'brox.bpmRun';
    const bufs = new CallBuffers(engine, label, K + 1);
    const argmin = new ArgminKernel(engine);
    const bparams = engine.buffer(`${label}.params`, BpmParams.bytes(), S.UNIFORM | S.COPY_DST);
    const history = engine.buffer(`${label}.history`, K * stride * 4, S.STORAGE | S.COPY_SRC);
    const next = engine.buffer(`${label}.next`, 16, S.STORAGE | S.COPY_SRC);
    // radii[j + 1] comes from the GPU: each step's update writes it, copied between passes
    const adaptive = st.p.schedule === 'adaptive';
    const spec = { objective: obj, sampler, bounds: ctx.bounds, seed: ctx.seed, call: 0, round: 0, center: st.x, t: st.t, outer: st.x, tOuter: Infinity };
    const [sample, update, init] = await Promise.all([
      argmin.samplePipeline(spec),
      engine.pipeline(obj, BPM_RECIPE, sampler, 'brox_bpm_update'),
      engine.pipeline(obj, BPM_RECIPE, sampler, 'brox_bpm_init'),
    ]);
    // the geometry: bounds and the sampler's map (the outer centre is unused with one round)
    bufs.writeGeom(spec);
    let first = true;
    return {
      population: samples,
      readBytes: (gens) => State.headBytes + Math.min(gens, K) * stride * 4,
      encode(enc, gens, firstCall, read, offset) {
        const k = Math.min(gens, K);
        const data = engine.dataBuffer(obj);
        if (first) bufs.writeState(firstCall, st.x); // later batches: the centre and f(centre) stay on the GPU
        const grid = bufs.writeParams(spec, 0, samples, firstCall);
        // the schedule of the batch: radius of each step and whether a failure there is final, from
        // the host (constant, geometric: known ahead), or its first step only (adaptive: the GPU)
        const radii: Array<[number, boolean]> = [];
        let t = st.t;
        for (let j = 0; j <= (adaptive ? 0 : k); j++) {
          const nt = nextRadius(st.p, st.k - st.sweep + j, t);
          radii.push([t, !atFloor(st.p, t, nt)]);
          t = nt;
        }
        bufs.writeRadii(radii);
        const p = st.p;
        dev.queue.writeBuffer(bparams, 0, BpmParams.write({
          n: grid.reduce((a, b) => a + b, 0), hist_base: firstCall, f_target: Math.max(ctx.fTarget, -3.4e38), ftol: p.ftol,
          adaptive: adaptive ? 1 : 0, t0: p.radius, t_min: floorOf(p), shrink_by: p.shrinkBy, grow_by: p.growBy,
          c_min: 0, c_max: 0, c_grow: 1, c_shrink: 1, cycle: 0,
        }));
        const own = { brox_partials: argmin.partials, brox_bparams: bparams, brox_state: bufs.state, brox_history: history, brox_bnext: next };
        const sp = { buffer: bufs.params, offset: 0, size: SampleParams.bytes() };
        const ug = engine.bindNamed(`${label}.update`, update, { brox_sparams: sp, brox_radii: bufs.radii, brox_geom: bufs.geom, ...own });
        let pass = engine.pass(enc, { label: `${label}.pass` });
        if (first) {
          pass.setPipeline(init);
          pass.setBindGroup(0, engine.bindNamed(`${label}.init`, init, { brox_data: data, brox_state: bufs.state }));
          pass.dispatchWorkgroups(1);
        }
        for (let j = 0; j < k; j++) {
          argmin.encodeSamples(pass, sample, bufs, grid, data);
          pass.setPipeline(update);
          pass.setBindGroup(0, ug);
          pass.dispatchWorkgroups(1);
          if (adaptive && j < k - 1) {
            pass.end();
            enc.copyBufferToBuffer(next, 0, bufs.radii, (j + 1) * 8, 8);
            pass = engine.pass(enc, { label: `${label}.pass` });
          }
        }
        pass.end();
        first = false;
        enc.copyBufferToBuffer(bufs.state, 0, read, offset, State.headBytes);
        enc.copyBufferToBuffer(history, 0, read, offset + State.headBytes, k * stride * 4);
      },
      decode: (bytes, offset, gens, firstCall) => decodeSteps(bytes, offset, Math.min(gens, K), firstCall, d, st.x),
      close: closeOnce(engine, () => {
        bufs.destroy();
        argmin.destroy();
        engine.free(bparams, history, next);
      }),
    };
  },

  rewind(st, last) {
    st.x = Float64Array.from(last.x);
    st.fun = last.fun;
    st.lastT = last.radius;
    const info = last.info as { restarts: number; radius: number };
    st.t = info.radius;
    st.restarts = info.restarts;
  },

  /**
   * Each step in float64, as step() would take it: accept the float32 winner only if float64 agrees
   * it is better; a step float32 kept whose winner float64 would take, a float32-only stop, or an
   * overflow at the centre hands the run over to step by step from that step (`used` stops there).
   */
  after(ctx, st, batch) {
    const reports: StepReport[] = [];
    const obj = ctx.objective;
    const n = stepSamples(st, Infinity);
    let sampler: PreparedSampler | undefined; // only a kept centre's winner is regenerated: prepared then
    let handOver = false;
    let restarted = false;
    for (const [j, g] of batch.generations.entries()) {
      const haltsHere = batch.halt !== HALT.none && j === batch.generations.length - 1;
      const v = recheck(obj, st, g, () => {
        sampler ??= prepareSampler(residentBall(st)!, ctx.dim, ctx.generator);
        return pointOf({ objective: obj, sampler, bounds: ctx.bounds, seed: ctx.seed, call: g.call, round: 0, center: st.x, t: st.t, outer: st.x, tOuter: Infinity }, g.winner);
      });
      if ((handOver = v.handOver)) break;
      const { x: xNew, fun: fNew } = v;
      // the host's verdict on this step, before any state changes (the rules are advance()'s)
      const t = st.t;
      const prev = st.fun;
      const target = g.improved && fNew <= ctx.fTarget;
      const hostHalt = target ? HALT.target
        : g.improved && ftolStop(st.p, prev, fNew) ? HALT.ftol
        : !g.improved && atFloor(st.p, t, nextRadius(st.p, st.k - st.sweep, t)) ? HALT.fixedPoint : HALT.none;
      if (haltsHere && hostHalt === HALT.none) {
        handOver = true; // float32 stopped where float64 goes on: this step is redone step by step
        break;
      }
      if (g.improved) {
        st.x = xNew;
        st.fun = fNew;
      }
      // the budget as step() sees it after this step's evaluations (the batch's are counted after `after`)
      const out = advance(st, t, g.improved, prev, ctx.evalsLeft() - (reports.length + 1) * n, n);
      if (out.restart) {
        beginRestart(st); // from the best point (ready() sends random restarts step by step)
        restarted = true;
      }
      reports.push({ x: st.x, fun: st.fun, nfev: n, radius: t, improved: g.improved, index: g.improved ? g.winner : -1, stop: out.stop, info: { restarts: st.restarts, radius: st.t } });
      if (hostHalt !== HALT.none) break; // the run stops or restarts here (float64 may see it before float32)
    }
    if (handOver) st.stepwise = true;
    return { reports, reopen: handOver || restarted || batch.halt !== HALT.none, used: reports.length };
  },
};

/** The resident form of the run's steps: polished (the default), coordinate, or plain whole-ball steps. */
const formOf = (st: BpmState): ResidentForm<BpmState, any> => (polishedSteps(st) ? polishResident : residentCoord(st) ? coordResident : ballResident);

/** BPM's resident form: whichever the run's steps are. */
export const bpmResident: ResidentForm<BpmState, BpmGeneration> = {
  ready: (st, dim, engine) => formOf(st).ready(st, dim, engine),
  open: (engine, ctx, st) => formOf(st).open(engine, ctx, st),
  after: (ctx, st, batch) => formOf(st).after(ctx, st, batch),
  rewind: (st, last) => formOf(st).rewind!(st, last),
};
