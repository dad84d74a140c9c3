import { describe, expect, it } from 'vitest';
import { BroxError } from '../src/errors';
import { exprObjective } from '../src/expr';
import { getObjective } from '../src/objectives/registry';
import { createOracle } from '../src/oracle/create';
import { createCpuOracle } from '../src/oracle/cpu';
import type { Oracle } from '../src/oracle/types';
import { mulberry32, useGpuDevice } from './helpers';

const RASTRIGIN = 'sum(i, x[i]^2 - 10*cos(2*pi*x[i])) + 10*n';
const ROSENBROCK = 'sum(i=0..n-2, 100*(x[i+1]-x[i]^2)^2 + (1-x[i])^2)';

describe('expression objectives: one tree, two targets', () => {
  it('match the built-in twins (rastrigin, rosenbrock, griewank with prod)', () => {
    const rnd = mulberry32(3);
    for (const d of [1, 2, 5, 32]) {
      const pairs: Array<[string, string]> = [
        [RASTRIGIN, 'rastrigin'],
        [ROSENBROCK, 'rosenbrock'],
        ['sum(i, x[i]^2)/4000 - prod(i, cos(x[i]/sqrt(i+1))) + 1', 'griewank'],
      ];
      for (const [expr, name] of pairs) {
        const e = exprObjective({ expr, dim: d });
        const b = getObjective(name, d);
        for (let k = 0; k < 20; k++) {
          const x = Array.from({ length: d }, () => -4 + 8 * rnd());
          expect(e.js(x)).toBeCloseTo(b.js(x), 9);
        }
      }
    }
  });

  it('supports constants, unary minus, right-associative ^, nested sums and the whole function set', () => {
    const f = (expr: string, x: number[]) => exprObjective({ expr, dim: x.length }).js(x);
    expect(f('-x[0]^2', [3])).toBe(-9);
    expect(f('2^3^2', [0])).toBe(512);
    expect(f('2^-1', [0])).toBe(0.5);
    expect(f('n + pi + e', [0, 0, 0])).toBeCloseTo(3 + Math.PI + Math.E, 12);
    expect(f('sum(i, sum(j=0..i, x[j]))', [1, 2, 3])).toBe(1 + 3 + 6);
    expect(f('prod(k=1..n, k)', [0, 0, 0, 0])).toBe(24);
    expect(f('min(x[0], x[1]) + max(x[0], x[1]) + pow(x[1], 2) + abs(-x[0]) + floor(x[1]) + sign(x[0])', [-1.5, 2.5])).toBeCloseTo(-1.5 + 2.5 + 6.25 + 1.5 + 2 - 1, 12);
    expect(f('sin(x[0]) + tan(x[0]) + exp(x[0]) + log(x[1]) + sqrt(x[1]) + tanh(x[0])', [0.3, 2])).toBeCloseTo(
      Math.sin(0.3) + Math.tan(0.3) + Math.exp(0.3) + Math.log(2) + Math.sqrt(2) + Math.tanh(0.3),
      12,
    );
  });

  it('errors point at the column, never a stack trace', () => {
    const err = (expr: string, dim = 3) => {
      try {
        exprObjective({ expr, dim });
      } catch (e) {
        expect(e).toBeInstanceOf(BroxError);
        return (e as BroxError).message;
      }
      throw new Error(`no error for ${expr}`);
    };
    expect(err('sum(i, x[i]^2) + cosh(x[0])')).toBe("expr: column 18: unknown function 'cosh'; known: sin, cos, tan, exp, log, sqrt, abs, floor, tanh, sign, min, max, pow, sum, prod");
    expect(err('x + 1')).toMatch(/^expr: column 1: x must be indexed/);
    expect(err('sum(i, x[i+1])')).toMatch(/^expr: column 8: x\[\.\.\.\] reads index 3, outside 0\.\.2 \(n = 3\)/);
    expect(err('x[y]')).toMatch(/^expr: column 3: unknown name 'y'/);
    expect(err('(x[0] + 1')).toMatch(/^expr: column 10: expected '\)' to close the parenthesis/);
    expect(err('max(x[0])')).toMatch(/^expr: column 1: max takes 2 arguments, got 1/);
    expect(err('x[0.5]')).toMatch(/^expr: column 3: an index or bound must be an integer/);
    expect(err('x[0] $ 2')).toMatch(/^expr: column 6: unexpected character '\$'/);
    expect(err('sum(i, sum(i, x[i]))')).toMatch(/^expr: column 8: index variable 'i' is already in use/);
    expect(err('x[0] x[1]')).toMatch(/^expr: column 6: unexpected 'x'/);
    expect(err('1e40 * x[0]')).toMatch(/float32 range/);
    expect(err('')).toBe('expr: must be a non-empty expression string');
    expect(() => exprObjective({ expr: 'x[0]', dim: 0 })).toThrow(/dim: must be an integer in \[1, 1024\]/);
  });

  it('an empty range is fine: sum over i=0..n-2 when n = 1 is 0', () => {
    expect(exprObjective({ expr: ROSENBROCK, dim: 1 }).js([5])).toBe(0);
  });
});

/** Random expressions from a small grammar, kept inside the domains where both targets agree. */
function randomExpr(rnd: () => number, depth: number): string {
  const leaf = () => {
    const r = rnd();
    if (r < 0.5) return `x[${Math.floor(rnd() * 4)}]`;
    if (r < 0.8) return (Math.round((rnd() * 4 - 2) * 100) / 100).toString();
    return ['pi', 'e', 'n'][Math.floor(rnd() * 3)];
  };
  if (depth === 0) return leaf();
  const a = () => randomExpr(rnd, depth - 1);
  const choices = [
    () => `${a()} + ${a()}`,
    () => `${a()} - ${a()}`,
    () => `(${a()}) * (${a()})`,
    () => `(${a()}) / (2 + abs(${a()}))`,
    () => `(${a()})^2`,
    () => `-(${a()})`,
    () => `sin(${a()})`,
    () => `cos(${a()})`,
    () => `exp(tanh(${a()}))`,
    () => `log(1 + abs(${a()}))`,
    () => `sqrt(abs(${a()}))`,
    () => `tanh(${a()})`,
    () => `min(${a()}, ${a()})`,
    () => `max(${a()}, ${a()})`,
    () => `pow(abs(${a()}) + 0.5, 1.5)`,
    () => `sum(i${depth}, x[i${depth}] * (${a()}))`,
    () => `prod(j${depth}=0..1, 1 + 0.1 * x[j${depth}])`,
    () => `sign(${a()}) * floor(2.5)`,
  ];
  return choices[Math.floor(rnd() * choices.length)]();
}

describe('property: random expressions agree on the CPU and on WebGPU (float32 tolerance)', () => {
  const gpu = useGpuDevice();
  let oracle: Oracle;
  it('creates the WebGPU oracle', async () => {
    oracle = await createOracle({ backend: 'webgpu', device: gpu().device });
  });
  it('120 expressions x 24 random points', async () => {
    const rnd = mulberry32(2026);
    const cpu = createCpuOracle();
    for (let t = 0; t < 120; t++) {
      const expr = randomExpr(rnd, 1 + (t % 4));
      const obj = exprObjective({ expr, dim: 4 });
      const pts = Array.from({ length: 24 }, () => Array.from({ length: 4 }, () => -2 + 4 * rnd()));
      const [g, c] = await Promise.all([oracle.evaluate(obj, pts), cpu.evaluate(obj, pts.map((p) => p.map(Math.fround)))]);
      g.forEach((v, i) => {
        expect(Math.abs(v - c[i]), `${expr} at ${pts[i]}: gpu ${v} cpu ${c[i]}`).toBeLessThanOrEqual(2e-4 * Math.max(1, Math.abs(c[i])));
      });
    }
  });
  it('an expression objective runs BPM on both backends to the same place', async () => {
    const obj = exprObjective({ expr: 'sum(i, (x[i] - 1)^2) + 0.5*sum(i=0..n-2, x[i]*x[i+1])', dim: 3 });
    const { bpm } = await import('../src/bpm/bpm');
    const a = await bpm(obj, [3, -2, 2], { radius: 1, samples: 4096, seed: 9, maxIter: 20, oracle: createCpuOracle() });
    const b = await bpm(obj, [3, -2, 2], { radius: 1, samples: 4096, seed: 9, maxIter: 20, oracle, resident: false });
    expect(b.history.map((h) => h.index)).toEqual(a.history.map((h) => h.index));
  });
});
