import { describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { useGpuDevice } from './helpers';

describe('BPM on the engine: balls and bounds on every path', () => {
  const gpu = useGpuDevice();
  for (const ball of ['linf', { kind: 'mnorm' as const, M: [1, 4, 0.5] }, { kind: 'mlinf' as const, M: [1, 4, 0.5] }] as const) {
    it(`same path with ball ${JSON.stringify(ball)} and bounds: CPU, WebGPU step by step, WebGPU resident`, async () => {
      const webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
      const opts = { radius: 0.8, samples: 2048, seed: 5, maxIter: 10, ball, bounds: [[-1, -1, 0], [2, 2, 1]] as [number[], number[]] };
      const a = await bpm('levy', [1.9, -0.9, 0.9], { ...opts, oracle: createCpuOracle() });
      const b = await bpm('levy', [1.9, -0.9, 0.9], { ...opts, oracle: webgpu, resident: false });
      const c = await bpm('levy', [1.9, -0.9, 0.9], { ...opts, oracle: webgpu, batch: 4 });
      for (const r of [b, c]) {
        expect(r.history.map((h) => h.index)).toEqual(a.history.map((h) => h.index));
        expect(Math.abs(r.fun - a.fun)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(a.fun)));
      }
      for (const r of [a, b, c]) for (const h of r.history) h.x.forEach((v, i) => expect(v >= opts.bounds[0][i] && v <= opts.bounds[1][i]).toBe(true));
      webgpu.destroy();
    });
  }

  it('history: false keeps none, a number keeps the last N; x0 outside the bounds is refused', async () => {
    const cpu = createCpuOracle();
    const none = await bpm('sphere', [1, 1], { radius: 0.5, samples: 64, maxIter: 5, history: false, oracle: cpu });
    expect(none.history).toEqual([]);
    expect(none.nit).toBe(5);
    const last = await bpm('sphere', [1, 1], { radius: 0.5, samples: 64, maxIter: 5, history: 2, oracle: cpu });
    expect(last.history.map((h) => h.k)).toEqual([4, 5]);
    await expect(bpm('sphere', [3, 1], { radius: 0.5, bounds: [-2, 2], oracle: cpu })).rejects.toThrow(/x0: coordinate 0 = 3 is outside the bounds \[-2, 2\]/);
  });
});
