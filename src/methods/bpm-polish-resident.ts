/**
 * BPM's polished steps, resident (WebGPU): the default BPM (polish > 0; ball 'mixed' or a whole
 * ball; learned shapes or none), K steps per submission. A whole-ball step is the kernel sequence
 * of shaders/methods/bpm-polish.wgsl (population pass, rank, begin, P polish rounds on the engine's
 * argmin pass, accept with the shape update); a mixed ball's coordinate steps in between are
 * bpm-coord-resident's kernels on the same run state. The host lays out the batch ahead: which
 * steps are which (a mixed ball alternates by step number), their RNG calls (a whole step takes
 * two, topk and polish, as step() does; a coordinate step one), the coordinates and their balls.
 *
 * What the host re-checks (`after`): every centre the GPU moved to is re-evaluated in float64 and
 * must beat f(centre) there, and where the GPU kept the centre its polished point must not beat it
 * in float64 nor tie with it in float32; else float32 could not decide and the run goes on step by step from that step. (The
 * polish rounds themselves are float32 decisions the host does not redo.) The learned shape comes back as C at the end of each batch (float32, det 1), turned into
 * its ball by applyShape. Radii, restarts and stops are replayed with the float64 rules (advance);
 * where they differ from the GPU's (a radius at the floor within float32 rounding), the batch is
 * used up to that step and the run's session is reopened from the host's state. So paths match
 * step by step index for index while float32 and float64 agree, and differ within float32 rounding
 * of the shape after that (tested: test/bpm-polish-resident.test.ts).
 */
import popChunk from '../../shaders/engine/population.wgsl?raw';
import centerWgsl from '../../shaders/engine/center_readonly.wgsl?raw';
import rankWgsl from '../../shaders/methods/rank.wgsl?raw';
import bpmPopWgsl from '../../shaders/methods/bpm-pop.wgsl?raw';
import polishWgsl from '../../shaders/methods/bpm-polish.wgsl?raw';
import choleskyWgsl from '../../shaders/math/cholesky.wgsl?raw';
import { CallBuffers, SAMPLING_BINDINGS } from '../engine/call.js';
import { RECIPES, type KernelRecipe } from '../engine/compose.js';
import { PARAM_STRIDE } from '../engine/engine.js';
import { ArgminKernel } from '../engine/kernels/argmin.js';
import { SampleParams, State } from '../engine/layouts.js';
import { Layout } from '../engine/struct.js';
import { orderValue } from '../oracle/cpu-scan.js';
import { prepareSampler } from '../samplers/spec.js';
import type { SamplerSpec } from '../samplers/types.js';
import { closeOnce } from './resident-batch.js';
import { advance, applyShape, beginRestart, COORD_GROW, COORD_SHRINK, coordRange, coordSamples, floorOf, nextCoord, polishSamplesOf, restartWholeSweep, SHAPE_RATE, SHAPE_REG, shapeElites, stepSamples, type BpmState } from './bpm.js';
import { BPM_RECIPE, BpmParams, fits, HALT, historyStride, MAX_HIST_BYTES, type BpmGeneration } from './bpm-kernel.js';
import { ballOf, cursor, replayCoord } from './bpm-coord-resident.js';
import type { ResidentForm, StepReport } from './types.js';

/** The polished step's kernel parameters (brox_pp). */
export const BpmPolishParams = new Layout('BroxBpmPolishParams', [
  ['n', 'u32'], // population samples (the topk call's)
  ['ps', 'u32'], // samples per polish round
  ['rounds', 'u32'], // polish rounds P
  ['elites', 'u32'], // kTop: the shape's elites (1 without a learned shape)
  ['pwg', 'u32'], // workgroups of one polish round's argmin pass
  ['hist_base', 'u32'],
  ['seed', 'u32'],
  ['bounded', 'u32'],
  ['ball', 'u32'], // the sampler has a ball (refinement rounds project into it)
  ['learned', 'u32'],
  ['schedule', 'u32'], // 0 constant, 1 geometric, 2 adaptive
  ['gap', 'u32'], // coordinate steps after each whole step (mixed: 1)
  ['gap0', 'u32'], // coordinate steps before the batch's first whole step
  ['restart_here', 'u32'], // a mixed ball's whole-ball sweep restarts on the GPU
  ['t0', 'f32'],
  ['t_min', 'f32'],
  ['shrink_by', 'f32'],
  ['grow_by', 'f32'],
  ['decay', 'f32'],
  ['pshrink', 'f32'],
  ['ftol', 'f32'],
  ['f_target', 'f32'],
  ['shape_rate', 'f32'],
  ['shape_reg', 'f32'],
] as const);

const SCHEDULES = { constant: 0, geometric: 1, adaptive: 2 } as const;
/** Method state floats before C (bpm-polish.wgsl's MS_C). */
const MS_C = 8;

/** One resident step: a whole-ball step's record and what its second call's record holds, or a coordinate step's. */
export interface PolishGeneration extends BpmGeneration {
  kind: 'whole' | 'coord';
  /** Whole steps: the radius and shape factor the step used, whether the GPU restarted the sweep after it, the polished point and its float32 value. */
  t?: number;
  axis?: number;
  restarted?: boolean;
  polished?: Float32Array;
  fpolished32?: number;
}

const isMixed = (st: BpmState): boolean => st.p.ball === 'mixed';
/** The step numbered k is a whole-ball step (a mixed ball alternates, whole steps at even k). */
const wholeAt = (st: BpmState, k: number): boolean => !isMixed(st) || k % 2 === 0;

/** The sampler of the whole-ball steps now: the learned M-norm ball, else the ball's norm. */
function wholeBall(st: BpmState): SamplerSpec {
  if (st.p.shape === 'learned') return { kind: 'mnorm', M: st.M! };
  return isMixed(st) ? 'l2' : (st.p.ball as SamplerSpec);
}

const polishSamples = (st: BpmState): number => polishSamplesOf(st, Infinity);
const stepEvals = (st: BpmState): number => stepSamples(st, Infinity) + st.p.polish * polishSamples(st);

/** The polished steps apply to this run (whole-ball or mixed balls with polish); ready() says whether now. */
export const polishedSteps = (st: BpmState): boolean => st.p.polish > 0 && st.p.ball !== 'coord';

/** Largest d of the learned shape on the GPU (one workgroup's O(d^3) update per step). */
export const MAX_LEARNED_DIM = 128;
/** Largest population the rank pass takes (O(n) comparisons per member). */
const MAX_POP = 2 ** 14;

export const polishResident: ResidentForm<BpmState, PolishGeneration> = {
  ready(st, dim, engine) {
    const p = st.p;
    if (!polishedSteps(st) || st.stepwise) return false;
    if (p.shape === 'learned' && (st.M === null || st.C === null || dim > MAX_LEARNED_DIM)) return false; // the first whole step learns the first shape step by step
    if (isMixed(st) && ((p.subdim !== 1 && dim !== 1) || p.coordPolish)) return false;
    if (!isMixed(st) && p.restarts && st.bounded && p.restartFrom !== 'best') return false;
    const n = stepSamples(st, Infinity);
    const ps = polishSamples(st);
    if (n > MAX_POP || !engine) return n <= MAX_POP;
    return p.polish + 1 <= engine.dispatches && ps <= engine.chunk && fits(engine, ps) && (!isMixed(st) || fits(engine, coordSamples(st, Infinity)));
  },

  async open(engine, ctx, st) {
    const obj = ctx.objective;
    const d = ctx.dim;
    const p = st.p;
    const dev = engine.device;
    const S = GPUBufferUsage;
    const mixed = isMixed(st);
    const n = stepSamples(st, Infinity);
    const ps = polishSamples(st);
    const P = p.polish;
    const elites = shapeElites(p, n);
    const stride = historyStride(d);
    const cn = coordSamples(st, Infinity);
    // K steps take at most 2K calls: one history record per call
    const K = Math.max(1, Math.min(ctx.batch, Math.floor(MAX_HIST_BYTES / (2 * stride * 4)), Math.floor(2 ** 31 / stepEvals(st))));
    const label = 'brox.bpmPolishRun';
    const sampler = prepareSampler(wholeBall(st), d, ctx.generator);
    const coordSampler = prepareSampler(ballOf(d, 0), d, ctx.generator);
    const layouts = [BpmPolishParams];
    const popRecipe: KernelRecipe = { name: 'bpm-pop', chunks: [centerWgsl, bpmPopWgsl, popChunk], sampling: true, best: true, layouts };
    const tellRecipe: KernelRecipe = { name: 'bpm-polish', chunks: [choleskyWgsl, polishWgsl, rankWgsl], sampling: true, best: true, layouts };
    const argmin = new ArgminKernel(engine);
    const coordSpec = { objective: obj, sampler: coordSampler, bounds: ctx.bounds, seed: ctx.seed, call: 0, round: 0, center: st.x, t: 1, outer: st.x, tOuter: Infinity };
    const tell = (entry: string) => engine.pipeline(obj, tellRecipe, sampler, entry);
    const [popP, sampleP, rankP, beginP, roundP, acceptP, stageP, initP] = await Promise.all([
      engine.pipeline(obj, popRecipe, sampler, 'brox_population_pass'),
      engine.pipeline(obj, RECIPES.argmin, sampler, 'brox_argmin_pass'),
      tell('brox_bpm_rank'), tell('brox_bpm_begin'), tell('brox_bpm_round'), tell('brox_bpm_accept'), tell('brox_bpm_stage'),
      engine.pipeline(obj, BPM_RECIPE, sampler, 'brox_bpm_init'),
    ]);
    const [coordSampleP, coordUpdateP] = mixed ? await Promise.all([argmin.samplePipeline(coordSpec), engine.pipeline(obj, BPM_RECIPE, coordSampler, 'brox_bpm_coord_update')]) : [null, null];
    // the run: its state (centre, call k, halt, f(centre)) and the coordinate steps' params, radii and geometry
    const run = new CallBuffers(engine, `${label}.run`, 2 * K + 2);
    // the polish: its state, P + 1 uniform slices (rounds, then the population pass), radii, and the whole ball's geometry
    const pol = new CallBuffers(engine, `${label}.polish`, P + 1);
    const msFloats = MS_C + 4 * d * d + elites;
    const mstate = engine.buffer(`${label}.mstate`, msFloats * 4, S.STORAGE | S.COPY_DST | S.COPY_SRC);
    const pop = engine.buffer(`${label}.pop`, n * (1 + d) * 4, S.STORAGE);
    const hist = engine.buffer(`${label}.history`, (2 * K + 2) * stride * 4, S.STORAGE | S.COPY_SRC);
    const stage = engine.buffer(`${label}.stage`, (P + 1) * PARAM_STRIDE, S.STORAGE | S.COPY_SRC);
    const pp = engine.buffer(`${label}.pp`, BpmPolishParams.bytes(), S.UNIFORM | S.COPY_DST);
    const bparams = engine.buffer(`${label}.bparams`, BpmParams.bytes(), S.UNIFORM | S.COPY_DST);
    const next = engine.buffer(`${label}.next`, 16, S.STORAGE | S.COPY_SRC);
    const coordBuf = engine.buffer(`${label}.coord`, (d + 2 * K + 3) * 4, S.STORAGE | S.COPY_DST);
    const maps = engine.buffer(`${label}.maps`, K * 8 * d, S.COPY_SRC | S.COPY_DST);
    if (mixed) run.writeGeom(coordSpec); // bounds; the map slot is overwritten per coordinate step
    const mapAt = 3 * d * 4;
    const msHead = (MS_C + d * d) * 4; // what a batch reads back of the method state: the head and C
    let first = true;
    return {
      population: stepEvals(st),
      work: stepEvals(st) + (n * n) / 1024,
      readBytes: (gens) => State.bytes(d) + msHead + Math.min(2 * gens + 2, 2 * K + 2) * stride * 4,
      encode(enc, gens, firstCall, read, offset) {
        const k = Math.min(gens, K);
        const data = engine.dataBuffer(obj);
        // the batch's steps: kinds, RNG call offsets, and the coordinates laid out by call offset
        const kinds: Array<'whole' | 'coord'> = [];
        const at: number[] = [];
        let calls = 0;
        for (let j = 0; j < k; j++) {
          kinds.push(wholeAt(st, st.k + j) ? 'whole' : 'coord');
          at.push(calls);
          calls += kinds[j] === 'whole' ? 2 : 1;
        }
        if (first) {
          run.writeState(firstCall, st.x);
          const ms = new Float32Array(MS_C + d * d);
          const kw = wholeAt(st, st.k) ? st.k : st.k + 1; // the step number of the batch's first whole step
          ms.set([st.t, kw - st.sweep, st.restarts, st.axis]);
          if (st.C) ms.set(st.C, MS_C);
          dev.queue.writeBuffer(mstate, 0, ms);
          pol.writeGeom({ outer: st.x, bounds: ctx.bounds, sampler });
        }
        const grid = pol.writeParams({ seed: ctx.seed, round: 0, bounds: ctx.bounds, tOuter: Infinity }, 0, ps, 0); // the GPU's staged slices replace it
        const { tMin, tMax } = coordRange(p);
        dev.queue.writeBuffer(pp, 0, BpmPolishParams.write({
          n, ps, rounds: P, elites, pwg: grid[0], hist_base: firstCall, seed: ctx.seed, bounded: ctx.bounds ? 1 : 0, ball: sampler.plugin.ball ? 1 : 0,
          learned: p.shape === 'learned' ? 1 : 0, schedule: SCHEDULES[p.schedule], gap: mixed ? 1 : 0, gap0: kinds[0] === 'coord' ? 1 : 0,
          restart_here: mixed && p.restarts ? 1 : 0, t0: p.radius, t_min: floorOf(p), shrink_by: p.shrinkBy, grow_by: p.growBy, decay: p.decay,
          pshrink: p.polishShrink, ftol: p.ftol, f_target: Math.max(ctx.fTarget, -3.4e38), shape_rate: SHAPE_RATE, shape_reg: SHAPE_REG,
        }));
        let coordGrid: number[] = [];
        if (mixed) {
          const q = { ...cursor(st), order: st.order.slice() };
          const words = new Uint32Array(d + 2 * K + 3);
          new Float32Array(words.buffer, 0, d).set(st.tc); // the host's radii are the run's (float64 re-check)
          const m = new Float32Array(k * 2 * d);
          let prev = -1;
          let firstCoord = -1;
          kinds.forEach((kind, j) => {
            if (kind !== 'coord') return;
            const c = nextCoord(q, d);
            words[d + at[j]] = c;
            if (prev >= 0) words[d + at[prev] + 1] = c; // brox_bpm_coord_update writes the next coordinate step's radius
            else firstCoord = j;
            prev = j;
            const map = prepareSampler(ballOf(d, c), d).map as { a: Float64Array; inv: Float64Array };
            m.set(map.a, j * 2 * d);
            m.set(map.inv, j * 2 * d + d);
          });
          if (prev >= 0) words[d + at[prev] + 1] = nextCoord(q, d);
          dev.queue.writeBuffer(coordBuf, 0, words);
          dev.queue.writeBuffer(maps, 0, m);
          if (firstCoord >= 0) {
            const radii: Array<[number, boolean]> = Array.from({ length: at[firstCoord] + 1 }, () => [0, true]);
            radii[at[firstCoord]] = [st.tc[words[d + at[firstCoord]]], true];
            run.writeRadii(radii);
          }
          coordGrid = run.writeParams(coordSpec, 0, cn, firstCall);
          dev.queue.writeBuffer(bparams, 0, BpmParams.write({
            n: coordGrid.reduce((a, b) => a + b, 0), hist_base: firstCall, f_target: Math.max(ctx.fTarget, -3.4e38), ftol: 0,
            adaptive: 0, t0: p.radius, t_min: 0, shrink_by: 1, grow_by: 1,
            c_min: tMin, c_max: tMax, c_grow: COORD_GROW, c_shrink: COORD_SHRINK, cycle: p.restarts && p.coordCycle ? 1 : 0,
          }));
        }
        const slice = (r: number) => ({ buffer: pol.params, offset: r * PARAM_STRIDE, size: SampleParams.bytes() });
        const tellCommon = { brox_pp: pp, brox_rstate: run.state, brox_la: mstate };
        const bPop = engine.bindNamed(`${label}.pop`, popP, { brox_sparams: slice(P), brox_cstate: run.state, brox_geom: pol.geom, brox_data: data, brox_pp: pp, brox_mstate_r: mstate, brox_pop: pop });
        const bRank = engine.bindNamed(`${label}.rank`, rankP, { ...tellCommon, brox_popr: pop });
        const bBegin = engine.bindNamed(`${label}.begin`, beginP, { ...tellCommon, brox_pstate: pol.state, brox_popr: pop, brox_geomw: pol.geom });
        const bRound = Array.from({ length: P }, (_, r) => engine.bindNamed(`${label}.round${r}`, roundP, { brox_pp: pp, brox_sparams: slice(r), brox_radii: pol.radii, brox_geom: pol.geom, brox_partials: argmin.partials, brox_pstate: pol.state }));
        const bSample = Array.from({ length: P }, (_, r) => engine.bindGroup(`${label}.sample${r}`, sampleP, [...SAMPLING_BINDINGS, 2], { ...pol.resources(r, data), 2: { buffer: argmin.partials } }));
        const bAccept = engine.bindNamed(`${label}.accept`, acceptP, { ...tellCommon, brox_pstate: pol.state, brox_popr: pop, brox_geomw: pol.geom, brox_hist: hist, brox_stage: stage, brox_radiiw: pol.radii });
        const bStage = engine.bindNamed(`${label}.stage`, stageP, { ...tellCommon, brox_stage: stage, brox_radiiw: pol.radii });
        const bUpdate = mixed && engine.bindNamed(`${label}.coordUpdate`, coordUpdateP!, {
          brox_sparams: { buffer: run.params, offset: 0, size: SampleParams.bytes() }, brox_radii: run.radii, brox_geom: run.geom, brox_partials: argmin.partials, brox_bparams: bparams,
          brox_state: run.state, brox_history: hist, brox_bnext: next, brox_coord: coordBuf,
        });
        const wgs = Math.ceil(n / engine.wg);
        let pass = engine.pass(enc, { label: `${label}.start` });
        if (first) {
          pass.setPipeline(initP);
          pass.setBindGroup(0, engine.bindNamed(`${label}.init`, initP, { brox_data: data, brox_state: run.state }));
          pass.dispatchWorkgroups(1);
        }
        pass.setPipeline(stageP);
        pass.setBindGroup(0, bStage);
        pass.dispatchWorkgroups(1);
        pass.end();
        let coordSeen = false;
        for (let j = 0; j < k; j++) {
          if (kinds[j] === 'whole') {
            enc.copyBufferToBuffer(stage, 0, pol.params, 0, (P + 1) * PARAM_STRIDE);
            pass = engine.pass(enc, { label: `${label}.whole` });
            pass.setPipeline(popP);
            pass.setBindGroup(0, bPop);
            pass.dispatchWorkgroups(wgs);
            pass.setPipeline(rankP);
            pass.setBindGroup(0, bRank);
            pass.dispatchWorkgroups(wgs);
            pass.setPipeline(beginP);
            pass.setBindGroup(0, bBegin);
            pass.dispatchWorkgroups(1);
            for (let r = 0; r < P; r++) {
              pass.setPipeline(sampleP);
              pass.setBindGroup(0, bSample[r]);
              pass.dispatchWorkgroups(grid[0]);
              pass.setPipeline(roundP);
              pass.setBindGroup(0, bRound[r]);
              pass.dispatchWorkgroups(1);
            }
            pass.setPipeline(acceptP);
            pass.setBindGroup(0, bAccept);
            pass.dispatchWorkgroups(1);
            pass.end();
          } else {
            enc.copyBufferToBuffer(maps, j * 8 * d, run.geom, mapAt, 8 * d);
            if (coordSeen) enc.copyBufferToBuffer(next, 0, run.radii, at[j] * 8, 8);
            coordSeen = true;
            pass = engine.pass(enc, { label: `${label}.coord` });
            argmin.encodeSamples(pass, coordSampleP!, run, coordGrid, data);
            pass.setPipeline(coordUpdateP!);
            pass.setBindGroup(0, bUpdate as GPUBindGroup);
            pass.dispatchWorkgroups(1);
            pass.end();
          }
        }
        first = false;
        const sb = State.bytes(d);
        enc.copyBufferToBuffer(run.state, 0, read, offset, sb);
        enc.copyBufferToBuffer(mstate, 0, read, offset + sb, msHead);
        enc.copyBufferToBuffer(hist, 0, read, offset + sb + msHead, (calls + 1) * stride * 4);
      },
      decode(bytes, offset, gens, firstCall) {
        const k = Math.min(gens, K);
        const sb = State.bytes(d);
        const head = State.read(bytes, offset);
        const done = head.k - firstCall; // RNG calls the GPU took before any halt
        const ms = new Float32Array(bytes, offset + sb, MS_C + d * d);
        const h0 = offset + sb + msHead;
        const generations: PolishGeneration[] = [];
        let c = 0;
        for (let j = 0; j < k; j++) {
          const kind = wholeAt(st, st.k + j) ? 'whole' : 'coord';
          const calls = kind === 'whole' ? 2 : 1;
          if (c + calls > done) break;
          const o = h0 + c * stride * 4;
          const u = new Uint32Array(bytes, o, 4);
          const f = new Float32Array(bytes, o, stride);
          const none = u[2] === 0xffffffff && u[3] === 0xffffffff;
          const g: PolishGeneration = { kind, call: firstCall + c, fun32: f[0], improved: u[1] === 1, winner: none ? -1 : u[3] * 2 ** 32 + u[2], x: f.slice(4) };
          if (kind === 'whole') {
            const e = new Float32Array(bytes, o + stride * 4, stride);
            const eu = new Uint32Array(bytes, o + stride * 4, 3);
            Object.assign(g, { t: e[0], axis: e[1], restarted: eu[2] === 1, fpolished32: e[3], polished: e.slice(4) });
          }
          generations.push(g);
          c += calls;
        }
        shapes.set(generations, Float64Array.from(ms.subarray(MS_C, MS_C + d * d)));
        const last = generations.at(-1);
        return { generations, halt: head.halt, best: { x: Float64Array.from(last ? last.x : st.x), f32: last ? last.fun32 : NaN } };
      },
      close: closeOnce(engine, () => {
        run.destroy();
        pol.destroy();
        argmin.destroy();
        engine.free(mstate, pop, hist, stage, pp, bparams, next, coordBuf, maps);
      }),
    };
  },

  rewind(st, last) {
    st.x = Float64Array.from(last.x);
    st.fun = last.fun;
    st.lastT = last.radius;
    st.restarts = (last.info as { restarts: number }).restarts;
    const t = tAfter.get(last);
    if (t !== undefined) st.t = t;
  },

  after(ctx, st, batch) {
    const reports: StepReport[] = [];
    const obj = ctx.objective;
    const p = st.p;
    const evals = stepEvals(st);
    const cn = coordSamples(st, Infinity);
    let used = 0;
    let calls = 0;
    let handOver = false;
    let reopen = false;
    for (const [j, g] of batch.generations.entries()) {
      const haltsHere = batch.halt !== HALT.none && j === batch.generations.length - 1;
      const evalsAfter = ctx.evalsLeft() - used - (g.kind === 'whole' ? evals : cn);
      if (g.kind === 'coord') {
        const v = replayCoord(ctx, st, g, evalsAfter, haltsHere);
        if ((handOver = v.handOver)) break;
        reports.push(v.report!);
        tAfter.set(v.report!, st.t);
        used += cn;
        calls += 1;
        if (v.restarted) reopen = true;
        if (v.halts) break;
        continue;
      }
      // a whole step taken at a radius the host would not take (float32 drift of the schedule): from a reopened session
      const t = st.t;
      if (g.t !== undefined && Math.abs(g.t - t) > 1e-5 * t) {
        reopen = true;
        break;
      }
      // the float32 verdict re-checked in float64: a move must improve there, and a kept centre must
      // not lose to the polished point there (float32 could not tell them apart): else step by step
      let fNew = st.fun;
      let xNew = st.x;
      if (g.improved) {
        xNew = Float64Array.from(g.x);
        fNew = orderValue(obj.js(xNew));
        if (!(fNew < st.fun)) {
          handOver = true;
          break;
        }
      } else if (g.polished && (g.fpolished32 === g.fun32 || orderValue(obj.js(Float64Array.from(g.polished))) < st.fun)) {
        // a float32 tie between the polished point and the centre: the polish rounds could not rank at this scale
        handOver = true;
        break;
      }
      const prev = st.fun;
      if (g.improved) ((st.x = xNew), (st.fun = fNew));
      const out = advance(st, t, g.improved, prev, evalsAfter, stepSamples(st, Infinity));
      const target = g.improved && fNew <= ctx.fTarget;
      // the host's own stop: the target (the driver sees it), ftol or a fixed point, or a restart the host makes
      const hostHalt = target || !!out.stop || (out.restart && !isMixed(st));
      if (haltsHere && !hostHalt) {
        // float32 stopped where float64 goes on: this step is redone step by step
        handOver = true;
        break;
      }
      if (out.restart) {
        if (isMixed(st)) restartWholeSweep(st);
        else beginRestart(st); // from the best point (ready() sends random restarts step by step)
      }
      const rep: StepReport = { x: st.x, fun: st.fun, nfev: evals, radius: t * (g.axis ?? 1) * (1 + p.polishShrink), improved: g.improved, index: g.improved ? g.winner : -1, stop: out.stop, info: { restarts: st.restarts, radius: st.t } };
      reports.push(rep);
      tAfter.set(rep, st.t);
      used += evals;
      calls += 2;
      if (hostHalt) {
        reopen = true;
        break;
      }
      // the GPU restarted where the host did not, or the reverse (a floor within float32 rounding): its next steps took another radius
      if (out.restart !== !!g.restarted) {
        reopen = true;
        break;
      }
    }
    const shape = shapes.get(batch.generations);
    if (shape && p.shape === 'learned' && reports.length) {
      st.C = shape;
      applyShape(st, ctx.dim);
    }
    if (handOver) st.stepwise = true;
    return { reports, reopen: reopen || handOver || batch.halt !== HALT.none, used: reports.length, calls };
  },
};

/** The shape C a batch came back with (by its generations array), for `after`. */
const shapes = new WeakMap<PolishGeneration[], Float64Array>();
/** The whole-ball radius after each step (rewind puts it back: later steps of the batch moved it). */
const tAfter = new WeakMap<StepReport, number>();
