import { describe, expect, it } from 'vitest';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { orderValue } from '../src/oracle/cpu-scan';
import type { Oracle } from '../src/oracle/types';
import { checkBounds } from '../src/samplers/bounds';
import { generators } from '../src/rng/generator';
import { samplePoint, scratch, roundKey } from '../src/samplers/point';
import { samplerKinds } from '../src/samplers/registry';
import { offsetNorm, prepareSampler } from '../src/samplers/spec';
import type { SamplerSpec } from '../src/samplers/types';
import { mulberry32, useGpuDevice } from './helpers';

/** Kolmogorov-Smirnov statistic of samples against U(0, 1); critical value at alpha = 0.001. */
function ks(u: number[]): number {
  const s = [...u].sort((a, b) => a - b);
  let d = 0;
  for (let i = 0; i < s.length; i++) d = Math.max(d, (i + 1) / s.length - s[i], s[i] - i / s.length);
  return d;
}
const ksCritical = (n: number) => 1.95 / Math.sqrt(n);
/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** A sampler configuration and how a unit offset v = (y - x) / t becomes a U(0,1) variate. */
interface Case {
  name: string;
  spec: (d: number) => SamplerSpec;
  /** The sampler is a ball: ||v|| <= 1 and ||v||^d ~ U(0, 1) in its own norm. */
  ball: boolean;
  /** Gaussian: coordinate 0 of the whitened offset, N(0, 1). */
  whiten?: (v: Float64Array, d: number) => number;
}

const spd = (d: number): number[][] => {
  const r = mulberry32(d * 31);
  const A = Array.from({ length: d }, () => Array.from({ length: d }, () => r() - 0.5));
  return A.map((row, i) => row.map((_, j) => A.reduce((s, rr) => s + rr[i] * rr[j], 0) + (i === j ? 0.5 : 0)));
};

const CASES: Case[] = [
  { name: 'l2', spec: () => 'l2', ball: true },
  { name: 'linf', spec: () => 'linf', ball: true },
  { name: 'l1', spec: () => 'l1', ball: true },
  { name: 'mnorm diag', spec: (d) => ({ kind: 'mnorm', M: Array.from({ length: d }, (_, i) => 0.5 + i) }), ball: true },
  { name: 'mnorm full', spec: (d) => ({ kind: 'mnorm', M: spd(d) }), ball: true },
  { name: 'mlinf', spec: (d) => ({ kind: 'mlinf', M: Array.from({ length: d }, (_, i) => 0.5 + i) }), ball: true },
  { name: 'gaussian', spec: () => 'gaussian', ball: false, whiten: (v) => v[0] },
  { name: 'gaussian diag', spec: (d) => ({ kind: 'gaussian', diag: Array.from({ length: d }, (_, i) => 0.5 + i) }), ball: false, whiten: (v) => v[0] / 0.5 },
  { name: 'gaussian cov', spec: (d) => ({ kind: 'gaussian', cov: spd(d) }), ball: false, whiten: (v, d) => v[0] / Math.sqrt(spd(d)[0][0]) },
];

describe('samplers: every registered kind is covered by a case', () => {
  it('registry', () => {
    for (const k of samplerKinds()) expect(CASES.some((c) => (typeof c.spec(2) === 'string' ? c.spec(2) : (c.spec(2) as { kind: string }).kind) === k), k).toBe(true);
  });
});

// Every statistical test runs on every generator (src/rng/generator.ts), with the same thresholds.
for (const gen of Object.keys(generators))
describe(`samplers (CPU twin): feasibility and distribution, generator '${gen}'`, () => {
  for (const c of CASES) {
    for (const d of [1, 3, 10]) {
      it(`${c.name} d=${d}`, () => {
        const sampler = prepareSampler(c.spec(d), d, gen);
        expect(sampler.gen.name).toBe(gen);
        const x = Float64Array.from({ length: d }, (_, i) => 0.3 * i - 0.2);
        const t = 0.8;
        const g = { sampler, center: x, t, outer: x, tOuter: c.ball ? t : Infinity, bounds: null, round: 0 };
        const [k0, k1] = roundKey(7, 3, 0);
        const y = new Float64Array(d);
        const v = new Float64Array(d);
        const s = scratch(d);
        const u: number[] = [];
        const n = 3000;
        for (let i = 0; i < n; i++) {
          expect(samplePoint(g, k0, k1, i, y, s)).toBe(true);
          for (let j = 0; j < d; j++) v[j] = (y[j] - x[j]) / t;
          if (c.ball) {
            const r = offsetNorm(sampler, v, new Float64Array(d));
            expect(r).toBeLessThanOrEqual(1 + 1e-9);
            u.push(r ** d); // uniform in a ball of any norm: P(||v|| <= r) = r^d
          } else u.push(phi(c.whiten!(v, d)));
        }
        expect(ks(u)).toBeLessThan(ksCritical(n));
      });
    }
  }

  it('mlinf flat off one coordinate: that coordinate is uniform on its whole segment at any d (an mnorm ball flat off it is not)', () => {
    const d = 20;
    const M = new Array(d).fill(1e30);
    M[7] = 1;
    const x = new Float64Array(d);
    const y = new Float64Array(d);
    const col: number[] = [];
    const far = { mlinf: 0, mnorm: 0 };
    for (const kind of ['mlinf', 'mnorm'] as const) {
      const g = { sampler: prepareSampler({ kind, M }, d, gen), center: x, t: 1, outer: x, tOuter: 1, bounds: null, round: 0 };
      for (let i = 0; i < 3000; i++) {
        samplePoint(g, 1, 2, i, y, scratch(d));
        if (kind === 'mlinf') col.push((y[7] + 1) / 2);
        if (Math.abs(y[7]) > 0.7) far[kind]++;
        for (let j = 0; j < d; j++) if (j !== 7) expect(Math.abs(y[j])).toBeLessThan(1e-14);
      }
    }
    expect(ks(col)).toBeLessThan(ksCritical(3000));
    // |y_7| > 0.7: 30 % of a uniform segment; under 1 % of the 20-ball's marginal
    expect(far.mlinf).toBeGreaterThan(800);
    expect(far.mnorm).toBeLessThan(30);
  });

  it('l_inf marginals are uniform on [-t, t]; l1 signs are balanced', () => {
    const d = 4;
    const sampler = prepareSampler('linf', d, gen);
    const x = new Float64Array(d);
    const g = { sampler, center: x, t: 1, outer: x, tOuter: 1, bounds: null, round: 0 };
    const y = new Float64Array(d);
    const cols: number[][] = Array.from({ length: d }, () => []);
    for (let i = 0; i < 3000; i++) {
      samplePoint(g, 1, 2, i, y, scratch(d));
      for (let j = 0; j < d; j++) cols[j].push((y[j] + 1) / 2);
    }
    for (const col of cols) expect(ks(col)).toBeLessThan(ksCritical(3000));
    const l1 = prepareSampler('l1', d, gen);
    let pos = 0;
    for (let i = 0; i < 4000; i++) {
      samplePoint({ ...g, sampler: l1 }, 1, 2, i, y, scratch(d));
      if (y[0] > 0) pos++;
    }
    expect(Math.abs(pos / 4000 - 0.5)).toBeLessThan(0.05);
  });

  it('bounds: every sample folds into the box and stays in the ball', () => {
    const d = 3;
    const bounds = checkBounds([[-1, 0, 2], [1, 0.5, 9]], d)!;
    for (const c of CASES) {
      const sampler = prepareSampler(c.spec(d), d, gen);
      const x = Float64Array.from([0.9, 0.45, 2.1]);
      const t = 3;
      const g = { sampler, center: x, t, outer: x, tOuter: c.ball ? t : Infinity, bounds, round: 0 };
      const y = new Float64Array(d);
      const v = new Float64Array(d);
      let kept = 0;
      for (let i = 0; i < 2000; i++) {
        if (!samplePoint(g, 5, 6, i, y, scratch(d))) continue; // a full M-norm sample folded out of its ball is dropped
        kept++;
        for (let j = 0; j < d; j++) {
          expect(y[j]).toBeGreaterThanOrEqual(bounds.lo[j]);
          expect(y[j]).toBeLessThanOrEqual(bounds.hi[j]);
          v[j] = (y[j] - x[j]) / t;
        }
        if (c.ball) expect(offsetNorm(sampler, v, new Float64Array(d)), c.name).toBeLessThanOrEqual(1 + 1e-6);
      }
      expect(kept, c.name).toBeGreaterThan(c.name === 'mnorm full' ? 100 : 1999);
    }
  });
});

describe('samplers: bad input', () => {
  it('bad specs are refused with a BroxError naming the argument', () => {
    expect(() => prepareSampler('l3' as SamplerSpec, 2)).toThrow(/ball: must be one of 'l2', 'linf', 'mnorm', 'gaussian', 'l1', 'mlinf'/);
    expect(() => prepareSampler({ kind: 'mlinf', M: [[1, 0], [0, 1]] } as never, 2)).toThrow(/ball.M: must be a vector of 2 positive numbers/);
    expect(() => prepareSampler({ kind: 'mlinf', M: [1, 2, 3] }, 2)).toThrow(/ball.M: must have 2 entries \(the dimension\), got 3/);
    expect(() => prepareSampler({ kind: 'mlinf', M: [1, 0] }, 2)).toThrow(/ball.M: entry 1 must be a finite number > 0, got 0/);
    expect(() => prepareSampler({ kind: 'mnorm', M: [[1, 2], [2, 1]] }, 2)).toThrow(/ball.M: must be positive definite/);
    expect(() => prepareSampler({ kind: 'mnorm', M: [[1, 0.5], [0, 1]] }, 2)).toThrow(/ball.M: must be symmetric/);
    expect(() => prepareSampler({ kind: 'mnorm', M: [1, -1] }, 2)).toThrow(/ball.M: diagonal entry 1 must be a finite number > 0/);
    expect(() => prepareSampler({ kind: 'gaussian', diag: [1], cov: [[1]] }, 1)).toThrow(/ball: a Gaussian takes one of diag, cov, factor/);
    expect(() => checkBounds([1, 1], 2)).toThrow(/bounds: lo must be < hi/);
    expect(() => checkBounds([[0, 0, 0], 1], 2)).toThrow(/bounds.lo: must be a number or an array of 2 numbers/);
  });
});

describe('samplers: CPU and WebGPU draw the same samples (same winner, same top-k)', () => {
  const gpu = useGpuDevice();
  const cpu: Oracle = createCpuOracle();
  let webgpu: Oracle;
  it('opens the WebGPU oracle', async () => {
    webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
  });
  for (const gen of Object.keys(generators))
  for (const c of CASES) {
    for (const bounded of [false, true]) {
      it(`${c.name}${bounded ? ', bounded' : ''}, generator '${gen}'`, async () => {
        const d = 5;
        const obj = getObjective('levy', d);
        const x = [0.5, -1.5, 2, 3.5, -0.25];
        const opts = { samples: 3000, seed: 4, call: 2, ball: c.spec(d), generator: gen as 'reference' | 'lean', bounds: bounded ? ([[-1, -2, 1.5, 3, -1], [1, -1, 2.5, 4, 0]] as [number[], number[]]) : null };
        const [g, p] = await Promise.all([webgpu.topk(obj, x, 0.9, { ...opts, k: 8 }), cpu.topk(obj, x, 0.9, { ...opts, k: 8 })]);
        // same samples: the top-8 index lists agree except where float32 reorders a near-tie
        const same = g.indices.filter((i) => p.indices.includes(i)).length;
        expect(same, `${g.indices} vs ${p.indices}`).toBeGreaterThanOrEqual(6);
        expect(Math.abs(g.values[0] - p.values[0])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(p.values[0])));
        const [gb, pb] = await Promise.all([webgpu.brox(obj, x, 0.9, opts), cpu.brox(obj, x, 0.9, opts)]);
        expect(Math.abs(gb.fun - pb.fun)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(pb.fun)));
        if (gb.index !== pb.index) expect(orderValue(gb.fun)).toBeCloseTo(pb.fun, 4);
      });
    }
  }
});
