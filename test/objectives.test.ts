import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinNames, builtins, getObjective } from '../src/objectives/registry';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { useGpuDevice } from './helpers';

interface Case { name: string; dim: number; bounds: [number, number]; optimal_value: number | null; points: number[][]; values: number[] }
// Reference values from an independent implementation (BoTorch, float64): ../shared/testdata.
const data: { cases: Case[] } = JSON.parse(readFileSync(new URL('./data/objectives-botorch.json', import.meta.url), 'utf8'));

describe('objective registry: JS twins against BoTorch (float64)', () => {
  it('covers every BoTorch case', () => {
    expect(data.cases.length).toBeGreaterThanOrEqual(28);
    for (const c of data.cases) expect(builtinNames()).toContain(c.name);
  });
  for (const c of data.cases) {
    it(`${c.name} d=${c.dim}`, () => {
      const obj = getObjective(c.name, c.dim);
      c.points.forEach((p, i) => {
        const v = obj.js(p);
        expect(Math.abs(v - c.values[i]), `point ${i}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.values[i])));
      });
      expect(obj.domain).toEqual(c.bounds);
      if (c.optimal_value !== null) expect(obj.minimum!.fun).toBeCloseTo(c.optimal_value, 4);
    });
  }
});

describe('objective registry: known minima of every built-in', () => {
  for (const name of builtinNames()) {
    it(`${name}: f(x*) = f* and x* inside the domain`, () => {
      for (const d of [1, 2, 5, 10]) {
        const obj = getObjective(name, d);
        const m = obj.minimum;
        if (!m?.x) continue;
        for (const xs of m.x) {
          expect(Math.abs(obj.js(xs) - m.fun)).toBeLessThan(1e-4 * Math.max(1, Math.abs(m.fun)));
          for (const v of xs) expect(v >= obj.domain![0] && v <= obj.domain![1]).toBe(true);
        }
        // a known minimum is not beaten by nearby points
        const x0 = m.x[0];
        for (let k = 0; k < d; k++) {
          for (const h of [1e-3, -1e-3]) {
            const y = [...x0];
            y[k] += h;
            expect(obj.js(y)).toBeGreaterThanOrEqual(m.fun - 1e-9);
          }
        }
      }
    });
  }

  it('default starts lie in the domain and away from the minimum', () => {
    for (const b of Object.values(builtins)) {
      const x0 = b.defaultStart(2);
      for (const v of x0) expect(v >= b.domain[0] && v <= b.domain[1]).toBe(true);
      const m = b.minimum(2);
      if (m) expect(b.js(x0)).toBeGreaterThan(m.fun + 1e-3);
    }
  });
});

describe('objective registry: WGSL twins against BoTorch (float32 on real WebGPU)', () => {
  const gpu = useGpuDevice();
  let oracle: Oracle;
  it('creates an oracle on the test device', async () => {
    oracle = await createOracle({ backend: 'webgpu', device: gpu().device });
    expect(oracle.backend).toBe('webgpu');
  });
  for (const c of data.cases) {
    it(`${c.name} d=${c.dim}`, async () => {
      const got = await oracle.evaluate(getObjective(c.name, c.dim), c.points);
      const obj = getObjective(c.name, c.dim);
      c.points.forEach((p, i) => {
        // Float32 inputs: the reference is f64 at the f32-rounded point, so only arithmetic error is judged.
        const ref = obj.js(p.map(Math.fround));
        const tol = 1e-4 * Math.max(1, Math.abs(ref));
        expect(Math.abs(got[i] - ref), `${c.name} d=${c.dim} point ${i}: wgsl ${got[i]} vs ${ref} (botorch ${c.values[i]})`).toBeLessThanOrEqual(tol);
        expect(Math.abs(got[i] - c.values[i])).toBeLessThanOrEqual(Math.max(tol, 2e-3 * Math.max(1, Math.abs(c.values[i]))));
      });
    });
  }
});
