import type { ScanJob } from './cpu-scan';
import type { WorkerJob } from './cpu-worker';

/** Worker threads that scan index ranges for the CPU backend (Node). */
export interface CpuPool {
  readonly size: number;
  scan(src: string, fx: number, job: ScanJob): Promise<{ index: number; value: number }>;
  destroy(): void;
}

const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

/**
 * The worker script is dist/cpu-worker.js (built by `npm run build`). Running from TypeScript
 * sources (vitest) there is none, and the CPU backend stays on one thread: `why` says so.
 */
export async function createCpuPool(threads: number): Promise<{ pool: CpuPool | null; why: string }> {
  if (!isNode()) return { pool: null, why: 'worker threads are used in Node only' };
  // A variable, not a literal: Vite rewrites `new URL('literal', import.meta.url)` into an inlined asset.
  const script = './cpu-worker.js';
  const url = new URL(script, import.meta.url);
  const [{ Worker }, { existsSync }, { fileURLToPath }] = await Promise.all([import('node:worker_threads'), import('node:fs'), import('node:url')]);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return { pool: null, why: 'no built worker script (run `npm run build`)' };
  const workers = Array.from({ length: threads }, () => {
    const w = new Worker(url);
    w.unref(); // an oracle left undestroyed must not keep the process alive
    return w;
  });
  let nextId = 0;
  let rr = 0;
  const pending = new Map<number, { resolve: (v: { index: number; value: number }) => void; reject: (e: Error) => void }>();
  for (const w of workers) {
    w.on('message', (m: { id: number; index: number; value: number; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve({ index: m.index, value: m.value });
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
  }
  return {
    pool: {
      size: threads,
      scan(src, fx, job) {
        const id = nextId++;
        const w = workers[rr++ % workers.length];
        return new Promise((resolve, reject) => {
          pending.set(id, { resolve, reject });
          const msg: WorkerJob = { ...job, id, src, fx };
          w.postMessage(msg);
        });
      },
      destroy() {
        for (const w of workers) void w.terminate();
      },
    },
    why: '',
  };
}

/** Cores to use by default. */
export async function defaultThreads(): Promise<number> {
  if (isNode()) {
    const os = await import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}
