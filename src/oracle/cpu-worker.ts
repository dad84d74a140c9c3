// Node worker thread entry (built to dist/cpu-worker.js).
import { parentPort } from 'node:worker_threads';
import { handleJob, type WorkerJob } from './cpu-worker-core.js';

parentPort!.on('message', (job: WorkerJob) => parentPort!.postMessage(handleJob(job)));
