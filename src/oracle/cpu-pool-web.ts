import type { CpuPool } from './cpu-pool.js';
import type { WorkerReply } from './cpu-worker-core.js';

/** Web Workers for the CPU backend in browsers. */
export function createWebPool(threads: number): CpuPool {
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./cpu-worker-web.ts', import.meta.url), { type: 'module' }));
  const pool = wirePool(workers, (w, cb) => w.addEventListener('message', (e: MessageEvent<WorkerReply>) => cb(e.data)), (w) => w.terminate());
  for (const w of workers) w.addEventListener('error', () => pool.destroy()); // e.g. the script failed to load
  return pool;
}

/** The pool is gone (destroyed, or a worker died): callers fall back to their own thread. */
export class PoolDeadError extends Error {}

/** Request/reply bookkeeping shared by the Node and browser pools. */
export function wirePool<W extends { postMessage(m: unknown): void }>(
  workers: W[],
  onReply: (w: W, cb: (r: WorkerReply) => void) => void,
  terminate: (w: W) => void,
): CpuPool {
  let nextId = 0;
  let rr = 0;
  let dead = false;
  const pending = new Map<number, { resolve: (v: { index: number; value: number }) => void; reject: (e: Error) => void }>();
  for (const w of workers) {
    onReply(w, (m) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve({ index: m.index, value: m.value });
    });
  }
  return {
    size: workers.length,
    get alive() {
      return !dead;
    },
    scan(src, fx, job, stop) {
      if (dead) return Promise.reject(new PoolDeadError('CPU worker pool is gone'));
      const id = nextId++;
      const w = workers[rr++ % workers.length];
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ ...job, id, src, fx, stop: stop ?? undefined });
      });
    },
    destroy() {
      if (dead) return;
      dead = true;
      for (const w of workers) terminate(w);
      for (const p of pending.values()) p.reject(new PoolDeadError('CPU worker pool is gone'));
      pending.clear();
    },
  };
}
