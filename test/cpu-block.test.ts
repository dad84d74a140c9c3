import { describe, expect, it } from 'vitest';
import { getObjective } from '../src/objectives/registry';
import { bestInRange, topkInRange } from '../src/oracle/cpu-scan';
import { lean } from '../src/rng/lean';
import { geometryOf, PointStream, samplePoint, scratch } from '../src/samplers/point';
import { prepareSampler } from '../src/samplers/spec';
import { wasmSimdAvailable } from '../src/wasm/lean-normals';

// The CPU scans take lean samples from WebAssembly SIMD blocks (PointStream); the TypeScript twin,
// sample by sample (samplePoint), stays the reference: same points to ~1e-15, same winners.
describe('CPU block path (lean generator, WebAssembly SIMD) = the TypeScript twin', () => {
  it('WebAssembly SIMD is available here (Node 20), so the block path is the one measured', () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(typeof lean.normalsBlock).toBe('function');
  });

  const cases: Array<[string, number, object, [number, number] | null, number]> = [
    ['rastrigin', 2, 'l2' as unknown as object, null, 0],
    ['rastrigin', 10, 'l2' as unknown as object, [-5.12, 5.12], 0],
    ['levy', 7, 'gaussian' as unknown as object, null, 0],
    ['ackley', 33, { kind: 'mnorm', M: Array.from({ length: 33 }, (_, i) => 1 + i / 10) }, null, 2],
    ['rosenbrock', 100, 'l2' as unknown as object, null, 1],
  ];
  for (const [name, d, ball, bounds, round] of cases) {
    it(`${name} d=${d} ${typeof ball === 'string' ? ball : 'mnorm diag'}${bounds ? ' bounded' : ''} round ${round}`, () => {
      const obj = getObjective(name, d);
      const x = Array.from({ length: d }, (_, i) => 0.3 + 0.01 * i);
      const b = bounds ? { lo: new Float64Array(d).fill(bounds[0]), hi: new Float64Array(d).fill(bounds[1]) } : null;
      for (const seed of [1, 7]) {
        const spec = { objective: obj, sampler: prepareSampler(ball as never, d, 'lean'), bounds: b, seed, call: 3, round, center: x.map((v) => v + 0.05 * round), t: 0.7, outer: x, tOuter: 1.5 };
        const { g, k0, k1 } = geometryOf(spec);
        // crosses a block boundary (256) and the 2^32 index boundary
        for (const [start, end] of [[0, 1000], [2 ** 32 - 300, 2 ** 32 + 300]]) {
          const stream = new PointStream(g, k0, k1, end);
          const a = new Float64Array(d);
          const r = new Float64Array(d);
          const s = scratch(d);
          let maxDiff = 0;
          for (let i = start; i < end; i++) {
            const okA = stream.point(i, a, s);
            const okR = samplePoint(g, k0, k1, i, r, s);
            expect(okA).toBe(okR);
            for (let k = 0; k < d; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k] - r[k]) / (1 + Math.abs(r[k])));
          }
          expect(maxDiff, `${name} seed ${seed} [${start}, ${end})`).toBeLessThan(1e-13);
          // the same winner as a plain per-sample scan with the twin
          let best = Infinity;
          let bi = -1;
          for (let i = start; i < end; i++) {
            if (!samplePoint(g, k0, k1, i, r, s)) continue;
            const v = obj.js(r);
            if (v < best) [best, bi] = [v, i];
          }
          const got = bestInRange(g, obj.js as (x: Float64Array) => number, { k0, k1, start, end });
          expect(got.index).toBe(bi);
          expect(got.value).toBeCloseTo(best, 10);
          expect(topkInRange(g, obj.js as (x: Float64Array) => number, k0, k1, start, end, 5)[0].index).toBe(bi);
        }
      }
    });
  }
});
