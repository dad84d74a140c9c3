import { CallBuffers } from '../engine/call.js';
import { BroxError } from '../errors.js';
import { GpuEngine, type EngineInit, type KernelTuning } from '../engine/engine.js';
import { ArgminKernel } from '../engine/kernels/argmin.js';
import { evaluateOnGpu } from '../engine/kernels/evaluate.js';
import { MomentsKernel } from '../engine/kernels/moments.js';
import { TopkKernel } from '../engine/kernels/topk.js';
import type { SampleSpec } from '../samplers/point.js';
import type { SamplingBackend } from './backend.js';
import { makeOracle } from './oracle.js';
import { hostArgmin, hostTopk, INF_KEY, overflowed, spread } from './rerank.js';
import type { Oracle } from './types.js';

export { DEFAULT_TUNING, type KernelTuning } from '../engine/engine.js';

export interface WebGpuOracleInit extends EngineInit {
  reason: string;
  /**
   * For an owned device: a fresh device when the current one is lost. The oracle then rebuilds
   * its engine (pipelines, buffers, datasets are made again on first use) and retries the call
   * that met the loss; samples depend only on (seed, call, index), so the result is the one an
   * uninterrupted call gives. Without it (a borrowed device) a loss is BroxError DEVICE_LOST.
   */
  reacquire?: () => Promise<GPUDevice>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The WebGPU backend: the engine's kernels behind the SamplingBackend interface. Kernels and
 * their buffers are made on first use; every call runs under the engine's lock (the kernels'
 * buffers are shared between calls).
 */
export function createWebGpuOracle(init: WebGpuOracleInit): Oracle & { kernel: KernelTuning & { subgroups: boolean }; engine: GpuEngine; recoveries(): number } {
  // the engine never releases the GPU handle itself: a replaced engine must not drop it
  const engineInit = (device: GPUDevice): EngineInit => ({ ...init, device, release: undefined });
  let engine = new GpuEngine(engineInit(init.device));
  let call: CallBuffers | null = null;
  let argmin: ArgminKernel | null = null;
  let topk: TopkKernel | null = null;
  let moments: MomentsKernel | null = null;
  let recoveries = 0;
  let recovering: Promise<void> | null = null;
  let closed = false;

  /** Did `e`'s device go away (now, or within a moment of an error)? */
  const lost = async (e: GpuEngine): Promise<boolean> => e.lost !== null || (await Promise.race([e.device.lost.then(() => true), sleep(100).then(() => false)]));
  const recover = (from: GpuEngine): Promise<void> =>
    (recovering ??= (async () => {
      if (engine !== from || closed) return; // another call already recovered
      const device = await init.reacquire!();
      engine.destroy(); // the lost engine's bookkeeping (its device is gone already)
      engine = new GpuEngine(engineInit(device));
      call = null;
      argmin = topk = moments = null;
      recoveries++;
    })().finally(() => {
      recovering = null;
    }));
  /** Runs op on the current engine; a lost owned device is replaced and op retried once. */
  async function run<T>(op: (e: GpuEngine) => Promise<T>): Promise<T> {
    if (engine.lost && init.reacquire && !closed) await recover(engine);
    const e = engine;
    try {
      return await op(e);
    } catch (err) {
      if (closed || !(await lost(e))) throw err;
      if (!init.reacquire) throw new BroxError('oracle', `${e.lost ?? 'GPU device lost'} (the device was borrowed, so the oracle cannot replace it)`, 'DEVICE_LOST');
      await recover(e);
      return op(engine);
    }
  }
  const bufs = (e: GpuEngine) => (call ??= new CallBuffers(e, 'brox.call'));
  /** State and geometry of one round, written before its kernels run. */
  const prepare = (e: GpuEngine, spec: SampleSpec): CallBuffers => {
    const b = bufs(e);
    b.writeState(spec.call, spec.center);
    b.writeRadii([[spec.t, false]]);
    b.writeGeom(spec);
    return b;
  };

  const backend: SamplingBackend = {
    name: 'webgpu',
    adapterInfo: init.adapterInfo,
    reason: init.reason,
    async argmin(spec, start, end, signal) {
      const r = await run((e) => e.serial(() => (argmin ??= new ArgminKernel(e)).run(prepare(e, spec), spec, start, end, signal)));
      // every sample +inf in float32: ranked again in float64 if they overflowed (./rerank.ts)
      if (r.key === INF_KEY && overflowed(spec, [r.index, ...spread(start, end)])) return { ...(await hostArgmin(spec, start, end, signal)), gpuMs: r.gpuMs };
      return r;
    },
    async topk(spec, start, end, k, signal) {
      const pairs = await run((e) => e.serial(() => (topk ??= new TopkKernel(e)).run(prepare(e, spec), spec, start, end, k, signal)));
      // the k-th best +inf in float32: the top-k is partly arbitrary unless float64 agrees (./rerank.ts)
      if (pairs.length && pairs[pairs.length - 1].key === INF_KEY && overflowed(spec, pairs.filter((p) => p.key === INF_KEY).map((p) => p.index))) return hostTopk(spec, start, end, k, signal);
      return pairs.map((p) => p.index);
    },
    async stats(spec, start, end, shift, signal) {
      const s = await run((e) => e.serial(() => (moments ??= new MomentsKernel(e)).stats(prepare(e, spec), spec, start, end, shift)));
      signal?.throwIfAborted();
      const fmin = s.bestKey === 0xffffffff ? Infinity : keyValue(s.bestKey);
      return { bestIndex: s.bestIndex, fmin, n: s.n, sum: s.sum, sumsq: s.sumsq, below: s.below };
    },
    async moments(spec, start, end, fmin, tau, second, signal) {
      signal?.throwIfAborted();
      return run((e) => e.serial(() => (moments ??= new MomentsKernel(e)).moments(prepare(e, spec), spec, start, end, fmin, tau, second)));
    },
    evaluate: (obj, rows, signal) => run((e) => e.serial(() => evaluateOnGpu(e, obj, rows, signal))),
    forget: (obj) => engine.forgetData(obj),
    destroy() {
      closed = true;
      engine.destroy();
      init.release?.();
    },
  };
  const oracle = makeOracle(backend);
  Object.defineProperty(oracle, 'engine', { get: () => engine, enumerable: true });
  return Object.assign(oracle, { kernel: { ...engine.tuning, subgroups: engine.subgroups }, recoveries: () => recoveries }) as Oracle & { kernel: KernelTuning & { subgroups: boolean }; engine: GpuEngine; recoveries(): number };
}

/** Inverse of the kernels' order-preserving key (brox_key_value). */
export function keyValue(key: number): number {
  const f = new Float32Array(1);
  new Uint32Array(f.buffer)[0] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return f[0];
}
