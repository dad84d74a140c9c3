import type { Objective } from '../../objectives/types.js';
import { RECIPES } from '../compose.js';
import type { GpuEngine } from '../engine.js';
import { EvalParams } from '../layouts.js';

/** Batch evaluation: f at given points (float32), in chunks that fit one storage binding. */
export async function evaluateOnGpu(e: GpuEngine, obj: Objective, rows: Float64Array[], signal?: AbortSignal): Promise<number[]> {
  const data = e.dataBuffer(obj);
  const pipeline = await e.pipeline(obj, RECIPES.evaluate, null, 'brox_evaluate');
  const d = obj.dim;
  const S = GPUBufferUsage;
  const maxBytes = Math.min(e.device.limits.maxStorageBufferBindingSize, 64 * 2 ** 20);
  const rowsPerChunk = Math.max(1, Math.floor(maxBytes / (d * 4)));
  const out: number[] = [];
  for (let r0 = 0; r0 < rows.length; r0 += rowsPerChunk) {
    signal?.throwIfAborted();
    const n = Math.min(rowsPerChunk, rows.length - r0);
    const flat = new Float32Array(n * d);
    for (let r = 0; r < n; r++) flat.set(rows[r0 + r], r * d);
    const pBuf = e.buffer('brox.evaluate.points', flat.byteLength, S.STORAGE | S.COPY_DST);
    const vBuf = e.buffer('brox.evaluate.values', n * 4, S.STORAGE | S.COPY_SRC);
    const rBuf = e.buffer('brox.evaluate.readback', n * 4, S.MAP_READ | S.COPY_DST);
    const uBuf = e.buffer('brox.evaluate.params', EvalParams.bytes(), S.UNIFORM | S.COPY_DST);
    try {
      const vals = await e.scoped(async () => {
        e.device.queue.writeBuffer(pBuf, 0, flat);
        e.device.queue.writeBuffer(uBuf, 0, EvalParams.write({ count: n }));
        const bg = e.bindGroup('brox.evaluate', pipeline, [4, 17, 18, 19], { 4: data ? { buffer: data } : undefined, 17: { buffer: uBuf }, 18: { buffer: pBuf }, 19: { buffer: vBuf } });
        const enc = e.device.createCommandEncoder({ label: 'brox.evaluate' });
        const pass = e.pass(enc, {});
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(Math.min(e.maxWg, Math.ceil(n / e.wg)));
        pass.end();
        enc.copyBufferToBuffer(vBuf, 0, rBuf, 0, n * 4);
        e.submit(enc.finish());
        return new Float32Array(await e.readMapped(rBuf, n * 4));
      });
      for (const v of vals) out.push(v);
    } finally {
      e.free(pBuf, vBuf, rBuf, uBuf);
    }
  }
  return out;
}
