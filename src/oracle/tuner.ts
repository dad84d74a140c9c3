import { getObjective } from '../objectives/registry.js';
import { DEFAULT_TUNING, type KernelTuning } from '../engine/engine.js';
import { createWebGpuOracle } from './webgpu.js';

/** Results per device, so the tuner runs once per device per process. */
const cache = new WeakMap<GPUDevice, KernelTuning>();

export interface TuneResult {
  best: KernelTuning;
  /** Every candidate measured: median ms of the kernel (GPU timestamps when available, else wall). */
  trials: Array<KernelTuning & { ms: number }>;
}

/**
 * Picks the workgroup size (WGSL override) and samples per thread (grid size) for this device by
 * timing one oracle call per candidate on rastrigin d=10. Small on purpose: 9 candidates, 3 runs each.
 */
export async function tuneKernel(device: GPUDevice, opts: { samples?: number; software?: boolean } = {}): Promise<TuneResult> {
  const samples = opts.samples ?? (opts.software ? 1 << 15 : 1 << 22);
  const obj = getObjective('rastrigin', 10);
  const x = new Array(10).fill(1.5);
  const maxWg = device.limits.maxComputeInvocationsPerWorkgroup;
  const trials: TuneResult['trials'] = [];
  for (const wg of [64, 128, 256].filter((w) => w <= maxWg)) {
    for (const samplesPerThread of [1, 4, 16]) {
      const tuning = { ...DEFAULT_TUNING, wg, samplesPerThread };
      const o = createWebGpuOracle({ device, ownsDevice: false, adapterInfo: null, reason: 'tuner', tuning });
      try {
        await o.brox(obj, x, 1, { samples: 1024 }); // compile
        const ms: number[] = [];
        for (let r = 0; r < 3; r++) {
          const res = await o.brox(obj, x, 1, { samples, call: r });
          ms.push(res.gpuMs ?? res.ms);
        }
        ms.sort((a, b) => a - b);
        trials.push({ ...tuning, ms: ms[1] });
      } finally {
        o.destroy();
      }
    }
  }
  const fastest = trials.reduce((a, b) => (b.ms < a.ms ? b : a));
  const best: KernelTuning = { wg: fastest.wg, samplesPerThread: fastest.samplesPerThread, streamingMinDim: DEFAULT_TUNING.streamingMinDim };
  cache.set(device, best);
  return { best, trials };
}

/** The cached tuning for a device, running the tuner on first use. */
export async function tunedFor(device: GPUDevice, software: boolean): Promise<KernelTuning> {
  return cache.get(device) ?? (await tuneKernel(device, { software })).best;
}
