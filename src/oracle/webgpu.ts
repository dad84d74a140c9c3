import { l2Ball } from '../ball/l2';
import { BroxError } from '../errors';
import type { AdapterSummary } from '../gpu/adapter';
import { PipelineCache, SAMPLE_WG } from '../gpu/pipelines';
import { MAX_DIM } from '../validate';
import { finishBrox } from './finish';
import { checkBroxInputs, checkPoints } from './inputs';
import type { BroxOptions, ObjectiveInput, Oracle } from './types';

/** Samples per dispatch: keeps the kernel's u32 loop counter far from wrapping. */
const CHUNK = 2 ** 30;
/** Dispatches per submission; calls larger than DISPATCHES * CHUNK take several submissions. */
const DISPATCHES = 16;
/** Upper bound on workgroups per dispatch (also capped by maxComputeWorkgroupsPerDimension). */
const MAX_WORKGROUPS = 4096;
/** Samples each thread handles at least, before the grid gets more workgroups. */
const SAMPLES_PER_THREAD = 8;
const PARAM_STRIDE = 256; // minUniformBufferOffsetAlignment upper bound
const BEST_BYTES = 16;

export interface WebGpuOracleInit {
  device: GPUDevice;
  ownsDevice: boolean;
  adapterInfo: AdapterSummary | null;
  reason: string;
  release?: () => void;
  /** Internal: smaller chunks let tests exercise multi-dispatch and multi-batch calls cheaply. */
  tuning?: { chunk?: number; dispatches?: number };
}

/** The WebGPU backend: the sampling kernel with the objective injected, two-pass reduction. */
export function createWebGpuOracle(init: WebGpuOracleInit): Oracle {
  const { device } = init;
  const ball = l2Ball;
  const cache = new PipelineCache(device, ball);
  const chunk = init.tuning?.chunk ?? CHUNK;
  const dispatches = init.tuning?.dispatches ?? DISPATCHES;
  const maxWg = Math.min(MAX_WORKGROUPS, device.limits.maxComputeWorkgroupsPerDimension);
  let lost: string | null = null;
  let destroyed = false;
  device.lost.then((info) => {
    if (!destroyed) lost = `GPU device lost: ${info.reason} ${info.message}`;
  });

  const buf = (label: string, size: number, usage: number) => device.createBuffer({ label, size, usage });
  const S = GPUBufferUsage;
  const params = buf('Oracle.sampleParams', dispatches * PARAM_STRIDE, S.UNIFORM | S.COPY_DST);
  const center = buf('Oracle.center', MAX_DIM * 4, S.STORAGE | S.COPY_DST);
  const partials = buf('Oracle.partialBests', dispatches * maxWg * BEST_BYTES, S.STORAGE);
  const count = buf('Oracle.partialCount', 16, S.UNIFORM | S.COPY_DST);
  const result = buf('Oracle.best', BEST_BYTES, S.STORAGE | S.COPY_SRC);
  const readback = buf('Oracle.bestReadback', BEST_BYTES, S.MAP_READ | S.COPY_DST);
  const sampleGroups = new WeakMap<GPUComputePipeline, GPUBindGroup[]>();
  let reduceGroup: GPUBindGroup | null = null;

  // One call at a time: the oracle's buffers are shared between calls.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };
  const alive = () => {
    if (destroyed) throw new BroxError('oracle', 'this oracle was destroyed', 'GPU_ERROR');
    if (lost) throw new BroxError('oracle', lost, 'GPU_ERROR');
  };

  function groupsFor(pipeline: GPUComputePipeline): GPUBindGroup[] {
    let g = sampleGroups.get(pipeline);
    if (!g) {
      const layout = pipeline.getBindGroupLayout(0);
      g = Array.from({ length: dispatches }, (_, i) =>
        device.createBindGroup({
          label: `Oracle.sampleGroup${i}`,
          layout,
          entries: [
            { binding: 0, resource: { buffer: params, offset: i * PARAM_STRIDE, size: 32 } },
            { binding: 1, resource: { buffer: center } },
            { binding: 2, resource: { buffer: partials } },
          ],
        }),
      );
      sampleGroups.set(pipeline, g);
    }
    return g;
  }

  async function withErrorScope<T>(fn: () => Promise<T>): Promise<T> {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let out: T | undefined;
    let failure: unknown = null;
    try {
      out = await fn();
    } catch (e) {
      failure = e ?? new Error('unknown failure');
    }
    const v = await device.popErrorScope();
    const m = await device.popErrorScope();
    if (v || m) throw new BroxError('oracle', `WebGPU error: ${(v ?? m)!.message}`, 'GPU_ERROR');
    if (failure) throw failure;
    return out as T;
  }

  return {
    backend: 'webgpu',
    adapterInfo: init.adapterInfo,
    reason: init.reason,

    async brox(objective: ObjectiveInput, x: ArrayLike<number>, t: number, opts?: BroxOptions) {
      const t0 = performance.now();
      const inp = checkBroxInputs(objective, x, t, opts);
      return serial(async () => {
        alive();
        const pipes = await cache.forObjective(inp.objective);
        const reduce = await cache.forReduce();
        const groups = groupsFor(pipes.sample);
        reduceGroup ??= device.createBindGroup({
          label: 'Oracle.reduceGroup',
          layout: reduce.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: count } },
            { binding: 1, resource: { buffer: partials } },
            { binding: 2, resource: { buffer: result } },
          ],
        });
        device.queue.writeBuffer(center, 0, new Float32Array(inp.x));
        let winner = -1;
        let winnerKey = Infinity;
        const end = inp.offset + inp.samples;
        for (let start = inp.offset; start < end; start += dispatches * chunk) {
          const batchEnd = Math.min(end, start + dispatches * chunk);
          const best = await withErrorScope(async () => {
            const enc = device.createCommandEncoder({ label: 'Oracle.brox' });
            const pass = enc.beginComputePass({ label: 'Oracle.samplePass' });
            pass.setPipeline(pipes.sample);
            let nPartials = 0;
            let i = 0;
            for (let s = start; s < batchEnd; s += chunk, i++) {
              const n = Math.min(chunk, batchEnd - s);
              const nwg = Math.min(maxWg, Math.ceil(n / (SAMPLE_WG * SAMPLES_PER_THREAD)));
              const p = new ArrayBuffer(32);
              const u = new Uint32Array(p);
              u[0] = inp.seed;
              u[1] = inp.call;
              u[2] = s % 2 ** 32;
              u[3] = Math.floor(s / 2 ** 32);
              u[4] = n;
              u[5] = nPartials;
              new Float32Array(p)[6] = inp.t;
              device.queue.writeBuffer(params, i * PARAM_STRIDE, p);
              pass.setBindGroup(0, groups[i]);
              pass.dispatchWorkgroups(nwg);
              nPartials += nwg;
            }
            pass.end();
            device.queue.writeBuffer(count, 0, new Uint32Array([nPartials, 0, 0, 0]));
            const rpass = enc.beginComputePass({ label: 'Oracle.reducePass' });
            rpass.setPipeline(reduce);
            rpass.setBindGroup(0, reduceGroup!);
            rpass.dispatchWorkgroups(1);
            rpass.end();
            enc.copyBufferToBuffer(result, 0, readback, 0, BEST_BYTES);
            device.queue.submit([enc.finish()]);
            await readback.mapAsync(GPUMapMode.READ);
            const w = new Uint32Array(readback.getMappedRange().slice(0));
            readback.unmap();
            return w;
          });
          // keys are order-preserving; batches run in index order, so strict < keeps ties lowest
          if (best[0] !== 0xffffffff && best[0] < winnerKey) {
            winnerKey = best[0];
            winner = best[2] * 2 ** 32 + best[1];
          }
        }
        return finishBrox(ball, inp, winner, 'webgpu', t0);
      });
    },

    async evaluate(objective: ObjectiveInput, points: ArrayLike<ArrayLike<number>>) {
      const { objective: obj, rows } = checkPoints(objective, points);
      return serial(async () => {
        alive();
        const pipes = await cache.forObjective(obj);
        const d = obj.dim;
        const maxBytes = Math.min(device.limits.maxStorageBufferBindingSize, 64 * 2 ** 20);
        const rowsPerChunk = Math.max(1, Math.floor(maxBytes / (d * 4)));
        const out: number[] = [];
        for (let r0 = 0; r0 < rows.length; r0 += rowsPerChunk) {
          const n = Math.min(rowsPerChunk, rows.length - r0);
          const flat = new Float32Array(n * d);
          for (let r = 0; r < n; r++) flat.set(rows[r0 + r], r * d);
          const pBuf = buf('Oracle.evalPoints', flat.byteLength, S.STORAGE | S.COPY_DST);
          const vBuf = buf('Oracle.evalValues', n * 4, S.STORAGE | S.COPY_SRC);
          const rBuf = buf('Oracle.evalReadback', n * 4, S.MAP_READ | S.COPY_DST);
          const uBuf = buf('Oracle.evalParams', 16, S.UNIFORM | S.COPY_DST);
          try {
            const vals = await withErrorScope(async () => {
              device.queue.writeBuffer(pBuf, 0, flat);
              device.queue.writeBuffer(uBuf, 0, new Uint32Array([n, 0, 0, 0]));
              const bg = device.createBindGroup({
                label: 'Oracle.evalGroup',
                layout: pipes.evaluate.getBindGroupLayout(0),
                entries: [
                  { binding: 0, resource: { buffer: uBuf } },
                  { binding: 1, resource: { buffer: pBuf } },
                  { binding: 2, resource: { buffer: vBuf } },
                ],
              });
              const enc = device.createCommandEncoder({ label: 'Oracle.evaluate' });
              const pass = enc.beginComputePass();
              pass.setPipeline(pipes.evaluate);
              pass.setBindGroup(0, bg);
              pass.dispatchWorkgroups(Math.min(maxWg, Math.ceil(n / SAMPLE_WG)));
              pass.end();
              enc.copyBufferToBuffer(vBuf, 0, rBuf, 0, n * 4);
              device.queue.submit([enc.finish()]);
              await rBuf.mapAsync(GPUMapMode.READ);
              const v = new Float32Array(rBuf.getMappedRange().slice(0));
              rBuf.unmap();
              return v;
            });
            for (const v of vals) out.push(v);
          } finally {
            for (const b of [pBuf, vBuf, rBuf, uBuf]) b.destroy();
          }
        }
        return out;
      });
    },

    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const b of [params, center, partials, count, result, readback]) b.destroy();
      if (init.ownsDevice) device.destroy();
      init.release?.();
    },
  };
}
