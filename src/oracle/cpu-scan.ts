import { PointStream, scratch, type Geometry } from '../samplers/point.js';
import { getGenerator } from '../rng/generator.js';
import { samplers } from '../samplers/registry.js';
import type { LinearMap } from '../samplers/spec.js';
import type { Bounds } from '../samplers/types.js';

// The CPU twins of the engine's reductions: plain loops over the same samples, float64.

/** NaN counts as +inf everywhere in brox. */
export const orderValue = (f: number): number => (Number.isNaN(f) ? Infinity : f);

/** A Geometry that can cross to a worker thread (structured clone): the sampler by kind. */
export interface WireGeometry {
  kind: string;
  generator: string;
  map: LinearMap;
  center: Float64Array;
  t: number;
  outer: Float64Array;
  tOuter: number;
  bounds: Bounds | null;
  round: number;
}

export const toWire = (g: Geometry): WireGeometry => ({ kind: g.sampler.plugin.kind, generator: g.sampler.gen.name, map: g.sampler.map, center: g.center, t: g.t, outer: g.outer, tOuter: g.tOuter, bounds: g.bounds, round: g.round });
export const fromWire = (w: WireGeometry): Geometry => ({ ...w, sampler: { plugin: samplers[w.kind], gen: getGenerator(w.generator), map: w.map, key: `${w.kind}/${w.map.kind}/${w.generator}` } });

export interface ScanJob {
  geom: WireGeometry;
  k0: number;
  k1: number;
  start: number;
  end: number;
  /** Samples in the first time-sized slice (src/oracle/pace.ts); default 1. */
  first?: number;
}

/** Best sample index over [start, end), ties to the lowest index; -1 if the range is empty. */
export function bestInRange(g: Geometry, f: (x: Float64Array) => number, job: Pick<ScanJob, 'k0' | 'k1' | 'start' | 'end'>): { index: number; value: number } {
  const y = new Float64Array(g.center.length);
  const s = scratch(y.length);
  const points = new PointStream(g, job.k0, job.k1, job.end);
  let best = Infinity;
  let bi = -1;
  for (let i = job.start; i < job.end; i++) {
    const v = points.point(i, y, s) ? orderValue(f(y)) : Infinity;
    if (v < best || bi < 0) {
      best = v;
      bi = i;
    }
  }
  return { index: bi, value: best };
}

/** The k best (value, index) of [start, end), sorted by value then index. */
export function topkInRange(g: Geometry, f: (x: Float64Array) => number, k0: number, k1: number, start: number, end: number, k: number): Array<{ index: number; value: number }> {
  const y = new Float64Array(g.center.length);
  const s = scratch(y.length);
  const points = new PointStream(g, k0, k1, end);
  // a sorted buffer of at most k entries; insertion is cheap for the k (<= 4096) methods use
  const vals: number[] = [];
  const idx: number[] = [];
  for (let i = start; i < end; i++) {
    const v = points.point(i, y, s) ? orderValue(f(y)) : Infinity;
    if (vals.length === k && !(v < vals[k - 1])) continue;
    let lo = 0;
    let hi = vals.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (vals[m] <= v) lo = m + 1;
      else hi = m;
    }
    vals.splice(lo, 0, v);
    idx.splice(lo, 0, i);
    if (vals.length > k) {
      vals.pop();
      idx.pop();
    }
  }
  return vals.map((value, j) => ({ value, index: idx[j] }));
}

export interface CpuStats {
  bestIndex: number;
  bestValue: number;
  n: number;
  sum: number;
  sumsq: number;
  /** Finite samples with f < shift (f(centre)): the ones that beat the centre. */
  below: number;
}

/** Value statistics of the finite samples (shifted by `shift`) and the best sample. */
export function statsInRange(g: Geometry, f: (x: Float64Array) => number, k0: number, k1: number, start: number, end: number, shift: number): CpuStats {
  const y = new Float64Array(g.center.length);
  const s = scratch(y.length);
  const points = new PointStream(g, k0, k1, end);
  const out: CpuStats = { bestIndex: -1, bestValue: Infinity, n: 0, sum: 0, sumsq: 0, below: 0 };
  for (let i = start; i < end; i++) {
    const v = points.point(i, y, s) ? orderValue(f(y)) : Infinity;
    if (out.bestIndex < 0 || v < out.bestValue) {
      out.bestValue = v;
      out.bestIndex = i;
    }
    if (Number.isFinite(v)) {
      out.n++;
      out.sum += v - shift;
      out.sumsq += (v - shift) ** 2;
      if (v < shift) out.below++;
    }
  }
  return out;
}

/** Softmin weights exp(-(f - fmin) / tau) (tau 0: 1 on f <= fmin), 0 for non-finite f. Twin of brox_weight. */
export const weightOf = (v: number, fmin: number, tau: number): number => (!Number.isFinite(v) ? 0 : tau > 0 ? Math.exp(-(v - fmin) / tau) : v <= fmin ? 1 : 0);

/** sum w, sum w^2, sum w v, and (diag) sum w v^2 or (full) sum w v v^T (upper triangle), v = y - centre. */
export function momentsInRange(g: Geometry, f: (x: Float64Array) => number, k0: number, k1: number, start: number, end: number, fmin: number, tau: number, second: 'none' | 'diag' | 'full') {
  const d = g.center.length;
  const y = new Float64Array(d);
  const s = scratch(d);
  const points = new PointStream(g, k0, k1, end);
  const m1 = new Float64Array(d);
  const m2 = second === 'diag' ? new Float64Array(d) : null;
  const full = second === 'full' ? new Float64Array((d * (d + 1)) / 2) : null;
  let w0 = 0;
  let w2 = 0;
  for (let i = start; i < end; i++) {
    const v = points.point(i, y, s) ? orderValue(f(y)) : Infinity;
    const w = weightOf(v, fmin, tau);
    if (!(w > 0)) continue;
    w0 += w;
    w2 += w * w;
    for (let c = 0; c < d; c++) {
      const o = y[c] - g.center[c];
      m1[c] += w * o;
      if (m2) m2[c] += w * o * o;
    }
    if (full) {
      let e = 0;
      for (let a = 0; a < d; a++) for (let b = a; b < d; b++) full[e++] += w * (y[a] - g.center[a]) * (y[b] - g.center[b]);
    }
  }
  return { w0, w2, m1, m2, full };
}
