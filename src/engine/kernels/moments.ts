import { BroxError } from '../../errors.js';
import { RECIPES } from '../compose.js';
import { CallBuffers, SAMPLING_BINDINGS, type SampleSpec } from '../call.js';
import type { GpuEngine } from '../engine.js';
import { MomentParams } from '../layouts.js';

export interface StatsSums {
  /** Best sample (order key, index) of the call; key 0xffffffff when none. */
  bestKey: number;
  bestIndex: number;
  n: number;
  sum: number;
  sumsq: number;
  below: number;
}

export interface MomentSums {
  w0: number;
  w2: number;
  /** sum w v_i (v = y - centre) */
  m1: Float64Array;
  /** sum w v_i^2, or null */
  m2: Float64Array | null;
  /** sum w v_a v_b, upper triangle row-major, or null */
  full: Float64Array | null;
}

/** Upper bound on the bytes of per-workgroup partial sums (the full pass caps its workgroups by it). */
const MAX_PARTIAL_BYTES = 64 * 2 ** 20;

/**
 * Weighted-moment reduction in two passes over the same samples: value statistics (and the
 * best sample), then the weighted sums; per-workgroup partials are added on the host in float64.
 */
export class MomentsKernel {
  private sums: GPUBuffer | null = null;
  private sumsBytes = 0;
  private readback: GPUBuffer | null = null;
  private readonly mparams: GPUBuffer;
  private readonly partials: GPUBuffer;

  constructor(private readonly engine: GpuEngine) {
    this.mparams = engine.buffer('brox.moments.params', MomentParams.bytes(), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.partials = engine.buffer('brox.moments.partialBests', engine.dispatches * engine.maxWg * 16, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  }

  private ensure(bytes: number): void {
    if (bytes <= this.sumsBytes) return;
    const e = this.engine;
    e.free(this.sums, this.readback);
    this.sumsBytes = bytes;
    this.sums = e.buffer('brox.moments.sums', bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    this.readback = e.buffer('brox.moments.readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /** Runs `entry` over samples [start, end); returns the partial sums (stride floats per workgroup) and partial bests. */
  private async pass(bufs: CallBuffers, spec: SampleSpec, start: number, end: number, entry: string, stride: number, params: Parameters<typeof MomentParams.write>[0], maxWgTotal: number, withBests: boolean): Promise<{ sums: Float32Array; bests: Uint32Array | null }> {
    const e = this.engine;
    const data = e.dataBuffer(spec.objective);
    const p = await e.pipeline(spec.objective, RECIPES.moments, spec.sampler, entry);
    const samples = end - start;
    if (samples > e.dispatches * e.chunk) throw new BroxError('samples', `at most ${e.dispatches * e.chunk} samples per moments call on WebGPU (one submission), got ${samples}; split the range with offset and join the parts with mergeMoments`, 'LIMIT');
    return e.scoped(async () => {
      const perThread = Math.max(e.tuning.samplesPerThread, Math.ceil(samples / (e.wg * Math.max(1, Math.floor(maxWgTotal / Math.ceil(samples / e.chunk))))));
      // the params carry the range's first index (base_lo/base_hi): sample i is the one of a call from 0
      const grid = bufs.writeParams(spec, start, end, spec.call, perThread);
      const nwg = grid.reduce((a, b) => a + b, 0);
      const bytes = nwg * stride * 4;
      this.ensure(bytes);
      e.device.queue.writeBuffer(this.mparams, 0, MomentParams.write(params));
      const enc = e.device.createCommandEncoder({ label: `brox.moments.${entry}` });
      const pass = e.pass(enc, {});
      pass.setPipeline(p);
      grid.forEach((n, i) => {
        pass.setBindGroup(0, e.bindGroup(`brox.moments.${entry}${i}`, p, withBests ? [...SAMPLING_BINDINGS, 2, 15, 16] : [...SAMPLING_BINDINGS, 15, 16], { ...bufs.resources(i, data), 2: withBests ? { buffer: this.partials } : undefined, 15: { buffer: this.mparams }, 16: { buffer: this.sums! } }));
        pass.dispatchWorkgroups(n);
      });
      pass.end();
      enc.copyBufferToBuffer(this.sums!, 0, this.readback!, 0, bytes);
      let bestRead: GPUBuffer | null = null;
      if (withBests) {
        bestRead = e.buffer('brox.moments.bestReadback', nwg * 16, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
        enc.copyBufferToBuffer(this.partials, 0, bestRead, 0, nwg * 16);
      }
      e.submit(enc.finish());
      try {
        const sums = new Float32Array(await e.readMapped(this.readback!, bytes));
        const bests = bestRead ? new Uint32Array(await e.readMapped(bestRead, nwg * 16)) : null;
        return { sums, bests };
      } finally {
        e.free(bestRead);
      }
    });
  }

  async stats(bufs: CallBuffers, spec: SampleSpec, start: number, end: number, shift: number): Promise<StatsSums> {
    const { sums, bests } = await this.pass(bufs, spec, start, end, 'brox_moments_stats', 4, { shift, fmin: 0, inv_tau: 0, diag: 0 }, this.engine.dispatches * this.engine.maxWg, true);
    const out: StatsSums = { bestKey: 0xffffffff, bestIndex: -1, n: 0, sum: 0, sumsq: 0, below: 0 };
    const nwg = sums.length / 4;
    for (let w = 0; w < nwg; w++) {
      out.n += sums[4 * w];
      out.sum += sums[4 * w + 1];
      out.sumsq += sums[4 * w + 2];
      out.below += sums[4 * w + 3];
      const key = bests![4 * w];
      const index = bests![4 * w + 2] * 2 ** 32 + bests![4 * w + 1];
      if (key !== 0xffffffff && (key < out.bestKey || (key === out.bestKey && index < out.bestIndex))) {
        out.bestKey = key;
        out.bestIndex = index;
      }
    }
    return out;
  }

  async moments(bufs: CallBuffers, spec: SampleSpec, start: number, end: number, fmin: number, tau: number, second: 'none' | 'diag' | 'full'): Promise<MomentSums> {
    const d = spec.objective.dim;
    // 1/tau beyond float32 (a tiny tau) is the tau = 0 rule: weight only on f <= f_min
    const inv = tau > 0 ? 1 / tau : 0;
    const params = { shift: 0, fmin, inv_tau: inv < 3.4e38 ? inv : 0, diag: second === 'diag' ? 1 : 0 };
    const stride = 2 + 2 * d;
    const { sums } = await this.pass(bufs, spec, start, end, 'brox_moments_pass', stride, params, this.engine.dispatches * this.engine.maxWg, false);
    const out: MomentSums = { w0: 0, w2: 0, m1: new Float64Array(d), m2: second === 'diag' ? new Float64Array(d) : null, full: null };
    for (let w = 0; w < sums.length / stride; w++) {
      const o = w * stride;
      out.w0 += sums[o];
      out.w2 += sums[o + 1];
      for (let c = 0; c < d; c++) out.m1[c] += sums[o + 2 + c];
      if (out.m2) for (let c = 0; c < d; c++) out.m2[c] += sums[o + 2 + d + c];
    }
    if (second === 'full') out.full = await this.full(bufs, spec, start, end, params);
    return out;
  }

  /** sum w v v^T (upper triangle) over samples [start, end), a chunk at a time through a scratch tile. */
  private async full(bufs: CallBuffers, spec: SampleSpec, start: number, end: number, params: Parameters<typeof MomentParams.write>[0]): Promise<Float64Array> {
    const e = this.engine;
    const d = spec.objective.dim;
    const len = (d * (d + 1)) / 2;
    const data = e.dataBuffer(spec.objective);
    const tileP = await e.pipeline(spec.objective, RECIPES.moments, spec.sampler, 'brox_moments_tile');
    const outerP = await e.pipeline(spec.objective, RECIPES.moments, spec.sampler, 'brox_moments_outer');
    const samples = end - start;
    const chunk = Math.max(1, Math.min(samples, e.chunk, Math.floor(MAX_PARTIAL_BYTES / (4 * d))));
    const S = GPUBufferUsage;
    const tile = e.buffer('brox.moments.tile', chunk * d * 4, S.STORAGE);
    const acc = e.buffer('brox.moments.full', len * 4, S.STORAGE | S.COPY_SRC | S.COPY_DST);
    const read = e.buffer('brox.moments.fullReadback', len * 4, S.MAP_READ | S.COPY_DST);
    try {
      return await e.scoped(async () => {
        e.device.queue.writeBuffer(acc, 0, new Float32Array(len));
        e.device.queue.writeBuffer(this.mparams, 0, MomentParams.write(params));
        // one submission per chunk: its params slice (base index, count) is written before it
        for (let s0 = start; s0 < end; s0 += chunk) {
          const n = Math.min(chunk, end - s0);
          bufs.writeParams(spec, s0, s0 + n, spec.call);
          const enc = e.device.createCommandEncoder({ label: 'brox.moments.full' });
          const pass = e.pass(enc, {});
          pass.setPipeline(tileP);
          pass.setBindGroup(0, e.bindGroup('brox.moments.tile', tileP, [...SAMPLING_BINDINGS, 15, 20], { ...bufs.resources(0, data), 15: { buffer: this.mparams }, 20: { buffer: tile } }));
          pass.dispatchWorkgroups(Math.min(e.maxWg, Math.ceil(n / e.wg)));
          pass.setPipeline(outerP);
          pass.setBindGroup(0, e.bindGroup('brox.moments.outer', outerP, [0, 16, 20], { 0: bufs.resources(0, null)[0], 16: { buffer: acc }, 20: { buffer: tile } }));
          pass.dispatchWorkgroups(Math.min(e.maxWg, Math.ceil(len / e.wg)));
          pass.end();
          e.submit(enc.finish());
        }
        const enc = e.device.createCommandEncoder();
        enc.copyBufferToBuffer(acc, 0, read, 0, len * 4);
        e.submit(enc.finish());
        return Float64Array.from(new Float32Array(await e.readMapped(read, len * 4)));
      });
    } finally {
      e.free(tile, acc, read);
    }
  }

  destroy(): void {
    this.engine.free(this.sums, this.readback, this.mparams, this.partials);
  }
}
