import { BroxError } from '../errors.js';
import type { Objective } from '../objectives/types.js';
import { geometryOf } from '../samplers/point.js';
import type { SamplingBackend } from './backend.js';
import { createCpuPool, type CpuPool } from './cpu-pool.js';
import { bestInRange, momentsInRange, orderValue, statsInRange, toWire, topkInRange } from './cpu-scan.js';
import { makeOracle } from './oracle.js';
import { firstSlice, Pacer } from './pace.js';
import type { Oracle } from './types.js';

/**
 * Lets the event loop run between slices (abort signals, serve's other requests). setImmediate
 * where there is one: Node's setTimeout(0) waits at least 1 ms, which cost a 2^22-sample call at
 * d = 2 a quarter of its time. Browsers: a MessageChannel message (no 4 ms clamp either).
 */
const yieldToLoop: () => Promise<void> = (() => {
  const si = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
  if (typeof si === 'function') return () => new Promise<void>((r) => void si(r));
  if (typeof MessageChannel === 'function') {
    return () =>
      new Promise<void>((r) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          ch.port1.close();
          r();
        };
        ch.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((r) => setTimeout(r, 0));
})();
/**
 * Below this much work (samples x d coordinates) a call stays on the calling thread: messaging
 * costs more. Counted in coordinates, not samples, so large-d calls (few, costly samples) spread
 * over the cores too.
 */
const MIN_PARALLEL_COORDS = 1 << 17;

export interface CpuOracleOptions {
  /** Worker threads for large calls (Node); 1 = the calling thread only. Default 1. */
  threads?: number;
}

/**
 * The reference backend: plain TypeScript over the same RNG, samplers and JS twin. With threads > 1
 * an argmin is split into contiguous index ranges scanned by worker threads; the winner is the same
 * (lowest value, then lowest index), so results do not depend on the thread count. Top-k and
 * moments run on the calling thread.
 */
export function createCpuOracle(reason = 'CPU backend requested', options: CpuOracleOptions = {}): Oracle & { threads(): Promise<number>; poolStatus(): string } {
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
  const alive = () => {
    if (destroyed) throw new BroxError('oracle', 'this oracle was destroyed', 'GPU_ERROR');
  };
  const f64 = (o: Objective) => o.js as (x: Float64Array) => number;
  /**
   * Runs [from, to) on this thread in slices of about SLICE_MS (sized by measured time: a fixed
   * count let one slice of a costly objective run for 40 s), honouring the signal and destroy()
   * between them and letting the event loop run (serve's cancel, info, deadline timers).
   */
  const slices = async (o: Objective, from: number, to: number, signal: AbortSignal | undefined, fn: (start: number, end: number) => void): Promise<void> => {
    const pacer = new Pacer(firstSlice(o.cost));
    for (let s = from; s < to; ) {
      signal?.throwIfAborted();
      alive();
      const e = pacer.next(s, to);
      const t0 = performance.now();
      fn(s, e);
      pacer.took(e - s, performance.now() - t0);
      s = e;
      if (s < to) await yieldToLoop();
    }
  };

  const backend: SamplingBackend = {
    name: 'cpu',
    adapterInfo: null,
    reason,
    async argmin(spec, start, end, signal) {
      alive();
      const { g, k0, k1 } = geometryOf(spec);
      const src = spec.objective.js.toString();
      const p = wanted > 1 && (end - start) * spec.objective.dim >= MIN_PARALLEL_COORDS && end - start >= 2 * wanted && !notPortable.has(src) ? await getPool() : null;
      if (p) {
        signal?.throwIfAborted(); // aborted while the pool started: an 'abort' listener added now would never fire
        const fx = orderValue(spec.objective.js(g.outer));
        const per = Math.ceil((end - start) / p.size);
        const first = firstSlice(spec.objective.cost);
        // the workers check this flag between their slices: a cancel or deadline stops them too
        const stop = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;
        const onAbort = () => {
          if (stop) Atomics.store(stop, 0, 1);
          else (p.destroy(), (pool = null)); // no shared memory (a browser page not cross-origin isolated): stop them the hard way
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const parts: Promise<{ index: number; value: number }>[] = [];
        for (let s = start; s < end; s += per) parts.push(p.scan(src, fx, { geom: toWire(g), k0, k1, start: s, end: Math.min(end, s + per), first }, stop));
        try {
          const results = await Promise.all(parts);
          signal?.throwIfAborted();
          let best = { index: -1, value: Infinity };
          for (const r of results) if (r.index >= 0 && (best.index < 0 || r.value < best.value)) best = r; // ranges in index order
          return { index: best.index };
        } catch (e) {
          signal?.throwIfAborted(); // stopped on purpose: neither a dead pool nor a non-portable twin
          if (!p.alive) {
            // a worker died: forget the pool (a later call makes a new one) and finish here
            if (pool && (await pool) === p) pool = null;
            poolWhy = `worker pool failed: ${(e as Error).message}`;
          } else notPortable.add(src); // e.g. a twin that closes over outer variables: stay on this thread
        } finally {
          signal?.removeEventListener('abort', onAbort);
          if (stop) Atomics.store(stop, 0, 1); // a sibling part still running after one failed: no need to finish it
        }
      }
      // on this thread, in slices, so an abort or destroy() is honoured between them
      let best = { index: -1, value: Infinity };
      await slices(spec.objective, start, end, signal, (s, e) => {
        const r = bestInRange(g, f64(spec.objective), { k0, k1, start: s, end: e });
        if (r.index >= 0 && (best.index < 0 || r.value < best.value)) best = r;
      });
      return { index: best.index };
    },
    async topk(spec, start, end, k, signal) {
      const { g, k0, k1 } = geometryOf(spec);
      let top: Array<{ index: number; value: number }> = [];
      await slices(spec.objective, start, end, signal, (s, e) => {
        // merge by (value, index): slices run in index order, so ties stay lowest-index first
        top = [...top, ...topkInRange(g, f64(spec.objective), k0, k1, s, e, k)].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.index - b.index)).slice(0, k);
      });
      return top.map((r) => r.index);
    },
    async stats(spec, start, end, shift, signal) {
      const { g, k0, k1 } = geometryOf(spec);
      const out = { bestIndex: -1, fmin: Infinity, n: 0, sum: 0, sumsq: 0, below: 0 };
      await slices(spec.objective, start, end, signal, (s, e) => {
        const r = statsInRange(g, f64(spec.objective), k0, k1, s, e, shift);
        if (r.bestIndex >= 0 && (out.bestIndex < 0 || r.bestValue < out.fmin)) {
          out.bestIndex = r.bestIndex;
          out.fmin = r.bestValue;
        }
        out.n += r.n;
        out.sum += r.sum;
        out.sumsq += r.sumsq;
        out.below += r.below;
      });
      return out;
    },
    async moments(spec, start, end, fmin, tau, second, signal) {
      const { g, k0, k1 } = geometryOf(spec);
      const d = g.center.length;
      const out = { w0: 0, w2: 0, m1: new Float64Array(d), m2: second === 'diag' ? new Float64Array(d) : null, full: second === 'full' ? new Float64Array((d * (d + 1)) / 2) : null };
      await slices(spec.objective, start, end, signal, (s, e) => {
        const r = momentsInRange(g, f64(spec.objective), k0, k1, s, e, fmin, tau, second);
        out.w0 += r.w0;
        out.w2 += r.w2;
        for (let i = 0; i < d; i++) out.m1[i] += r.m1[i];
        if (out.m2) for (let i = 0; i < d; i++) out.m2[i] += r.m2![i];
        if (out.full) for (let i = 0; i < out.full.length; i++) out.full[i] += r.full![i];
      });
      return out;
    },
    async evaluate(obj, rows, signal) {
      alive();
      const out = new Array<number>(rows.length);
      await slices(obj, 0, rows.length, signal, (s, e) => {
        for (let i = s; i < e; i++) out[i] = obj.js(rows[i]);
      });
      return out;
    },
    destroy() {
      destroyed = true;
      void pool?.then((p) => p?.destroy());
    },
  };

  const oracle = makeOracle(backend);
  return Object.assign(oracle, {
    async threads() {
      if (wanted === 1) return 1;
      const p = await getPool();
      return p ? p.size : 1;
    },
    /** Why worker threads are not in use ('' when they are, or were never needed). */
    poolStatus: () => poolWhy,
  });
}
