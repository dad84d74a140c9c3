import { objectiveForms, RECIPES } from '../compose.js';
import { CallBuffers, SAMPLING_BINDINGS, type SampleSpec } from '../call.js';
import type { GpuEngine } from '../engine.js';
import { ReduceParams } from '../layouts.js';

const BEST_BYTES = 16;

/** The streaming pass serves round 0 (or unbounded samplers) of streaming samplers without a full map. */
export function streamingFor(engine: GpuEngine, spec: Pick<SampleSpec, 'objective' | 'sampler' | 'round'>): boolean {
  const { objective: o, sampler: s } = spec;
  return o.dim >= engine.tuning.streamingMinDim && objectiveForms(o.wgsl).streaming && s.plugin.streaming && s.map.kind !== 'full' && (spec.round === 0 || !s.plugin.ball);
}

/**
 * Argmin reduction: pass 1 (one dispatch per chunk) keeps each workgroup's best sample, pass 2
 * reduces them; one readback per submission. Winner = lowest value, ties to the lowest index.
 */
export class ArgminKernel {
  readonly partials: GPUBuffer;
  private readonly rparams: GPUBuffer;
  private readonly result: GPUBuffer;
  private readonly readback: GPUBuffer;

  constructor(private readonly engine: GpuEngine) {
    const S = GPUBufferUsage;
    this.partials = engine.buffer('brox.argmin.partials', engine.dispatches * engine.maxWg * BEST_BYTES, S.STORAGE);
    this.rparams = engine.buffer('brox.argmin.reduceParams', ReduceParams.bytes(), S.UNIFORM | S.COPY_DST);
    this.result = engine.buffer('brox.argmin.best', BEST_BYTES, S.STORAGE | S.COPY_SRC);
    this.readback = engine.buffer('brox.argmin.readback', BEST_BYTES, S.MAP_READ | S.COPY_DST);
  }

  /** The pass-1 pipeline and its entry name for this spec. */
  async samplePipeline(spec: SampleSpec): Promise<GPUComputePipeline> {
    const stream = streamingFor(this.engine, spec);
    return this.engine.pipeline(spec.objective, stream ? RECIPES.argminStreaming : RECIPES.argmin, spec.sampler, stream ? 'brox_argmin_streaming_pass' : 'brox_argmin_pass');
  }

  /** Encodes pass 1 over the dispatches of `grid` (whose params are already written). */
  encodeSamples(pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, bufs: CallBuffers, grid: number[], data: GPUBuffer | null): void {
    pass.setPipeline(pipeline);
    grid.forEach((nwg, i) => {
      pass.setBindGroup(0, this.engine.bindGroup(`brox.argmin.pass${i}`, pipeline, [...SAMPLING_BINDINGS, 2], { ...bufs.resources(i, data), 2: { buffer: this.partials } }));
      pass.dispatchWorkgroups(nwg);
    });
  }

  /** Best sample index in [start, end) of the spec's round (state and geometry already written), or -1, and its order key. */
  async run(bufs: CallBuffers, spec: SampleSpec, start: number, end: number, signal?: AbortSignal): Promise<{ index: number; key: number; gpuMs?: number }> {
    const e = this.engine;
    const data = e.dataBuffer(spec.objective);
    const sample = await this.samplePipeline(spec);
    const reduce = await e.pipeline(spec.objective, RECIPES.argmin, spec.sampler, 'brox_argmin_reduce');
    let winner = -1;
    let winnerKey = 0xffffffff;
    let gpuMs: number | undefined = e.timer ? 0 : undefined;
    for (let s0 = start; s0 < end; s0 += e.dispatches * e.chunk) {
      signal?.throwIfAborted();
      const s1 = Math.min(end, s0 + e.dispatches * e.chunk);
      const best = await e.scoped(async () => {
        const grid = bufs.writeParams(spec, s0, s1, spec.call);
        e.device.queue.writeBuffer(this.rparams, 0, ReduceParams.write({ n: grid.reduce((a, b) => a + b, 0) }));
        const enc = e.device.createCommandEncoder({ label: 'brox.argmin' });
        // one pass: dispatches are ordered and see each other's writes
        const pass = e.pass(enc, { label: 'brox.argminPass', timestampWrites: e.timer?.writes() });
        this.encodeSamples(pass, sample, bufs, grid, data);
        pass.setPipeline(reduce);
        pass.setBindGroup(0, e.bindGroup('brox.argmin.reduce', reduce, [2, 8, 9], { 2: { buffer: this.partials }, 8: { buffer: this.rparams }, 9: { buffer: this.result } }));
        pass.dispatchWorkgroups(1);
        pass.end();
        e.timer?.resolve(enc);
        enc.copyBufferToBuffer(this.result, 0, this.readback, 0, BEST_BYTES);
        e.submit(enc.finish());
        const [w, ms] = await Promise.all([e.readMapped(this.readback, BEST_BYTES), e.timer?.read()]);
        if (gpuMs !== undefined && ms !== undefined) {
          gpuMs += ms;
          e.counts.gpuMs += ms;
        }
        return new Uint32Array(w);
      });
      // keys are order-preserving; submissions run in index order, so strict < keeps ties lowest
      if (best[0] !== 0xffffffff && best[0] < winnerKey) {
        winnerKey = best[0];
        winner = best[2] * 2 ** 32 + best[1];
      }
    }
    return { index: winner, key: winnerKey, gpuMs };
  }

  destroy(): void {
    this.engine.free(this.partials, this.rparams, this.result, this.readback);
  }
}
