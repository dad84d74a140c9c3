import { BroxError } from '../errors.js';
import type { Objective } from '../objectives/types.js';
import { pointOf, type SampleSpec } from '../samplers/point.js';
import type { SamplingBackend } from './backend.js';
import { orderValue } from './cpu-scan.js';
import { checkBroxInputs, checkMoments, checkPoints, checkPopulationInputs, checkTopk, type PopulationInputs } from './inputs.js';
import { momentsResult } from './moments-merge.js';
import type { BroxOptions, BroxResult, MomentsOptions, MomentsResult, MomentsSums, ObjectiveInput, Oracle, TopkOptions, TopkResult } from './types.js';

/** An aborted call ends with BroxError 'ABORTED', whatever the backend was doing. */
async function abortable<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw new BroxError('signal', 'the call was aborted', 'ABORTED');
  try {
    const out = await fn();
    if (signal?.aborted) throw new BroxError('signal', 'the call was aborted', 'ABORTED');
    return out;
  } catch (e) {
    if (signal?.aborted) throw new BroxError('signal', 'the call was aborted', 'ABORTED');
    throw e;
  }
}

const roundSpec = (p: PopulationInputs): SampleSpec => ({
  objective: p.objective,
  sampler: p.sampler,
  bounds: p.bounds,
  seed: p.seed,
  call: p.call,
  round: 0,
  center: p.x,
  t: p.t,
  outer: p.x,
  tOuter: p.sampler.plugin.ball ? p.t : Infinity,
});

/** f64 value of a sample (+inf when it cannot be made feasible). */
const valueAt = (obj: Objective, y: Float64Array | null): number => (y ? orderValue(obj.js(y)) : Infinity);

/**
 * The oracle over a backend: validation, refinement rounds, float64 re-checks of winners, top-k
 * ordering, temperatures and the assembly of moments — shared by every backend, so they differ
 * only in how the reductions run.
 */
export function makeOracle(backend: SamplingBackend, extra: Partial<Oracle> = {}): Oracle {
  let destroyed = false;
  const alive = () => {
    if (destroyed) throw new BroxError('oracle', 'this oracle was destroyed', 'GPU_ERROR');
  };
  return {
    backend: backend.name,
    adapterInfo: backend.adapterInfo,
    reason: backend.reason,
    ...extra,

    async brox(objective: ObjectiveInput, x: ArrayLike<number>, t: number, opts?: BroxOptions): Promise<BroxResult> {
      const t0 = performance.now();
      const inp = checkBroxInputs(objective, x, t, opts);
      alive();
      return abortable(inp.signal, async () => {
        const obj = inp.objective;
        const funCenter = orderValue(obj.js(inp.x));
        let bx: Float64Array = inp.x;
        let fun = funCenter;
        let index = -1;
        let round = 0;
        let gpuMs: number | undefined;
        for (let r = 0; r < inp.rounds; r++) {
          // round r: the ball of radius t shrink^r around the best point so far, inside the call's ball
          const spec: SampleSpec = { objective: obj, sampler: inp.sampler, bounds: inp.bounds, seed: inp.seed, call: inp.call, round: r, center: bx, t: inp.t * inp.shrink ** r, outer: inp.x, tOuter: inp.sampler.plugin.ball ? inp.t : Infinity };
          const res = await backend.argmin(spec, inp.offset, inp.offset + inp.samples, inp.signal);
          if (res.gpuMs !== undefined) gpuMs = (gpuMs ?? 0) + res.gpuMs;
          if (res.index < 0) continue;
          // the winner regenerated from (round, index) replaces the best only if float64 says it is strictly better
          const y = pointOf(spec, res.index);
          const fy = valueAt(obj, y);
          if (y && fy < fun) {
            bx = y;
            fun = fy;
            index = res.index;
            round = r;
          }
        }
        return { x: Array.from(bx), fun, funCenter, nfev: inp.samples * inp.rounds + 1, index, round, improved: index >= 0, backend: backend.name, ms: performance.now() - t0, gpuMs };
      });
    },

    async topk(objective: ObjectiveInput, center: ArrayLike<number>, t: number, opts?: TopkOptions): Promise<TopkResult> {
      const t0 = performance.now();
      const p = checkPopulationInputs(objective, center, t, opts);
      const k = checkTopk(opts, p.samples);
      alive();
      return abortable(p.signal, async () => {
        const spec = roundSpec(p);
        const indices = await backend.topk(spec, p.offset, p.offset + p.samples, k, p.signal);
        const rows = indices.map((index) => {
          const y = pointOf(spec, index);
          return { index, y, value: valueAt(p.objective, y) };
        });
        // float64 order (the GPU selected by float32 values; near-ties may swap)
        rows.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.index - b.index));
        return { points: rows.map((r) => Array.from(r.y ?? p.x)), values: rows.map((r) => r.value), indices: rows.map((r) => r.index), nfev: p.samples, backend: backend.name, ms: performance.now() - t0 };
      });
    },

    async moments(objective: ObjectiveInput, center: ArrayLike<number>, t: number, opts: MomentsOptions): Promise<MomentsResult> {
      const t0 = performance.now();
      const p = checkPopulationInputs(objective, center, t, opts);
      const { temperature, second } = checkMoments(opts);
      // tau = r std f is the whole population's: a range knows only its own std (mergeMoments explains the two-round way)
      if (p.offset !== 0 && typeof temperature !== 'number') throw new BroxError('offset', `must be 0 with a relative temperature (tau = r std f needs the std of the whole population), got ${p.offset}; pass temperature as a number, e.g. r times the fstd of a first round's merged results`);
      alive();
      return abortable(p.signal, async () => {
        const spec = roundSpec(p);
        const start = p.offset;
        const end = p.offset + p.samples;
        const fc = orderValue(p.objective.js(p.x));
        const shift = Number.isFinite(fc) ? fc : 0;
        const st = await backend.stats(spec, start, end, shift, p.signal);
        const best = st.bestIndex >= 0 ? pointOf(spec, st.bestIndex) : null;
        const bestFun = valueAt(p.objective, best);
        const fstd = st.n > 0 ? Math.sqrt(Math.max(0, st.sumsq / st.n - (st.sum / st.n) ** 2)) : NaN;
        const tau = typeof temperature === 'number' ? temperature : st.n > 0 ? temperature.relative * fstd : 0;
        // the backend's own minimum (float32 on WebGPU) anchors the weights it computes; mergeMoments re-anchors by it
        const anchor = st.n > 0 ? st.fmin : 0;
        const m = await backend.moments(spec, start, end, anchor, tau, second, p.signal);
        const sums: MomentsSums = {
          offset: p.offset,
          samples: p.samples,
          seed: p.seed,
          call: p.call,
          t: p.t,
          center: Array.from(p.x),
          second,
          tau,
          relative: typeof temperature !== 'number',
          fmin: st.fmin,
          n: st.n,
          sum: st.sum,
          sumsq: st.sumsq,
          below: st.below,
          shift,
          w0: m.w0,
          w2: m.w2,
          m1: Array.from(m.m1),
          m2: m.m2 ? Array.from(m.m2) : null,
          full: m.full ? Array.from(m.full) : null,
        };
        return momentsResult(sums, { bestIndex: st.bestIndex, best: Array.from(best ?? p.x), bestFun }, backend.name, performance.now() - t0);
      });
    },

    async evaluate(objective: ObjectiveInput, points: ArrayLike<ArrayLike<number>>, opts?: { signal?: AbortSignal }) {
      const { objective: obj, rows } = checkPoints(objective, points);
      alive();
      return abortable(opts?.signal, () => backend.evaluate(obj, rows, opts?.signal));
    },

    forget(obj: Objective) {
      backend.forget?.(obj);
    },

    destroy() {
      if (destroyed) return;
      destroyed = true;
      backend.destroy();
    },
  };
}
