import { afterAll, describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { BroxError } from '../src/errors';
import { exprObjective, MAX_LOOP_NESTING } from '../src/expr';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { mulberry32, useGpuDevice } from './helpers';

// Issue 20 #8 and #11: expressions give the CPU's (JavaScript's) NaN, infinities, signed zeros and
// sines on WebGPU too, whatever the driver's float optimisations (SwiftShader folds nan * 0.0 to 0,
// says sign(NaN) = 0 and x != x is false for a NaN). exp(1000 x) makes infinities in float64 too.

/** Same value: both NaN, the same infinity or signed zero, or finite and within tol (relative). */
const same = (g: number, c: number, tol: number) => (Number.isNaN(g) && Number.isNaN(c)) || Object.is(g, c) || (Number.isFinite(g) && Number.isFinite(c) && g !== 0 && c !== 0 && Math.abs(g - c) <= tol * Math.max(1, Math.abs(c)));

const gpu = useGpuDevice();
let oracle: Oracle;
const cpu = createCpuOracle();
afterAll(() => oracle?.destroy());

async function both(expr: string, points: number[][]): Promise<Array<{ x: number[]; gpu: number; cpu: number }>> {
  oracle ??= await createOracle({ backend: 'webgpu', device: gpu().device });
  const obj = exprObjective({ expr, dim: points[0].length });
  const p32 = points.map((p) => p.map(Math.fround));
  const [g, c] = await Promise.all([oracle.evaluate(obj, p32), cpu.evaluate(obj, p32)]);
  return p32.map((x, i) => ({ x, gpu: g[i], cpu: c[i] }));
}

describe('WebGPU expressions carry NaN, infinities and signed zeros as the CPU does', () => {
  // [expression, points]: every point's value on WebGPU must be the CPU's (NaN for NaN, -0 for -0)
  const cases: Array<[string, number[][]]> = [
    ['tanh(log(x[0])) + x[0]', [[-1], [-0.5], [0.5]]], // the reproducer: -1 on WebGPU before
    ['log(x[0]) * 0', [[-1], [2]]], // 0 on WebGPU before
    ['sqrt(x[0]) * 0 + 1', [[-1], [4]]],
    ['sign(log(x[0])) + min(log(x[0]), 1) + max(1, sqrt(x[0]))', [[-1], [0.5]]],
    ['abs(log(x[0])) + floor(sqrt(x[0])) + exp(log(x[0])) + tanh(sqrt(x[0]))', [[-1], [2]]],
    ['sin(log(x[0])) + cos(sqrt(x[0])) + tan(log(x[0]))', [[-1], [2]]],
    ['sin(exp(1000 * x[0])) + x[0]', [[1], [0.001]]], // sin(inf) is NaN
    ['(x[0] - x[0]) * exp(1000 * x[1])', [[3, 1], [3, -1]]], // 0 * inf
    ['exp(1000 * x[0]) - exp(1000 * x[0])', [[1], [0.01]]], // inf - inf
    ['exp(1000 * x[0]) / exp(1000 * x[1])', [[1, 1], [1, -1], [-2, 1]]], // inf / inf, inf / 0, 0 / inf
    ['x[0] / x[1]', [[1, 0], [-1, 0], [0, 0], [0, -2], [1, -0]]],
    ['1 / (x[0] * 0)', [[-3], [3]]], // -0 * ... keeps its sign: -inf
    ['-(x[0] * 0) + tanh(exp(1000 * x[1]))', [[2, 1], [-2, -1]]],
    ['sum(i, log(x[i])) * 0', [[1, 2, 3], [1, -2, 3]]],
    ['prod(i, sqrt(x[i])) * 0 + 1', [[1, 2], [-1, 2]]],
    // pow: JavaScript's Math.pow (pow(-0, -1) was +inf on WebGPU)
    ['pow(x[0], x[1])', [[-0, -1], [-0, -3], [-0, 3], [-0, -2], [0, -1], [-0, -2.5], [-0, 2.5], [-2, 0.5], [-2, 3], [-2, -3], [2, 0.5], [-2, 21], [-2, 100], [-2, -21]]],
    ['x[0]^-17 + x[1]^17', [[-0, 1], [1, -0], [2, -1]]],
    ['pow(log(x[0]), x[1] - x[1]) + pow(x[1], log(x[0]))', [[-1, 2], [2, 3]]], // NaN^0 = 1, 1^NaN = NaN
    ['pow(x[0], exp(1000 * x[1]))', [[1, 1], [-1, 1], [0.5, 1], [2, 1], [-0.5, 1], [2, -1], [0.5, -1]]], // 1^inf is NaN
    ['pow(exp(1000 * x[0]), x[1])', [[1, 2], [1, -2], [-1, -2], [1, 0]]],
  ];
  for (const [expr, points] of cases) {
    it(expr, async () => {
      for (const r of await both(expr, points)) expect(same(r.gpu, r.cpu, 1e-5), `${expr} at ${r.x}: WebGPU ${r.gpu}, CPU ${r.cpu}`).toBe(true);
    });
  }

  it('bpm from -0.5 on tanh(log(x)) + x: the same result on WebGPU as on the CPU', async () => {
    oracle ??= await createOracle({ backend: 'webgpu', device: gpu().device });
    const obj = exprObjective({ expr: 'tanh(log(x[0])) + x[0]', dim: 1 });
    const opts = { radius: 1, samples: 4096, seed: 3, maxIter: 20 };
    const c = await bpm(obj, [-0.5], { ...opts, oracle: cpu });
    for (const resident of [false, true]) {
      const g = await bpm(obj, [-0.5], { ...opts, oracle, resident });
      expect(c.fun).toBeLessThan(-0.99);
      expect(g.fun, `resident ${resident}`).toBeCloseTo(c.fun, 4); // was Infinity with success: true
    }
  });
});

describe('WebGPU sin/cos: the argument reduced in radians (Cody-Waite)', () => {
  it('sin and cos agree with the CPU to 1e-6 absolute up to |x| = 1e6 (2e-3 relative at 1e4 before)', async () => {
    const rnd = mulberry32(11);
    const xs = [1e4, -1e4, 12345.678, 1e5, 65536, 1e6, -999999, 0.5, 3.14159, 1e-3];
    for (const m of [10, 1e2, 1e3, 1e4, 1e5, 1e6]) for (let i = 0; i < 20; i++) xs.push((2 * rnd() - 1) * m);
    for (const expr of ['sin(x[0])', 'cos(x[0])']) {
      let worst = 0;
      for (const r of await both(expr, xs.map((x) => [x]))) worst = Math.max(worst, Math.abs(r.gpu - r.cpu));
      console.log(`${expr}: worst absolute error ${worst.toExponential(2)} over ${xs.length} points up to 1e6`);
      expect(worst, expr).toBeLessThan(1e-6);
    }
  });
});

describe('sum/prod nesting: refused at parse time beyond what WGSL compiles', () => {
  const nestedSums = (depth: number) => {
    let e = 'x[0]';
    for (let k = 0; k < depth; k++) e = `sum(i${k}=0..0, ${e} + 1)`;
    return e;
  };

  it(`${MAX_LOOP_NESTING} nested sums compile and run on WebGPU, with the CPU's value`, async () => {
    const [r] = await both(nestedSums(MAX_LOOP_NESTING), [[0.5]]);
    expect(r.cpu).toBe(0.5 + MAX_LOOP_NESTING);
    expect(r.gpu).toBe(r.cpu);
  });

  it(`${MAX_LOOP_NESTING + 1} (and the 62 that failed only on WebGPU) are a BroxError naming the limit`, () => {
    for (const depth of [MAX_LOOP_NESTING + 1, 62, 200]) {
      let err: unknown = null;
      try {
        exprObjective({ expr: nestedSums(depth), dim: 1 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BroxError);
      expect((err as BroxError).message).toMatch(new RegExp(`^expr: column \\d+: sum/prod nested more than ${MAX_LOOP_NESTING} deep`));
    }
    // siblings are not nesting: many sums side by side are fine
    expect(() => exprObjective({ expr: Array.from({ length: 100 }, (_, k) => `sum(i${k}, x[i${k}])`).join(' + '), dim: 2 })).not.toThrow();
  });
});
