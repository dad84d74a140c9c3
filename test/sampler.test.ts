import { describe, expect, it } from 'vitest';
import { splitIndex } from '../src/rng/counter';
import { l2Offset, l2Point } from './helpers';

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

describe('uniform sampling in the l2 ball (CPU twin)', () => {
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
        y.set(l2Point(inp.x, inp.t, inp.seed, inp.call, i));
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
      l2Offset(y, 1, 1, 0, i);
      u.push((y[0] / Math.hypot(y[0], y[1], y[2]) + 1) / 2);
    }
    expect(ksUniform(u)).toBeLessThan(ksCritical(4000));
  });

  it('indices past 2^32 give distinct samples, and calls and seeds change them', () => {
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    l2Offset(a, 1, 1, 0, 5);
    l2Offset(b, 1, 1, 0, 2 ** 32 + 5);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    l2Offset(b, 1, 1, 1, 5);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    l2Offset(b, 1, 2, 0, 5);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(splitIndex(2 ** 32 + 5)).toEqual([5, 1]);
    expect(splitIndex(2 ** 53 - 1)).toEqual([0xffffffff, 2 ** 21 - 1]);
  });
});
