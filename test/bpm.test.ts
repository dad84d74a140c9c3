import { describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { useGpuDevice } from './helpers';

const backends: Array<[string, () => Promise<Oracle>]> = [];

describe('BPM', () => {
  const gpu = useGpuDevice();
  backends.push(['cpu', async () => createCpuOracle()], ['webgpu', () => createOracle({ backend: 'webgpu', device: gpu().device })]);

  for (const [name, make] of backends) {
    it(`${name}: reaches f* within 1e-3 on rastrigin d=2 from (4, 4) with t = 1.5`, async () => {
      const oracle = await make();
      const r = await bpm('rastrigin', [4, 4], { radius: 1.5, samples: 1 << 20, seed: 1, maxIter: 30, fTarget: 1e-3, oracle });
      expect(r.status).toBe('target-reached');
      expect(r.success).toBe(true);
      expect(r.fun).toBeLessThanOrEqual(1e-3);
      expect(r.backend).toBe(name);
      expect(r.history).toHaveLength(r.nit);
      // never uphill, steps inside the ball, evaluations accounted for
      let prev = getObjective('rastrigin', 2).js([4, 4]);
      for (const h of r.history) {
        expect(h.fun).toBeLessThanOrEqual(prev);
        expect(h.step).toBeLessThanOrEqual(1.5 * (1 + 1e-6));
        prev = h.fun;
      }
      expect(r.nfev).toBe(1 + r.history.reduce((s, h) => s + h.nfev, 0));
      oracle.destroy();
    });

    // The papers' point: a radius larger than the spacing of local minima steps over them; a small
    // one stalls at a local minimum, and the sampled oracle certifies it as a fixed point.
    it(`${name}: a large radius steps over local minima, a small one stops at a local minimum`, async () => {
      const oracle = await make();
      const obj = getObjective('wavy-bowl', 1); // local minimum near every integer
      const big = await bpm(obj, [4.3], { radius: 1.5, samples: 4096, seed: 3, maxIter: 200, oracle });
      const small = await bpm(obj, [4.3], { radius: 0.3, samples: 4096, seed: 3, maxIter: 200, oracle });
      expect(big.fun).toBeLessThan(1e-3);
      expect(['fixed-point', 'target-reached']).toContain(big.status);
      expect(small.status).toBe('fixed-point');
      expect(small.fun).toBeGreaterThan(10); // the local minimum near x = 4 (f ~ 15), f* = 0
      expect(Math.abs(small.x[0] - 4)).toBeLessThan(0.2);
      oracle.destroy();
    });
  }

  it('the same seed gives the same path: CPU step by step, WebGPU step by step, WebGPU resident', async () => {
    const opts = { radius: 1, samples: 4096, seed: 11, maxIter: 12, ftol: 0 };
    const gpuOracle = await backends[1][1]();
    const a = await bpm('ackley', [3.3, -2.2, 1.1], { ...opts, oracle: createCpuOracle() });
    const b = await bpm('ackley', [3.3, -2.2, 1.1], { ...opts, oracle: gpuOracle, resident: false });
    const c = await bpm('ackley', [3.3, -2.2, 1.1], { ...opts, oracle: gpuOracle, batch: 5 });
    for (const r of [b, c]) {
      expect(r.nit).toBe(a.nit);
      expect(r.status).toBe(a.status);
      expect(r.history.map((h) => h.index)).toEqual(a.history.map((h) => h.index));
      a.history.forEach((h, i) => h.x.forEach((v, k) => expect(Math.abs(r.history[i].x[k] - v)).toBeLessThan(1e-5)));
      expect(Math.abs(r.fun - a.fun)).toBeLessThan(1e-5);
    }
    expect(b.history.map((h) => h.x)).toEqual(a.history.map((h) => h.x)); // regenerated in float64 from the same index
    gpuOracle.destroy();
  });

  it('WebGPU resident loop: stopping rules, budget remainder and callback match the step-by-step loop', async () => {
    const gpuOracle = await backends[1][1]();
    const base = { radius: 0.5, samples: 256, seed: 2, oracle: gpuOracle };
    for (const extra of [{ maxIter: 3 }, { maxEvals: 600 }, { ftol: 0.9 }, { fTarget: 14 }, { radiusDecay: 0.5, radiusMin: 0.1, maxIter: 6 }]) {
      const r = await bpm('sphere', [3, 3], { ...base, ...extra, batch: 2 });
      const s = await bpm('sphere', [3, 3], { ...base, ...extra, resident: false });
      expect([r.status, r.nit, r.nfev], JSON.stringify(extra)).toEqual([s.status, s.nit, s.nfev]);
      expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
      expect(r.history.map((h) => h.radius)).toEqual(s.history.map((h) => h.radius));
    }
    let calls = 0;
    const cb = await bpm('sphere', [3, 3], { ...base, batch: 4, callback: (st) => { calls++; return st.nit === 3; } });
    expect([cb.status, cb.nit, calls, cb.history.length]).toEqual(['callback-stop', 3, 3, 3]);
    gpuOracle.destroy();
  });

  it('stops on max-iter, max-evals, ftol and the callback', async () => {
    const oracle = createCpuOracle();
    const base = { radius: 0.5, samples: 256, seed: 2, oracle };
    const m = await bpm('sphere', [3, 3], { ...base, maxIter: 3 });
    expect([m.status, m.nit, m.success]).toEqual(['max-iter', 3, false]);
    const e = await bpm('sphere', [3, 3], { ...base, maxEvals: 600 });
    expect(e.status).toBe('max-evals');
    expect(e.nfev).toBe(600);
    const f = await bpm('sphere', [3, 3], { ...base, ftol: 0.9 });
    expect(f.status).toBe('ftol');
    let calls = 0;
    const c = await bpm('sphere', [3, 3], { ...base, callback: (s) => { calls++; expect(s.nit).toBe(calls); return s.nit === 2; } });
    expect([c.status, c.nit, calls]).toEqual(['callback-stop', 2, 2]);
    const t = await bpm('sphere', [0.01, 0], { ...base, fTarget: 1 });
    expect([t.status, t.nit]).toEqual(['target-reached', 0]);
    const g = await bpm('sphere', [3, 3], { ...base, radiusDecay: 0.5, radiusMin: 0.1, maxIter: 6 });
    expect(g.history.map((h) => h.radius)).toEqual([0.5, 0.25, 0.125, 0.1, 0.1, 0.1].slice(0, g.nit));
  });

  it('with a decaying radius a step without improvement goes on; the fixed point is declared at the floor radius', async () => {
    const flat = { name: 'flat', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 1.0; }', js: () => 1 };
    const gpuOracle = await backends[1][1]();
    for (const [oracle, resident] of [[createCpuOracle(), false], [gpuOracle, false], [gpuOracle, true]] as const) {
      let calls = 0;
      const r = await bpm(flat, [0, 0], { radius: 1, radiusDecay: 0.5, radiusMin: 0.1, samples: 64, oracle, resident, callback: () => void calls++ });
      expect([r.status, r.nit, calls], `${oracle.backend} resident=${resident}`).toEqual(['fixed-point', 5, 4]);
      expect(r.history.map((h) => h.radius)).toEqual([1, 0.5, 0.25, 0.125, 0.1]);
    }
    gpuOracle.destroy();
  });

  it('a schedule that would shrink the radius to 0 ends at a fixed point (never t = 0); unknown options are refused', async () => {
    const oracle = createCpuOracle();
    const r = await bpm('sphere', [1, 1], { radius: 1, radiusDecay: 0.01, maxIter: 400, samples: 16, oracle });
    expect(r.status).toBe('fixed-point');
    expect(r.history.at(-1)!.radius).toBeGreaterThan(0);
    await expect(bpm('sphere', [1, 1], { radius: 1, decay: 0.5 } as never)).rejects.toMatchObject({ argument: 'decay', message: expect.stringMatching(/not an option of bpm\(\); allowed: radius, radiusDecay/) });
    await expect(bpm('sphere', [1, 1], { radius: 1, runs: 3 } as never)).rejects.toMatchObject({ argument: 'runs' });
  });

  it('reports both minimisers of a disconnected set as reachable (twin-wells)', async () => {
    const oracle = createCpuOracle();
    const toA = await bpm('twin-wells', [-1, -1], { radius: 1.5, samples: 1 << 14, seed: 1, maxIter: 30, oracle });
    const toB = await bpm('twin-wells', [2, 2], { radius: 1.5, samples: 1 << 14, seed: 1, maxIter: 30, oracle });
    expect(toA.x.every((v) => Math.abs(v + 2) < 0.05)).toBe(true);
    expect(toB.x.every((v) => Math.abs(v - 3) < 0.05)).toBe(true);
  });
});
