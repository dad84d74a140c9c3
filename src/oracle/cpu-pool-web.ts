import type { CpuPool } from './cpu-pool.js';
import type { WorkerReply } from './cpu-worker-core.js';

/** Web Workers for the CPU backend in browsers. */
export function createWebPool(threads: number): CpuPool {
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./cpu-worker-web.ts', import.meta.url), { type: 'module' }));
  return wirePool(workers, (w, cb) => w.addEventListener('message', (e: MessageEvent<WorkerReply>) => cb(e.data)), (w) => w.terminate());
}

/** Request/reply bookkeeping shared by the Node and browser pools. */
export function wirePool<W extends { postMessage(m: unknown): void }>(
  workers: W[],
  onReply: (w: W, cb: (r: WorkerReply) => void) => void,
  terminate: (w: W) => void,
): CpuPool {
  let nextId = 0;
  let rr = 0;
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
    scan(src, fx, job) {
      const id = nextId++;
      const w = workers[rr++ % workers.length];
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ ...job, id, src, fx });
      });
    },
    destroy() {
      for (const w of workers) terminate(w);
      for (const p of pending.values()) p.reject(new Error('CPU pool destroyed'));
      pending.clear();
    },
  };
}
