/** NaN counts as +inf everywhere in brox. */
export const orderValue = (f: number): number => (Number.isNaN(f) ? Infinity : f);

export interface ScanJob {
  x: Float64Array;
  t: number;
  seed: number;
  call: number;
  start: number;
  end: number;
}

export type OffsetFn = (out: Float64Array, t: number, seed: number, call: number, index: number) => void;

/** Best sample index over [start, end) of one call, ties to the lowest index; -1 if the range is empty. */
export function bestInRange(offset: OffsetFn, f: (x: Float64Array) => number, job: ScanJob): { index: number; value: number } {
  const d = job.x.length;
  const y = new Float64Array(d);
  let best = Infinity;
  let bi = -1;
  for (let i = job.start; i < job.end; i++) {
    offset(y, job.t, job.seed, job.call, i);
    for (let k = 0; k < d; k++) y[k] += job.x[k];
    const v = orderValue(f(y));
    if (v < best || bi < 0) {
      best = v;
      bi = i;
    }
  }
  return { index: bi, value: best };
}
