/** Target time of one slice of CPU work: a deadline or cancel is checked between slices. */
export const SLICE_MS = 20;
/** Operations in the first slice of a call, before any time was measured (~0.1 ms). */
const FIRST_OPS = 1 << 16;
/** Largest slice, in evaluations (guards against a timer that reads 0 for a while). */
const MAX_SLICE = 1 << 24;

/**
 * Evaluations in a call's first slice: from the objective's operations per evaluation when it
 * states them (expressions, datasets), else 1: user code may take any time per evaluation, and
 * the slices grow 8x at a time from there.
 */
export const firstSlice = (opsPerEval: number | undefined): number =>
  opsPerEval === undefined ? 1 : Math.max(1, Math.min(MAX_SLICE, Math.floor(FIRST_OPS / Math.max(1, opsPerEval))));

/**
 * Sizes slices of CPU work by measured time, not by count: a slice of a cheap objective holds
 * a million samples, one of a costly objective (a 150k-row dataset, a long sum) a handful, and each
 * takes about SLICE_MS. The size grows at most 8x per slice (JIT warm-up, timer granularity) and
 * shrinks at once when a slice ran long.
 */
export class Pacer {
  private size: number;
  constructor(first: number, private readonly targetMs = SLICE_MS) {
    this.size = Math.max(1, Math.floor(first));
  }
  /** End of the next slice starting at `start`, at most `end`. */
  next(start: number, end: number): number {
    return Math.min(end, start + this.size);
  }
  took(count: number, ms: number): void {
    const fit = ms > 0 ? Math.floor((count * this.targetMs) / ms) : Infinity;
    this.size = Math.max(1, Math.min(fit, count * 8, MAX_SLICE));
  }
}

/**
 * Runs [start, end) in time-sized slices on this thread with nothing in between: worker threads,
 * which check `stop` (a shared flag) between slices. Returns false when stopped early.
 */
export function pacedSync(start: number, end: number, first: number, stop: () => boolean, fn: (s: number, e: number) => void): boolean {
  const pacer = new Pacer(first);
  for (let s = start; s < end; ) {
    if (stop()) return false;
    const e = pacer.next(s, end);
    const t0 = performance.now();
    fn(s, e);
    pacer.took(e - s, performance.now() - t0);
    s = e;
  }
  return true;
}
