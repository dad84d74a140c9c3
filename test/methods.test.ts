import { describe, expect, it } from 'vitest';
import { minimize } from '../src/methods/minimize';
import type { MethodName } from '../src/methods/minimize-types';
import { methodNames } from '../src/methods/registry';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { useGpuDevice } from './helpers';

// Every registered method through the one driver, on both backends: same seed, same run (the
// samples are the same; float32 selection on the GPU may only reorder near-ties, rare on a
// smooth function), budget respected, every evaluation inside the bounds.
describe('minimize: every method on both backends', () => {
  const gpu = useGpuDevice();
  let webgpu: Oracle;
  const cpu = createCpuOracle();
  it('opens WebGPU', async () => {
    webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
  });
  for (const method of methodNames() as MethodName[]) {
    it(method, async () => {
      const obj = getObjective('sphere', 3);
      const opts = { method, seed: 7, maxEvals: 6000, bounds: [[-2, -1, -3], [3, 2, 1]] as [number[], number[]], samples: 200, history: true };
      const seen: number[][] = [];
      const [c, g] = await Promise.all([
        minimize(obj, null, { ...opts, oracle: cpu, callback: ({ last }) => void seen.push(last.x) }),
        // step by step on both (the same path); the resident executor's twins: test/resident-methods.test.ts
        minimize(obj, null, { ...opts, oracle: webgpu, resident: false }),
      ]);
      for (const r of [c, g]) {
        expect(r.method).toBe(method);
        expect(r.nfev).toBeLessThanOrEqual(6000);
        expect(r.nit).toBeGreaterThan(0);
        expect(r.history).toHaveLength(r.nit);
        expect(r.x.every((v, i) => v >= opts.bounds[0][i] && v <= opts.bounds[1][i])).toBe(true);
        expect(r.fun).toBeLessThanOrEqual(obj.js([0.5, 0.5, -1]) + 1e-12); // better than a point of the box's centre region
      }
      for (const x of seen) expect(x.every((v, i) => v >= opts.bounds[0][i] && v <= opts.bounds[1][i])).toBe(true);
      expect(g.nit).toBe(c.nit);
      expect(g.nfev).toBe(c.nfev);
      expect(Math.abs(g.fun - c.fun)).toBeLessThanOrEqual(1e-4 * Math.max(1e-3, c.fun) + 1e-9);
      if (method !== 'random') expect(c.fun).toBeLessThan(0.05);
    });
  }

  it('bad input names the argument', async () => {
    // @ts-expect-error: not a method name (the type is the union of the registry's names)
    await expect(minimize('sphere', [1], { method: 'nope' })).rejects.toThrow(/method: must be one of 'bpm'/);
    await expect(minimize('sphere', null, { dim: 2, bounds: null })).rejects.toThrow(/x0: is required when the run has no bounds/);
    await expect(minimize('sphere', [9, 0], {})).rejects.toThrow(/x0: coordinate 0 = 9 is outside the bounds/);
    await expect(minimize('sphere', [1, 0], { method: 'bpm', params: { radius: -1 } })).rejects.toThrow(/params.radius: must be a finite number > 0/);
    await expect(minimize('sphere', [1, 0], { maxEvals: 0 })).rejects.toThrow(/maxEvals: must be an integer in \[1/);
    // a budget of x0 alone: every method ends at once on max-evals, x0 returned
    for (const method of methodNames()) {
      const r = await minimize('sphere', [1, 0], { method: method as MethodName, maxEvals: 1, backend: 'cpu' });
      expect([r.status, r.nfev, r.x], method).toEqual(['max-evals', 1, [1, 0]]);
    }
  });
});
