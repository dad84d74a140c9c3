import type { ScanJob } from './cpu-scan.js';

/** Worker threads (Node) or Web Workers (browsers) that scan index ranges for the CPU backend. */
export interface CpuPool {
  readonly size: number;
  /** False once destroyed or after a worker died; scan() then rejects with PoolDeadError. */
  readonly alive: boolean;
  /** `stop`: a flag on shared memory the worker checks between slices (non-zero: give up the job). */
  scan(src: string, fx: number, job: ScanJob, stop?: Int32Array | null): Promise<{ index: number; value: number }>;
  destroy(): void;
}

import { isNode, nodeImport } from '../node-import.js';

/**
 * Node: the worker script is dist/cpu-worker.js (built by `npm run build`); running from TypeScript
 * sources (vitest) there is none, and the CPU backend stays on one thread (`why` says so).
 * Browsers: Web Workers bundled by Vite.
 */
export async function createCpuPool(threads: number): Promise<{ pool: CpuPool | null; why: string }> {
  if (!isNode()) {
    if (typeof Worker === 'undefined') return { pool: null, why: 'no Web Workers here' };
    const { createWebPool } = await import('./cpu-pool-web.js');
    return { pool: createWebPool(threads), why: '' };
  }
  // Not `new URL('./cpu-worker.js', import.meta.url)`: bundlers (Vite in a consumer's app) rewrite
  // that form into an asset, inlined as a base64 data URL, and a constant in a variable is folded
  // back into it by our own build. The file name is put into this module's URL at run time instead.
  const url = new URL(import.meta.url);
  url.pathname = url.pathname.replace(/[^/]*$/, 'cpu-worker.js');
  const [{ Worker: NodeWorker }, { existsSync }, { fileURLToPath }, { wirePool }] = await Promise.all([
    nodeImport<typeof import('node:worker_threads')>('node:worker_threads'),
    nodeImport<typeof import('node:fs')>('node:fs'),
    nodeImport<typeof import('node:url')>('node:url'),
    import('./cpu-pool-web.js'),
  ]);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return { pool: null, why: 'no built worker script (run `npm run build`)' };
  const workers = Array.from({ length: threads }, () => {
    const w = new NodeWorker(url);
    w.unref(); // an oracle left undestroyed must not keep the process alive
    return w;
  });
  const pool = wirePool(
    workers,
    (w, cb) => w.on('message', cb),
    (w) => void w.terminate(),
  );
  for (const w of workers) {
    w.on('error', () => pool.destroy());
    w.on('exit', () => pool.destroy());
  }
  return { pool, why: '' };
}

/** Cores to use by default. */
export async function defaultThreads(): Promise<number> {
  if (isNode()) {
    const os = await nodeImport<typeof import('node:os')>('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}
