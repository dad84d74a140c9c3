// A CPU worker thread: scans one contiguous range of sample indices. The objective arrives as its
// source text (functions cannot cross threads); the first job checks it reproduces the main
// thread's value, so a twin that closes over outer variables is refused, not silently wrong.
import { parentPort } from 'node:worker_threads';
import { l2Offset } from '../ball/l2-sampler';
import { bestInRange, orderValue, type ScanJob } from './cpu-scan';

export interface WorkerJob extends ScanJob {
  id: number;
  src: string;
  /** f(x) on the main thread: the worker must reproduce it exactly. */
  fx: number;
}

const compiled = new Map<string, (x: Float64Array) => number>();

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
  compiled.set(src, fn);
  return fn;
}

parentPort!.on('message', (job: WorkerJob) => {
  try {
    const f = rebuild(job.src);
    const fx = orderValue(f(job.x));
    if (!(fx === job.fx || (Number.isNaN(fx) && Number.isNaN(job.fx)))) {
      throw new Error(`objective rebuilt in a worker gives ${fx} at the centre, the main thread ${job.fx}`);
    }
    parentPort!.postMessage({ id: job.id, ...bestInRange(l2Offset, f, job) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message });
  }
});
