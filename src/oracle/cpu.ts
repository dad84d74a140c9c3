import { l2Ball } from '../ball/l2.js';
import { l2Offset } from '../ball/l2-sampler.js';
import type { Objective } from '../objectives/types.js';
import { BroxError } from '../errors.js';
import { createCpuPool, type CpuPool } from './cpu-pool.js';
import { bestInRange, orderValue } from './cpu-scan.js';
import { finishBrox } from './finish.js';
import { checkBroxInputs, checkPoints, type BroxInputs } from './inputs.js';
import type { BroxOptions, ObjectiveInput, Oracle } from './types.js';

/** Below this many samples a call stays on the calling thread (messaging costs more). */
const MIN_PARALLEL = 1 << 15;

export interface CpuOracleOptions {
  /** Worker threads for large calls (Node); 1 = the calling thread only. Default 1. */
  threads?: number;
}

/**
 * The reference backend: plain TypeScript over the same RNG, sampler and JS twin. With threads > 1
 * a call is split into contiguous index ranges scanned by worker threads; the winner is the same
 * (lowest value, then lowest index), so results do not depend on the thread count.
 */
export function createCpuOracle(reason = 'CPU backend requested', options: CpuOracleOptions = {}): Oracle & { threads(): Promise<number>; poolStatus(): string } {
  const ball = l2Ball;
  const wanted = Math.max(1, Math.floor(options.threads ?? 1));
  let pool: Promise<CpuPool | null> | null = null;
  let poolWhy = '';
  const notPortable = new Set<string>(); // twins that cannot be rebuilt in a worker
  let destroyed = false;
  const getPool = () =>
    (pool ??= createCpuPool(wanted).then(({ pool, why }) => {
      poolWhy = why;
      return pool;
    }));

  async function scan(inp: BroxInputs): Promise<number> {
    const job = { x: inp.x, t: inp.t, seed: inp.seed, call: inp.call, start: inp.offset, end: inp.offset + inp.samples };
    const src = inp.objective.js.toString();
    const p = wanted > 1 && inp.samples >= MIN_PARALLEL && !notPortable.has(src) ? await getPool() : null;
    if (p) {
      const fx = orderValue(inp.objective.js(inp.x));
      const per = Math.ceil(inp.samples / p.size);
      const parts: Promise<{ index: number; value: number }>[] = [];
      for (let s = job.start; s < job.end; s += per) parts.push(p.scan(src, fx, { ...job, start: s, end: Math.min(job.end, s + per) }));
      try {
        const results = await Promise.all(parts);
        let best = { index: -1, value: Infinity };
        for (const r of results) if (r.index >= 0 && (best.index < 0 || r.value < best.value)) best = r; // ranges in index order
        return best.index;
      } catch (e) {
        if (!p.alive) {
          // a worker died: forget the pool (a later call makes a new one) and finish here
          pool = null;
          poolWhy = `worker pool failed: ${(e as Error).message}`;
        } else notPortable.add(src); // e.g. a twin that closes over outer variables: stay on this thread
      }
    }
    return bestInRange(l2Offset, inp.objective.js as (x: Float64Array) => number, job).index;
  }

  return {
    backend: 'cpu',
    adapterInfo: null,
    reason,
    async threads() {
      if (wanted === 1) return 1;
      const p = await getPool();
      return p ? p.size : 1;
    },
    async brox(objective: ObjectiveInput, x: ArrayLike<number>, t: number, opts?: BroxOptions) {
      if (destroyed) throw new BroxError('oracle', 'this oracle was destroyed');
      const t0 = performance.now();
      const inp = checkBroxInputs(objective, x, t, opts);
      return finishBrox(ball, inp, await scan(inp), 'cpu', t0);
    },
    async evaluate(objective: ObjectiveInput, points: ArrayLike<ArrayLike<number>>) {
      if (destroyed) throw new BroxError('oracle', 'this oracle was destroyed');
      const { objective: obj, rows } = checkPoints(objective, points);
      return rows.map((r) => (obj as Objective).js(r));
    },
    destroy() {
      destroyed = true;
      void pool?.then((p) => p?.destroy());
    },
    /** Why worker threads are not in use ('' when they are, or were never needed). */
    poolStatus: () => poolWhy,
  };
}
