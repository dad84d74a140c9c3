import { geometryOf, pointOf, type SampleSpec } from '../samplers/point.js';
import { makeYielder } from '../yield.js';
import { bestInRange, orderValue, topkInRange } from './cpu-scan.js';

/**
 * Samples float32 cannot rank. Where an objective overflows float32 (exp(x) at 100, a sphere at
 * 2e19) every sample is +inf on the GPU, and its "best" is merely the lowest index: taken at its
 * word, an oracle call would report that no sample beat the centre while float64 finds better
 * ones. So when the GPU's best (or the k-th best) is +inf, a few of those samples are evaluated in
 * float64; if any is finite there, the whole range is ranked again in float64 on the host, exactly
 * as the CPU backend ranks it (the same samples, the same order), in slices that honour the signal.
 * Samples that are NaN or +inf in float64 too (sqrt of a negative everywhere) keep the GPU's answer.
 */

/** brox_order_key(+inf) (NaN maps there too); 0xffffffff marks infeasible samples. */
export const INF_KEY = 0xff800000;

/** Samples evaluated in float64 to decide whether float32 overflowed. */
const PROBES = 64;
/** Samples per slice of the host scan: the signal is checked and the event loop runs between slices. */
const SLICE = 1 << 15;

/** Is any of these samples (the first PROBES) finite in float64? */
export function overflowed(spec: SampleSpec, indices: number[]): boolean {
  return indices.slice(0, PROBES).some((i) => {
    const y = pointOf(spec, i);
    return y !== null && Number.isFinite(orderValue(spec.objective.js(y)));
  });
}

/** Up to PROBES - 1 sample indices spread evenly over [start, end). */
export function spread(start: number, end: number): number[] {
  const n = Math.min(PROBES - 1, end - start);
  return Array.from({ length: n }, (_, i) => start + Math.floor((i * (end - start)) / n));
}

const f64 = (spec: SampleSpec) => spec.objective.js as (x: Float64Array) => number;

/** The best sample of [start, end) in float64 (the CPU backend's argmin), -1 if none. */
export async function hostArgmin(spec: SampleSpec, start: number, end: number, signal?: AbortSignal): Promise<{ index: number }> {
  const { g, k0, k1 } = geometryOf(spec);
  const pause = makeYielder();
  let best = { index: -1, value: Infinity };
  for (let s = start; s < end; s += SLICE) {
    signal?.throwIfAborted();
    const r = bestInRange(g, f64(spec), { k0, k1, start: s, end: Math.min(end, s + SLICE) });
    if (r.index >= 0 && (best.index < 0 || r.value < best.value)) best = r;
    await pause();
  }
  return { index: best.index };
}

/** The k best samples of [start, end) in float64 by (value, index) (the CPU backend's top-k). */
export async function hostTopk(spec: SampleSpec, start: number, end: number, k: number, signal?: AbortSignal): Promise<number[]> {
  const { g, k0, k1 } = geometryOf(spec);
  const pause = makeYielder();
  let top: Array<{ index: number; value: number }> = [];
  for (let s = start; s < end; s += SLICE) {
    signal?.throwIfAborted();
    top = [...top, ...topkInRange(g, f64(spec), k0, k1, s, Math.min(end, s + SLICE), k)].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.index - b.index)).slice(0, k);
    await pause();
  }
  return top.map((r) => r.index);
}
