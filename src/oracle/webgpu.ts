import { CallBuffers } from '../engine/call.js';
import { GpuEngine, type EngineInit, type KernelTuning } from '../engine/engine.js';
import { ArgminKernel } from '../engine/kernels/argmin.js';
import { evaluateOnGpu } from '../engine/kernels/evaluate.js';
import { MomentsKernel } from '../engine/kernels/moments.js';
import { TopkKernel } from '../engine/kernels/topk.js';
import type { SampleSpec } from '../samplers/point.js';
import type { SamplingBackend } from './backend.js';
import { makeOracle } from './oracle.js';
import type { Oracle } from './types.js';

export { DEFAULT_TUNING, type KernelTuning } from '../engine/engine.js';

export interface WebGpuOracleInit extends EngineInit {
  reason: string;
}

/**
 * The WebGPU backend: the engine's kernels behind the SamplingBackend interface. Kernels and
 * their buffers are made on first use; every call runs under the engine's lock (the kernels'
 * buffers are shared between calls).
 */
export function createWebGpuOracle(init: WebGpuOracleInit): Oracle & { kernel: KernelTuning & { subgroups: boolean }; engine: GpuEngine } {
  const engine = new GpuEngine(init);
  let call: CallBuffers | null = null;
  let argmin: ArgminKernel | null = null;
  let topk: TopkKernel | null = null;
  let moments: MomentsKernel | null = null;
  const bufs = () => (call ??= new CallBuffers(engine, 'brox.call'));
  /** State and geometry of one round, written before its kernels run. */
  const prepare = (spec: SampleSpec): CallBuffers => {
    const b = bufs();
    b.writeState(spec.call, spec.center);
    b.writeRadii([[spec.t, false]]);
    b.writeGeom(spec);
    return b;
  };

  const backend: SamplingBackend = {
    name: 'webgpu',
    adapterInfo: init.adapterInfo,
    reason: init.reason,
    argmin: (spec, start, end, signal) => engine.serial(() => (argmin ??= new ArgminKernel(engine)).run(prepare(spec), spec, start, end, signal)),
    async topk(spec, samples, k, signal) {
      const pairs = await engine.serial(() => (topk ??= new TopkKernel(engine)).run(prepare(spec), spec, samples, k, signal));
      return pairs.map((p) => p.index);
    },
    async stats(spec, samples, shift, signal) {
      const s = await engine.serial(() => (moments ??= new MomentsKernel(engine)).stats(prepare(spec), spec, samples, shift));
      signal?.throwIfAborted();
      const fmin = s.bestKey === 0xffffffff ? Infinity : keyValue(s.bestKey);
      return { bestIndex: s.bestIndex, fmin, n: s.n, sum: s.sum, sumsq: s.sumsq, below: s.below };
    },
    async moments(spec, samples, fmin, tau, second, signal) {
      signal?.throwIfAborted();
      return engine.serial(() => (moments ??= new MomentsKernel(engine)).moments(prepare(spec), spec, samples, fmin, tau, second));
    },
    evaluate: (obj, rows, signal) => engine.serial(() => evaluateOnGpu(engine, obj, rows, signal)),
    forget: (obj) => engine.forgetData(obj),
    destroy() {
      engine.destroy();
    },
  };
  const oracle = makeOracle(backend, { engine });
  return Object.assign(oracle, { kernel: { ...engine.tuning, subgroups: engine.subgroups }, engine });
}

/** Inverse of the kernels' order-preserving key (brox_key_value). */
export function keyValue(key: number): number {
  const f = new Float32Array(1);
  new Uint32Array(f.buffer)[0] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return f[0];
}
