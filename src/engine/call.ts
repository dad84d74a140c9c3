import { boundsF32 } from '../samplers/bounds.js';
import type { SampleSpec } from '../samplers/point.js';
import { MAX_DIM } from '../validate.js';
import { PARAM_STRIDE, type GpuEngine } from './engine.js';
import { SampleParams, State } from './layouts.js';

export type { SampleSpec };


/**
 * What a call (or a resident run) owns on the GPU: one SampleParams slice per dispatch, the state
 * (centre, step k), radii per step, and the geometry (outer centre, bounds, linear map).
 */
export class CallBuffers {
  readonly params: GPUBuffer;
  readonly state: GPUBuffer;
  readonly radii: GPUBuffer;
  geom: GPUBuffer;
  private geomBytes = 0;
  /** Bytes of the geometry written last. */
  geomWritten = 0;

  constructor(private readonly engine: GpuEngine, readonly label: string, radiiEntries = 1) {
    const S = GPUBufferUsage;
    this.params = engine.buffer(`${label}.sampleParams`, engine.dispatches * PARAM_STRIDE, S.UNIFORM | S.COPY_DST);
    this.state = engine.buffer(`${label}.state`, State.bytes(MAX_DIM), S.STORAGE | S.COPY_DST | S.COPY_SRC);
    this.radii = engine.buffer(`${label}.radii`, Math.max(16, radiiEntries * 8), S.STORAGE | S.COPY_DST);
    this.geom = engine.buffer(`${label}.geom`, 16, S.STORAGE | S.COPY_DST | S.COPY_SRC);
    this.geomBytes = 16;
  }

  writeState(k: number, center: ArrayLike<number>, halt = 0): void {
    this.engine.device.queue.writeBuffer(this.state, 0, State.write({ k, halt, fcenter: 0 }, center));
  }

  /** radii[j] = (float32 radius of step kBase + j, 1 if the radius shrinks after it). */
  writeRadii(radii: Array<[number, boolean]>): void {
    const f = new Float32Array(radii.length * 2);
    radii.forEach(([t, shrinks], j) => f.set([t, shrinks ? 1 : 0], 2 * j));
    this.engine.device.queue.writeBuffer(this.radii, 0, f);
  }

  /** outer centre | lo | hi | map | map inverse, as sample_point.wgsl reads them. */
  writeGeom(spec: Pick<SampleSpec, 'outer' | 'bounds' | 'sampler'>): void {
    const d = spec.outer.length;
    const m = spec.sampler.map;
    const mlen = m.kind === 'none' ? 0 : m.a.length;
    const ilen = m.kind !== 'none' && m.inv ? m.inv.length : 0;
    const g = new Float32Array(3 * d + mlen + (m.kind === 'none' ? 0 : mlen));
    g.set(Array.from(spec.outer));
    if (spec.bounds) {
      const b = boundsF32(spec.bounds);
      g.set(b.lo, d);
      g.set(b.hi, 2 * d);
    }
    if (m.kind !== 'none') {
      g.set(m.a, 3 * d);
      if (ilen) g.set(m.inv!, 3 * d + mlen);
    }
    if (g.byteLength > this.geomBytes) {
      this.engine.free(this.geom);
      this.geom = this.engine.buffer(`${this.label}.geom`, g.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
      this.geomBytes = g.byteLength;
    }
    this.engine.device.queue.writeBuffer(this.geom, 0, g);
    this.geomWritten = g.byteLength;
  }

  /**
   * Writes one SampleParams slice per dispatch of samples [start, end); returns workgroups per
   * dispatch. `perThread` sets how many samples a thread takes before the grid grows.
   */
  writeParams(spec: Pick<SampleSpec, 'seed' | 'round' | 'bounds' | 'tOuter'>, start: number, end: number, kBase: number, perThread = this.engine.tuning.samplesPerThread): number[] {
    const e = this.engine;
    const grid: number[] = [];
    let partialOffset = 0;
    for (let s = start, i = 0; s < end; s += e.chunk, i++) {
      const n = Math.min(e.chunk, end - s);
      const nwg = Math.min(e.maxWg, Math.ceil(n / (e.wg * perThread)));
      const p = SampleParams.write({
        seed: spec.seed,
        count: n,
        base_lo: s % 2 ** 32,
        base_hi: Math.floor(s / 2 ** 32),
        partial_offset: partialOffset,
        k_base: kBase,
        round: spec.round,
        bounded: spec.bounds ? 1 : 0,
        t_outer: Number.isFinite(spec.tOuter) ? spec.tOuter : 3.4e38,
      });
      e.device.queue.writeBuffer(this.params, i * PARAM_STRIDE, p);
      grid.push(nwg);
      partialOffset += nwg;
    }
    return grid;
  }

  /** Resources of the shared sampling bindings for dispatch i. */
  resources(i: number, data: GPUBuffer | null): Record<number, GPUBindingResource | undefined> {
    return {
      0: { buffer: this.params, offset: i * PARAM_STRIDE, size: SampleParams.bytes() },
      1: { buffer: this.state },
      3: { buffer: this.radii },
      4: data ? { buffer: data } : undefined,
      5: { buffer: this.geom },
    };
  }

  /** The sampling chunks' buffers by variable name for dispatch i (a population pass: no radii). */
  sampling(i: number, data: GPUBuffer | null): Record<string, GPUBindingResource | undefined> {
    return {
      brox_sparams: { buffer: this.params, offset: i * PARAM_STRIDE, size: SampleParams.bytes() },
      brox_cstate: { buffer: this.state },
      brox_data: data ? { buffer: data } : undefined,
      brox_geom: { buffer: this.geom },
    };
  }

  destroy(): void {
    this.engine.free(this.params, this.state, this.radii, this.geom);
  }
}

/** Bindings of the shared sampling chunks (common, center_readonly, sample_point, dataset). */
export const SAMPLING_BINDINGS = [0, 1, 3, 4, 5];
