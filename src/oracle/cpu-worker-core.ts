// What a CPU worker (Node worker thread or browser Web Worker) does with one job: scan a
// contiguous range of sample indices. The objective arrives as its source text (functions cannot
// cross threads); each job checks it reproduces the main thread's f(centre), so a twin that closes
// over outer variables is refused, not silently wrong.
import { bestInRange, fromWire, orderValue, type ScanJob } from './cpu-scan.js';
import { pacedSync } from './pace.js';

export interface WorkerJob extends ScanJob {
  id: number;
  src: string;
  /** f(x) on the main thread: the worker must reproduce it exactly. */
  fx: number;
  /** Set (non-zero) by the main thread on cancel or deadline: checked between time-sized slices. */
  stop?: Int32Array;
}

export type WorkerReply = { id: number; index: number; value: number; error?: undefined } | { id: number; error: string };

/** Objectives compiled in this worker, by source; the oldest go first (a server defines without end). */
const compiled = new Map<string, (x: Float64Array) => number>();
const MAX_COMPILED = 64;

/** Rebuilds a function from its source: arrow/function expressions, or method shorthand `js(x) {...}`. */
function rebuild(src: string): (x: Float64Array) => number {
  let fn = compiled.get(src);
  if (fn) return fn;
  try {
    fn = new Function(`return (${src});`)() as (x: Float64Array) => number;
  } catch {
    const holder = new Function(`return ({ ${src} });`)() as Record<string, (x: Float64Array) => number>;
    fn = Object.values(holder)[0];
  }
  if (typeof fn !== 'function') throw new Error('objective source is not a function');
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(src, fn);
  return fn;
}

export function handleJob(job: WorkerJob): WorkerReply {
  try {
    const f = rebuild(job.src);
    const fx = orderValue(f(job.geom.outer));
    if (fx !== job.fx) throw new Error(`objective rebuilt in a worker gives ${fx} at the centre, the main thread ${job.fx}`);
    const g = fromWire(job.geom);
    let best = { index: -1, value: Infinity };
    const stop = job.stop;
    const done = pacedSync(job.start, job.end, job.first ?? 1, () => !!stop && Atomics.load(stop, 0) !== 0, (start, end) => {
      const r = bestInRange(g, f, { k0: job.k0, k1: job.k1, start, end });
      if (r.index >= 0 && (best.index < 0 || r.value < best.value)) best = r;
    });
    return done ? { id: job.id, ...best } : { id: job.id, error: 'stopped: the call was aborted' };
  } catch (e) {
    return { id: job.id, error: (e as Error).message };
  }
}
