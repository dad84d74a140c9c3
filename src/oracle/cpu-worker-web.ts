// Browser Web Worker entry (bundled by Vite from `new Worker(new URL(...))` in cpu-pool-web.ts).
import { handleJob, type WorkerJob } from './cpu-worker-core.js';

self.onmessage = (e: MessageEvent<WorkerJob>) => self.postMessage(handleJob(e.data));
