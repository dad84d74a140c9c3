import { describe, expect, it } from 'vitest';
import { splitIndex } from '../src/rng/counter';
import { generators, getGenerator } from '../src/rng/generator';
import { l2 } from '../src/samplers/l2';
import { pointOf } from '../src/samplers/point';
import { prepareSampler } from '../src/samplers/spec';

/** Kolmogorov-Smirnov statistic of samples against U(0, 1). */
function ksUniform(u: number[]): number {
  const s = [...u].sort((a, b) => a - b);
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, (i + 1) / n - s[i], s[i] - i / n);
  return d;
}
/** KS critical value at alpha = 0.001 (asymptotic). */
const ksCritical = (n: number) => 1.95 / Math.sqrt(n);

/** Sample `index` of an l2-ball call (seed, call) around x with radius t, drawn from generator `gen`, as the oracle draws it. */
function l2Point(x: ArrayLike<number>, t: number, seed: number, call: number, index: number, gen: string): Float64Array {
  const spec = { objective: { name: 'test', dim: x.length, wgsl: '', js: () => 0 }, sampler: prepareSampler('l2', x.length, gen), bounds: null, seed, call, round: 0, center: x, t, outer: x, tOuter: t };
  return pointOf(spec, index)!;
}

/** The unit l2 offset of sample `index` under generator `gen`, scaled by t. */
function l2Offset(out: Float64Array, t: number, seed: number, call: number, index: number, gen: string): void {
  l2.unit(out, seed, call, index, getGenerator(gen));
  for (let i = 0; i < out.length; i++) out[i] *= t;
}

// Every statistical test runs on every generator (src/rng/generator.ts), with the same thresholds.
for (const gen of Object.keys(generators)) {
  describe(`uniform sampling in the l2 ball (CPU twin), generator '${gen}'`, () => {
    for (const d of [1, 2, 10, 100]) {
      it(`d=${d}: feasible, radius distribution t*u^(1/d) (KS), mean = centre`, () => {
        const n = 4000;
        const t = 0.7;
        const x = Float64Array.from({ length: d }, (_, i) => (i % 3) - 1.5);
        const inp = { x, t, seed: 9, call: 4 };
        const mean = new Float64Array(d);
        const radial: number[] = [];
        const y = new Float64Array(d);
        for (let i = 0; i < n; i++) {
          y.set(l2Point(inp.x, inp.t, inp.seed, inp.call, i, gen));
          let r2 = 0;
          for (let k = 0; k < d; k++) {
            r2 += (y[k] - x[k]) ** 2;
            mean[k] += y[k] / n;
          }
          const r = Math.sqrt(r2);
          expect(r).toBeLessThanOrEqual(t * (1 + 1e-6));
          radial.push((r / t) ** d); // uniform on (0,1) iff r = t u^(1/d)
        }
        expect(ksUniform(radial)).toBeLessThan(ksCritical(n));
        // each coordinate of a uniform ball point has variance t^2/(d+2)
        const se = t / Math.sqrt((d + 2) * n);
        for (let k = 0; k < d; k++) expect(Math.abs(mean[k] - x[k])).toBeLessThan(5 * se);
      });
    }

    it('directions are isotropic: the first coordinate of the unit direction has the right law (d=3)', () => {
      // for d=3 the first coordinate of a uniform direction is U(-1, 1) (Archimedes)
      const y = new Float64Array(3);
      const u: number[] = [];
      for (let i = 0; i < 4000; i++) {
        l2Offset(y, 1, 1, 0, i, gen);
        u.push((y[0] / Math.hypot(y[0], y[1], y[2]) + 1) / 2);
      }
      expect(ksUniform(u)).toBeLessThan(ksCritical(4000));
    });

    it('angles are uniform on the circle (d=2): KS of atan2, and the last coordinate of odd d=5 directions', () => {
      const y = new Float64Array(2);
      const a: number[] = [];
      for (let i = 0; i < 4000; i++) {
        l2Offset(y, 1, 3, 1, i, gen);
        a.push((Math.atan2(y[1], y[0]) + Math.PI) / (2 * Math.PI));
      }
      expect(ksUniform(a)).toBeLessThan(ksCritical(4000));
      // odd d: the last coordinate comes from the cosine half of a pair alone; by symmetry its
      // direction coordinate is distributed as the first one: compare both with the exact law
      // for d = 5, P(v <= s) of v = z_i/||z|| (Beta(1/2, 2) of v^2, symmetric): F(s) = 1/2 + (3s - s^3)/4
      const z = new Float64Array(5);
      const first: number[] = [];
      const last: number[] = [];
      for (let i = 0; i < 4000; i++) {
        l2Offset(z, 1, 3, 2, i, gen);
        const nz = Math.hypot(...z);
        const F = (s: number) => 0.5 + (3 * s - s ** 3) / 4;
        first.push(F(z[0] / nz));
        last.push(F(z[4] / nz));
      }
      expect(ksUniform(first)).toBeLessThan(ksCritical(4000));
      expect(ksUniform(last)).toBeLessThan(ksCritical(4000));
    });

    it('indices past 2^32 give distinct samples, and calls and seeds change them', () => {
      const a = new Float64Array(4);
      const b = new Float64Array(4);
      l2Offset(a, 1, 1, 0, 5, gen);
      l2Offset(b, 1, 1, 0, 2 ** 32 + 5, gen);
      expect(Array.from(a)).not.toEqual(Array.from(b));
      l2Offset(b, 1, 1, 1, 5, gen);
      expect(Array.from(a)).not.toEqual(Array.from(b));
      l2Offset(b, 1, 2, 0, 5, gen);
      expect(Array.from(a)).not.toEqual(Array.from(b));
    });
  });
}

describe('counter layout', () => {
  it('splits indices into (lo, hi) words', () => {
    expect(splitIndex(2 ** 32 + 5)).toEqual([5, 1]);
    expect(splitIndex(2 ** 53 - 1)).toEqual([0xffffffff, 2 ** 21 - 1]);
  });
});
