import { describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { BroxError } from '../src/errors';
import { leastSquares, logisticRegression, phaseRetrieval } from '../src/objectives/data';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { createWebGpuOracle } from '../src/oracle/webgpu';
import { mulberry32, useGpuDevice } from './helpers';

/** A planted problem: rows a_i ~ U(-1,1)^d, x* known, targets from x*. */
function planted(m: number, d: number, seed: number) {
  const rnd = mulberry32(seed);
  const xs = Array.from({ length: d }, () => Math.round((rnd() * 2 - 1) * 100) / 100);
  const A = Array.from({ length: m }, () => Array.from({ length: d }, () => rnd() * 2 - 1));
  const dots = A.map((a) => a.reduce((s, v, k) => s + v * xs[k], 0));
  return { xs, A, dots };
}

describe('data-backed objectives (GPU storage buffer + CPU twin)', () => {
  const gpu = useGpuDevice();
  const cases = () => {
    const { xs, A, dots } = planted(200, 4, 1);
    return [
      { obj: leastSquares({ A, y: dots }), xs },
      { obj: logisticRegression({ A, y: dots.map((z) => (z > 0 ? 1 : 0)) }), xs },
      { obj: phaseRetrieval({ A, y: dots.map((z) => z * z) }), xs },
    ];
  };

  it('WGSL and JS twins agree (evaluate), and the oracle picks the same winner on both backends', async () => {
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    const cpu = createCpuOracle();
    const rnd = mulberry32(5);
    for (const { obj } of cases()) {
      const pts = Array.from({ length: 50 }, () => Array.from({ length: 4 }, () => rnd() * 4 - 2));
      const [g, c] = await Promise.all([o.evaluate(obj, pts), cpu.evaluate(obj, pts.map((p) => p.map(Math.fround)))]);
      g.forEach((v, i) => expect(Math.abs(v - c[i]), obj.name).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(c[i]))));
      const a = await o.brox(obj, [0.5, 0.5, 0.5, 0.5], 1, { samples: 5000, seed: 2 });
      const b = await cpu.brox(obj, [0.5, 0.5, 0.5, 0.5], 1, { samples: 5000, seed: 2 });
      expect(a.index, obj.name).toBe(b.index);
    }
    o.destroy();
  });

  it('BPM on the GPU (resident loop) recovers the planted least-squares solution', async () => {
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    const [{ obj, xs }] = cases();
    const r = await bpm(obj, [0, 0, 0, 0], { radius: 0.5, samples: 1 << 15, seed: 1, maxIter: 40, oracle: o });
    r.x.forEach((v, k) => expect(Math.abs(v - xs[k])).toBeLessThan(0.05));
    o.destroy();
  });

  it('refuses data larger than the device storage-binding limit, naming the limit', async () => {
    const dev = gpu().device;
    const limit = dev.limits.maxStorageBufferBindingSize;
    const rows = Math.ceil(limit / 4 / 1024) + 1; // just over the limit with d = 1023 (+1 target per row)
    const row = new Float32Array(1023);
    const big = leastSquares({ A: Array.from({ length: rows }, () => row), y: new Float32Array(rows) });
    const o = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test' });
    const err = await o.brox(big, new Array(1023).fill(0), 1, { samples: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(BroxError);
    expect(err.message).toMatch(new RegExp(`^data: \\d+ bytes of data for 'least-squares' exceed this device's maxStorageBufferBindingSize / maxBufferSize \\(\\d+ bytes\\)`));
    o.destroy();
  });

  it('forget() frees a dataset on the GPU and the oracle goes on (serve redefinitions)', async () => {
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    const a = leastSquares({ A: [[1, 0], [0, 1]], y: [1, 2] });
    const b = leastSquares({ A: [[1, 0], [0, 1]], y: [3, 4] });
    expect(await o.evaluate(a, [[0, 0]])).toEqual([5]);
    o.forget!(a);
    expect(await o.evaluate(b, [[0, 0]])).toEqual([25]);
    expect(await o.evaluate(a, [[0, 0]])).toEqual([5]); // uploaded again on use
    o.destroy();
  });

  it('bad datasets: clear errors naming the field', () => {
    expect(() => leastSquares({ A: [[1, 2], [3]], y: [1, 2] })).toThrow(/^data\.A\[1\]: must have length 2 like row 0, got 1/);
    expect(() => leastSquares({ A: [[1, 2]], y: [1, 2] })).toThrow(/^data\.y: must have one target per row \(1\), got 2/);
    expect(() => leastSquares({ A: [[1, NaN]], y: [1] })).toThrow(/^data\.A\[0\]\[1\]: must be a finite number/);
    expect(() => leastSquares({ A: [], y: [] })).toThrow(/^data\.A: must have at least one row/);
  });
});
