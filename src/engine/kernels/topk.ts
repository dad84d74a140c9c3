import { RECIPES } from '../compose.js';
import { CallBuffers, SAMPLING_BINDINGS, type SampleSpec } from '../call.js';
import { PARAM_STRIDE, type GpuEngine } from '../engine.js';
import { SortParams } from '../layouts.js';

/** Pairs sorted per chunk (a power of two); larger calls are merged on the host, k at a time. */
const MAX_SORT = 2 ** 22;

export interface KeyIndex {
  key: number;
  index: number;
}

/**
 * Top-k reduction: per chunk, pass 1 writes (order key, index) for every sample, a bitonic sort
 * orders the pairs by (key, index) — a total order: deterministic, ties to the lowest index —
 * and the host reads the first k. Chunks merge on the host by the same order.
 */
export class TopkKernel {
  private keys: GPUBuffer | null = null;
  private keysLen = 0;
  private readonly sortParams: GPUBuffer;
  private readback: GPUBuffer | null = null;
  private readbackBytes = 0;
  private static readonly MAX_STEPS = 22 * 23 / 2;

  constructor(private readonly engine: GpuEngine) {
    this.sortParams = engine.buffer('brox.topk.sortParams', TopkKernel.MAX_STEPS * PARAM_STRIDE, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  private ensure(pairs: number, k: number): void {
    const e = this.engine;
    if (pairs > this.keysLen) {
      e.free(this.keys);
      this.keys = e.buffer('brox.topk.keys', pairs * 8, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
      this.keysLen = pairs;
    }
    if (k * 8 > this.readbackBytes) {
      e.free(this.readback);
      this.readbackBytes = k * 8;
      this.readback = e.buffer('brox.topk.readback', this.readbackBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    }
  }

  /** The k best of samples [start, end) by (key, index). */
  async run(bufs: CallBuffers, spec: SampleSpec, start: number, end: number, k: number, signal?: AbortSignal): Promise<KeyIndex[]> {
    const samples = end - start;
    const e = this.engine;
    const data = e.dataBuffer(spec.objective);
    const keysP = await e.pipeline(spec.objective, RECIPES.topk, spec.sampler, 'brox_topk_keys');
    const sortP = await e.pipeline(spec.objective, RECIPES.topk, spec.sampler, 'brox_topk_sort_step');
    let merged: KeyIndex[] = [];
    const chunk = Math.min(MAX_SORT, 2 ** Math.floor(Math.log2(e.chunk)), 2 ** Math.ceil(Math.log2(Math.max(2, samples))));
    for (let s0 = start; s0 < end; s0 += chunk) {
      signal?.throwIfAborted();
      const n = Math.min(chunk, end - s0);
      const P = Math.max(2, 2 ** Math.ceil(Math.log2(n)));
      const kk = Math.min(k, n);
      this.ensure(P, kk);
      const pairs = await e.scoped(async () => {
        // one dispatch covers the chunk (n <= the engine's samples per dispatch)
        bufs.writeParams(spec, s0, s0 + n, spec.call);
        const steps: Array<[number, number]> = [];
        for (let kb = 2; kb <= P; kb *= 2) for (let j = kb / 2; j >= 1; j /= 2) steps.push([j, kb]);
        steps.forEach(([j, kb], i) => e.device.queue.writeBuffer(this.sortParams, i * PARAM_STRIDE, SortParams.write({ j, k: kb, n: P })));
        const keysRes = { buffer: this.keys!, size: P * 8 };
        const enc = e.device.createCommandEncoder({ label: 'brox.topk' });
        const pass = e.pass(enc, { label: 'brox.topkPass' });
        pass.setPipeline(keysP);
        pass.setBindGroup(0, e.bindGroup('brox.topk.keys', keysP, [...SAMPLING_BINDINGS, 13], { ...bufs.resources(0, data), 13: keysRes }));
        pass.dispatchWorkgroups(Math.min(e.maxWg, Math.ceil(P / e.wg)));
        pass.setPipeline(sortP);
        const nwg = Math.min(e.maxWg, Math.ceil(P / 2 / e.wg));
        steps.forEach((_, i) => {
          pass.setBindGroup(0, e.bindGroup('brox.topk.sort', sortP, [13, 14], { 13: keysRes, 14: { buffer: this.sortParams, offset: i * PARAM_STRIDE, size: SortParams.bytes() } }));
          pass.dispatchWorkgroups(nwg);
        });
        pass.end();
        enc.copyBufferToBuffer(this.keys!, 0, this.readback!, 0, kk * 8);
        e.submit(enc.finish());
        return new Uint32Array(await e.readMapped(this.readback!, kk * 8));
      });
      const part: KeyIndex[] = [];
      for (let i = 0; i < kk; i++) if (pairs[2 * i + 1] !== 0xffffffff) part.push({ key: pairs[2 * i], index: s0 + pairs[2 * i + 1] });
      merged = mergeTop(merged, part, k);
    }
    return merged;
  }

  destroy(): void {
    this.engine.free(this.keys, this.sortParams, this.readback);
  }
}

/** The k smallest of two sorted lists by (key, index). */
export function mergeTop(a: KeyIndex[], b: KeyIndex[], k: number): KeyIndex[] {
  const out: KeyIndex[] = [];
  let i = 0;
  let j = 0;
  while (out.length < k && (i < a.length || j < b.length)) {
    const takeA = j >= b.length || (i < a.length && (a[i].key < b[j].key || (a[i].key === b[j].key && a[i].index < b[j].index)));
    out.push(takeA ? a[i++] : b[j++]);
  }
  return out;
}
