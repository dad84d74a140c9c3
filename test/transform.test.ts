import { describe, expect, it } from 'vitest';
import { builtinNames, getObjective } from '../src/objectives/registry';
import { randomOrthogonal, shiftRotate, shiftRotateData, srRandom } from '../src/objectives/transform';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { mulberry32, useGpuDevice } from './helpers';

const DIMS = [2, 10];
const SEED = 3;

/** Max |R R^T - I| over the entries. */
function orthogonalityError(R: ArrayLike<number>, d: number): number {
  let worst = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += R[i * d + k] * R[j * d + k];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/** Seeded points uniform in the box, plus the variant's minimiser and a corner. */
function probePoints(lo: number, hi: number, d: number, seed: number, c: number[]): number[][] {
  const rnd = mulberry32(seed);
  const pts = Array.from({ length: 8 }, () => Array.from({ length: d }, () => lo + (hi - lo) * rnd()));
  pts.push([...c], new Array<number>(d).fill(hi), c.map((v, i) => v + (i % 2 ? 1e-2 : -1e-2) * (hi - lo)));
  return pts;
}

describe('shiftRotate: rotation and generator', () => {
  it('R is orthogonal to 1e-12 (d = 1..50) and det-sign is not fixed by construction', () => {
    for (const d of [1, 2, 3, 5, 10, 20, 50]) {
      for (const seed of [0, 1, 12345]) {
        const R = randomOrthogonal(d, srRandom(seed, d).normal);
        expect(orthogonalityError(R, d), `d=${d} seed=${seed}`).toBeLessThan(1e-12);
      }
    }
  });

  it('the variant data is deterministic in (seed, d) and differs between seeds', () => {
    const obj = getObjective('rastrigin', 5);
    const a = shiftRotateData(obj, 7);
    expect(shiftRotateData(obj, 7)).toEqual(a);
    expect(shiftRotateData(obj, 8).R).not.toEqual(a.R);
    expect(orthogonalityError(a.R, 5)).toBeLessThan(1e-12);
  });

  it('Haar: the mean of R over many seeds is near 0 (no bias towards the identity)', () => {
    const d = 3;
    const n = 2000;
    const mean = new Float64Array(d * d);
    for (let s = 0; s < n; s++) {
      const R = randomOrthogonal(d, srRandom(s, d).normal);
      for (let i = 0; i < d * d; i++) mean[i] += R[i] / n;
    }
    // entries of a Haar orthogonal matrix have mean 0 and variance 1/d: 5 sigma of the mean
    for (const v of mean) expect(Math.abs(v)).toBeLessThan(5 * Math.sqrt(1 / d / n));
  });

  it('the uniform generator stays in [0, 1) and has mean 1/2', () => {
    const { uniform } = srRandom(42, 1);
    let s = 0;
    for (let i = 0; i < 100000; i++) {
      const u = uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
    }
    expect(Math.abs(s / 100000 - 0.5)).toBeLessThan(0.005);
  });

  it('rejects bad seeds and objectives without a domain', () => {
    const obj = getObjective('sphere', 2);
    expect(() => shiftRotate(obj, -1)).toThrow(/seed/);
    expect(() => shiftRotate(obj, 1.5)).toThrow(/seed/);
    expect(() => shiftRotate({ ...obj, domain: undefined }, 1)).toThrow(/domain/);
  });
});

describe('shiftRotate: JS twin (float64)', () => {
  for (const name of builtinNames()) {
    it(`${name}: f(minimiser) = f*, minimiser inside the box, name/domain carried over`, () => {
      for (const d of [1, 2, 5, 10, 20, 50]) {
        const base = getObjective(name, d);
        const v = shiftRotate(base, SEED);
        expect(v.name).toBe(`${name}@sr${SEED}`);
        expect(v.dim).toBe(d);
        expect(v.domain).toEqual(base.domain);
        const [lo, hi] = base.domain!;
        if (!base.minimum?.x) {
          expect(v.minimum).toBeNull();
          continue;
        }
        const c = v.minimum!.x![0];
        for (const ci of c) {
          expect(ci).toBeGreaterThanOrEqual(lo + 0.3 * (hi - lo) - 1e-12);
          expect(ci).toBeLessThanOrEqual(hi - 0.3 * (hi - lo) + 1e-12);
        }
        expect(v.minimum!.fun).toBe(base.minimum.fun);
        // variant(c) = f(z* + R 0) = f(z*) exactly
        expect(v.js(c)).toBe(base.js(base.minimum.x[0]));
        expect(Math.abs(v.js(c) - v.minimum!.fun)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v.minimum!.fun)));
        // no point of the box beats f* (random points and points near c)
        const rnd = mulberry32(d * 31 + 1);
        for (let k = 0; k < 200; k++) {
          const x = k < 100 ? Array.from({ length: d }, () => lo + (hi - lo) * rnd()) : c.map((ci) => ci + (rnd() - 0.5) * 1e-3 * (hi - lo));
          expect(v.js(x)).toBeGreaterThanOrEqual(v.minimum!.fun - 1e-9 * Math.max(1, Math.abs(v.minimum!.fun)));
        }
      }
    });
  }

  it('the twin is self-contained (rebuildable from its source, as CPU worker threads do)', () => {
    for (const name of builtinNames()) {
      const v = shiftRotate(getObjective(name, 4), 11);
      const rebuilt = new Function(`return (${v.js.toString()});`)() as (x: number[]) => number;
      const x = [0.3, -0.2, 0.1, 0.25].map((u) => (v.domain![0] + v.domain![1]) / 2 + u * (v.domain![1] - v.domain![0]));
      expect(rebuilt(x)).toBe(v.js(x));
    }
  });

  it('clamp rule: schwefel and michalewicz variants never go below f* in their box, free functions equal the formula', () => {
    const s = shiftRotate(getObjective('schwefel', 10), 5);
    expect(s.transform.outside).toBe('clamp');
    expect(shiftRotate(getObjective('rastrigin', 10), 5).transform.outside).toBe('free');
    // corners map far outside [-500, 500]: the clamped value is still >= f*
    const corner = new Array<number>(10).fill(500);
    expect(s.js(corner)).toBeGreaterThan(s.minimum!.fun);
    // free: equals f(z* + R (x - c)) computed here
    const r = shiftRotate(getObjective('rastrigin', 3), 9);
    const t = r.transform;
    const x = [1, -2, 0.5];
    const z = [0, 1, 2].map((i) => t.zStar[i] + [0, 1, 2].reduce((a, j) => a + t.R[i * 3 + j] * (x[j] - t.c[j]), 0));
    expect(r.js(x)).toBeCloseTo(getObjective('rastrigin', 3).js(z), 12);
  });
});

describe('shiftRotate: WGSL twin agrees with the JS twin (float32 on real WebGPU)', () => {
  const gpu = useGpuDevice();
  let oracle: Oracle;
  it('creates an oracle on the test device', async () => {
    oracle = await createOracle({ backend: 'webgpu', device: gpu().device });
    expect(oracle.backend).toBe('webgpu');
  });
  for (const name of builtinNames()) {
    for (const d of DIMS) {
      it(`${name}@sr${SEED} d=${d}`, async () => {
        const v = shiftRotate(getObjective(name, d), SEED);
        const [lo, hi] = v.domain!;
        const pts = probePoints(lo, hi, d, d * 101 + name.length, v.transform.c).map((p) => p.map(Math.fround));
        const got = await oracle.evaluate(v, pts);
        // f32 sums of d terms as large as the function's values in the box (schwefel: 418.98 d
        // minus a sum of the same size, so f* ~ 1e-5 d is a cancellation)
        const scale = Math.max(...pts.map((p) => Math.abs(v.js(p))));
        pts.forEach((p, i) => {
          const ref = v.js(p);
          // float32 error budget: the rotation is computed in f32 with R, c, z* rounded to f32, so
          // z carries an error of about eps32 * sqrt(d) * |z|_max per coordinate; f moves by
          // |grad f| times that. The gradient is estimated with float64 central differences.
          const h = 1e-6 * (hi - lo);
          let g2 = 0;
          for (let k = 0; k < d; k++) {
            const a = [...p];
            const b = [...p];
            a[k] += h;
            b[k] -= h;
            g2 += ((v.js(a) - v.js(b)) / (2 * h)) ** 2;
          }
          const zMax = Math.max(Math.abs(lo), Math.abs(hi)) * (1 + Math.sqrt(d));
          const tol = 1e-4 * Math.max(1, Math.abs(ref)) + 2 * d * 2 ** -24 * scale + 8 * 2 ** -24 * Math.sqrt(d) * zMax * Math.sqrt(g2);
          expect(Math.abs(got[i] - ref), `${v.name} d=${d} point ${i}: wgsl ${got[i]} vs js ${ref} (tol ${tol})`).toBeLessThanOrEqual(tol);
        });
      });
    }
  }
  it('d = 50 compiles and agrees at the minimiser', async () => {
    const v = shiftRotate(getObjective('rastrigin', 50), SEED);
    const c = v.transform.c.map(Math.fround);
    const [got] = await oracle.evaluate(v, [c]);
    expect(Math.abs(got - v.js(c))).toBeLessThan(1e-2);
  });
});
