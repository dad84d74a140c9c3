import { describe, expect, it } from 'vitest';
import { minimize } from '../src/methods/minimize';
import { portfolio } from '../src/methods/portfolio';
import { DEFAULT_METHOD } from '../src/methods/registry';
import { bbob } from '../src/objectives/bbob/index';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { useGpuDevice } from './helpers';

// The portfolio (src/methods/portfolio.ts), minimize()'s default: CMA-ES with BIPOP restarts, BPM
// coordinate sweeps from the best point between its runs, and a local CMA-ES run where BPM found a
// better basin.
describe('portfolio (the default method)', () => {
  const oracle = createCpuOracle();
  const box = { lo: new Float64Array(5).fill(-5), hi: new Float64Array(5).fill(5) };

  it('is the default of minimize()', async () => {
    expect(DEFAULT_METHOD).toBe('portfolio');
    const r = await minimize('sphere', [1, -1, 2], { seed: 1, maxEvals: 20000, fTarget: 1e-8, oracle });
    expect(r.method).toBe('portfolio');
    expect(r.status).toBe('target-reached');
  });

  it('solves the separable Buche-Rastrigin (BBOB f4, d = 5) to 1e-8 where CMA-ES alone ends in wrong basins', async () => {
    let cmaSolved = 0;
    for (const instance of [1, 2, 3]) {
      const f = bbob(4, 5, instance);
      const opts = { bounds: [-5, 5] as [number, number], maxEvals: 1e5, fTarget: 1e-8, seed: 1, oracle, history: false };
      const p = await minimize(f, new Array(5).fill(3), opts);
      expect(p.status, `instance ${instance}`).toBe('target-reached');
      expect(f.js(p.x)).toBeLessThanOrEqual(1e-8);
      expect((p.info as { bpmEvals: number }).bpmEvals).toBeGreaterThan(0);
      const c = await minimize(f, new Array(5).fill(3), { ...opts, method: 'cma-es' });
      if (c.status === 'target-reached') cmaSolved++;
    }
    expect(cmaSolved).toBeLessThan(3); // what the BPM sweeps are for (measured: 0 of 3)
  }, 120_000);

  it('BPM spends at most bpmShare x what CMA-ES spent (one BPM step over), the whole budget is used', async () => {
    for (const bpmShare of [0.5, 0.1]) {
      const r = await minimize('rastrigin', null, { dim: 5, seed: 2, maxEvals: 2e5, oracle, history: false, params: { bpmShare } });
      const i = r.info as { cmaEvals: number; bpmEvals: number };
      expect(r.nfev).toBe(2e5);
      expect(i.cmaEvals + i.bpmEvals).toBe(2e5 - 1); // the start's evaluation is the driver's
      expect(i.bpmEvals).toBeGreaterThan(0);
      expect(i.bpmEvals).toBeLessThanOrEqual(bpmShare * i.cmaEvals + 512);
    }
  }, 60_000);

  it('validates its parameters, naming them (params.cma.X, params.bpm.X)', () => {
    const d = portfolio.defaults(5, box);
    expect(() => portfolio.params!({ cma: { popsize: 1 } }, d)).toThrow(/^params\.cma\.popsize: /);
    expect(() => portfolio.params!({ bpm: { ball: 'l3' } }, d)).toThrow(/^params\.bpm\.ball: /);
    expect(() => portfolio.params!({ cma: 3 }, d)).toThrow(/^params\.cma: must be an object/);
    expect(() => portfolio.params!({ bpmShare: -1 }, d)).toThrow(/^params\.bpmShare: /);
    expect(() => portfolio.params!({ popsize: 8 }, d)).toThrow(/^params\.popsize: unknown portfolio parameter/);
    expect(() => portfolio.params!({ samples: 1 }, d)).toThrow(/^samples: must be an integer in \[2/);
    const p = portfolio.params!({ samples: 24, cma: { restartStrategy: 'ipop' }, bpm: { subSamples: 64 }, bpmShare: 0.25 }, d);
    expect([p.cma.popsize, p.cma.restartStrategy, p.bpm.subSamples, p.bpm.ball, p.bpmShare]).toEqual([24, 'ipop', 64, 'coord', 0.25]);
  });

  it('samples beyond 2 x 4096 + 1 per generation: CMA-ES recombines its 4096 best (brox run --samples 65536 with defaults)', async () => {
    const r = await minimize('rastrigin', null, { dim: 5, seed: 1, samples: 1 << 16, maxEvals: 4 * (1 << 16) + 1, oracle, history: false });
    expect(r.method).toBe(DEFAULT_METHOD);
    expect(r.nfev).toBe(4 * (1 << 16) + 1);
    const cma = (r.info as { cma: { lambda: number } }).cma;
    expect(cma.lambda).toBe(1 << 16);
    expect(() => portfolio.params!({ samples: 2 ** 24 + 1 }, portfolio.defaults(5, null))).toThrow(/^samples: must be an integer in \[2, 16777216\]/);
  });

  it('same seed, same run', async () => {
    const run = () => minimize('levy', null, { dim: 4, seed: 3, maxEvals: 30000, oracle, history: false });
    const [a, b] = [await run(), await run()];
    expect(b.x).toEqual(a.x);
    expect(b.nfev).toBe(a.nfev);
  });
});

describe('portfolio on WebGPU', () => {
  const gpu = useGpuDevice();
  it('runs every phase resident (CMA-ES and the BPM sweeps), within the budget, in a fraction of the step-by-step round trips', async () => {
    const webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
    const opts = { seed: 1, maxEvals: 40000, oracle: webgpu, history: false } as const;
    const [s, r] = [await minimize(getObjective('rastrigin', 4), null, { ...opts, resident: false }), await minimize(getObjective('rastrigin', 4), null, opts)];
    const i = r.info as { cmaEvals: number; bpmEvals: number; gpu: { resident: boolean; readbacks: number } };
    expect(r.method).toBe('portfolio');
    expect(i.gpu.resident).toBe(true);
    expect(i.bpmEvals).toBeGreaterThan(0);
    expect(r.nfev).toBeLessThanOrEqual(40000);
    expect(Number.isFinite(r.fun)).toBe(true);
    const sg = (s.info as { gpu: { readbacks: number } }).gpu;
    expect(i.gpu.readbacks * 10).toBeLessThan(sg.readbacks);
    // no batch runs steps the method cannot use (BPM's share ends a phase mid-batch: the batch is
    // sized to it): at most 3 dispatches per generation (population, rank, tell; BPM: sample,
    // update) and one init per session
    const g = i.gpu as unknown as { dispatches: number; readbacks: number };
    expect(g.dispatches).toBeLessThanOrEqual(3 * r.nit + g.readbacks);
    webgpu.destroy();
  }, 240_000);
});
