import { describe, expect, it } from 'vitest';
import { BroxError } from '../src/errors';
import { minimize } from '../src/methods/minimize';
import { getObjective } from '../src/objectives/registry';
import { shiftRotate } from '../src/objectives/transform';
import { createCpuOracle } from '../src/oracle/cpu';

// BPM as a method of minimize() (method: 'bpm'; the default is the portfolio), with its defaults only, on the CPU backend.
describe('minimize: bpm defaults', () => {
  const oracle = createCpuOracle();
  const cases: Array<[string, () => ReturnType<typeof getObjective>, number]> = [
    ['rastrigin d=2', () => getObjective('rastrigin', 2), 1],
    ['rastrigin d=2', () => getObjective('rastrigin', 2), 2],
    ['rastrigin d=5', () => getObjective('rastrigin', 5), 1],
    ['rastrigin d=5', () => getObjective('rastrigin', 5), 2],
    ['styblinski-tang d=5', () => getObjective('styblinski-tang', 5), 1],
    ['shifted-rotated rastrigin d=5', () => shiftRotate(getObjective('rastrigin', 5), 1), 1],
  ];
  for (const [name, make, seed] of cases) {
    it(`solves ${name} (seed ${seed}) within 2^20 evaluations, never uphill, steps inside the reported ball`, async () => {
      const o = make();
      const fs = o.minimum!.fun;
      const r = await minimize(o, null, { method: 'bpm', seed, maxEvals: 2 ** 20, fTarget: fs + 1e-3 * Math.max(1, Math.abs(fs)), oracle });
      expect(r.method).toBe('bpm');
      expect(r.status).toBe('target-reached');
      expect(r.fun - fs).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(fs)));
      expect(r.nfev).toBeLessThanOrEqual(2 ** 20);
      let prev = Infinity;
      for (const h of r.history) {
        expect(h.fun).toBeLessThanOrEqual(prev);
        expect(h.step).toBeLessThanOrEqual(h.radius * (1 + 1e-6));
        prev = h.fun;
      }
      // x stays in the domain
      const [lo, hi] = o.domain!;
      for (const v of r.x) expect(v >= lo && v <= hi).toBe(true);
    }, 60000);
  }

  it('info.restarts counts the radius sweeps that start again with the default mixed ball', async () => {
    // no target: the sweeps reach the radius floor and start again until the budget ends
    const r = await minimize(getObjective('sphere', 3), null, { method: 'bpm', seed: 1, maxEvals: 2 ** 20, oracle });
    expect(r.status).toBe('max-evals');
    expect(r.info?.restarts as number).toBeGreaterThan(0);
  });

  it('same seed, same run', async () => {
    const a = await minimize('rastrigin', null, { method: 'bpm', dim: 3, seed: 7, maxEvals: 50000, oracle, history: false });
    const b = await minimize('rastrigin', null, { method: 'bpm', dim: 3, seed: 7, maxEvals: 50000, oracle, history: false });
    expect(b.x).toEqual(a.x);
    expect(b.fun).toBe(a.fun);
    expect(b.nfev).toBe(a.nfev);
  }, 60000);

  it('reports a certificate: fraction of samples beating the final point and the radius', async () => {
    const r = await minimize('sphere', null, { method: 'bpm', dim: 2, seed: 1, maxEvals: 20000, oracle });
    const c = (r.info as { certificate: { improvedFraction: number; radius: number; samples: number } }).certificate;
    expect(c).toBeDefined();
    expect(c.improvedFraction).toBeGreaterThanOrEqual(0);
    expect(c.improvedFraction).toBeLessThanOrEqual(1);
    expect(c.radius).toBeGreaterThan(0);
    expect(c.samples).toBeGreaterThan(0);
  }, 60000);

  it('each ball kind and the restart options run within the budget', async () => {
    for (const params of [{ ball: 'l2', polish: 0 }, { ball: 'linf' }, { ball: 'l1' }, { ball: 'coord', subdim: 0 }, { ball: 'mixed', coordPolish: true }, { restartFrom: 'random', restartGrowth: 2, minRatio: 0.1 }]) {
      const r = await minimize('rastrigin', null, { method: 'bpm', dim: 3, seed: 3, maxEvals: 30000, oracle, params });
      expect(r.nfev).toBeLessThanOrEqual(30000);
      expect(Number.isFinite(r.fun)).toBe(true);
    }
  }, 60000);

  it("shape 'learned': M-norm balls learned from elites, never uphill, steps inside the reported ball", async () => {
    for (const [o, ball] of [[shiftRotate(getObjective('rastrigin', 5), 1), 'mixed'], [getObjective('griewank', 4), 'l2']] as const) {
      const r = await minimize(o, null, { method: 'bpm', seed: 2, maxEvals: 60000, oracle, params: { shape: 'learned', ball } });
      expect(r.nfev).toBeLessThanOrEqual(60000);
      expect(Number.isFinite(r.fun)).toBe(true);
      expect(r.history.length).toBeGreaterThan(2);
      let prev = Infinity;
      for (const h of r.history) {
        expect(h.fun).toBeLessThanOrEqual(prev);
        expect(h.step).toBeLessThanOrEqual(h.radius * (1 + 1e-6));
        prev = h.fun;
      }
      const [lo, hi] = o.domain!;
      for (const v of r.x) expect(v >= lo && v <= hi).toBe(true);
    }
  }, 60000);

  it('rejects bad parameters with a BroxError naming params.X', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ polish: -1 }, 'params.polish'],
      [{ polish: 1.5 }, 'params.polish'],
      [{ ball: 'sphere' }, 'params.ball'],
      [{ shrinkBy: 1.5 }, 'params.shrinkBy'],
      [{ radiusFrac: 0 }, 'params.radiusFrac'],
      [{ coordPolish: 'yes' }, 'params.coordPolish'],
      [{ restartFrom: 'anywhere' }, 'params.restartFrom'],
      [{ polishShrink: 1.5 }, 'params.polishShrink'],
      [{ shape: 'cma' }, 'params.shape'],
      [{ shape: true }, 'params.shape'],
      [{ nonsense: 1 }, 'params.nonsense'],
    ];
    for (const [params, arg] of bad) {
      const e = await minimize('rastrigin', null, { method: 'bpm', dim: 2, seed: 1, maxEvals: 1000, oracle, params }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BroxError);
      expect((e as BroxError).argument).toBe(arg);
    }
  });
});

describe('bpm: large samples per step', () => {
  it('a step of 2^18 samples (elites beyond the top-k limit of 4096) runs with the learned shape', async () => {
    const r = await minimize('rastrigin', [4, 4], { method: 'bpm', backend: 'cpu', samples: 1 << 18, maxIter: 3, seed: 1 });
    expect(r.nit).toBeGreaterThan(0);
    expect(r.fun).toBeLessThan(1);
  });
});
