import { describe, expect, it } from 'vitest';
import { exprObjective, MAX_COST } from '../src/expr';
import { leastSquares } from '../src/objectives/data';
import { createCpuOracle } from '../src/oracle/cpu';
import { limitWork, workOf } from '../src/oracle/work';

// Issue 20, defect 1: work is estimated up front. One evaluation cannot be interrupted, so an
// expression's operations per evaluation are capped (sibling sums add up: MAX_TRIPS bounds one
// nesting chain only), and a call's evaluations x operations are capped by --max-work.

/** "(a+b)" trees of `count` copies of `leaf`: siblings, never deeper than log2(count). */
const balanced = (leaf: string, count: number): string => (count === 1 ? leaf : `(${balanced(leaf, count >> 1)}+${balanced(leaf, count - (count >> 1))})`);

describe('expression cost', () => {
  it('3900 sibling sums of 2^22 steps (97 KB, 376 s per point before) are refused at definition with LIMIT', () => {
    const expr = balanced('sum(i=0..4194303,x[0])', 3900);
    expect(expr.length).toBeGreaterThan(90_000);
    let err: unknown;
    try {
      exprObjective({ expr, dim: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'LIMIT', argument: 'expr', message: expect.stringMatching(/operations per evaluation .*sibling sums added up.*; at most 67108864$/) });
  });

  it('counts each node times the iterations of its loops: nested loops multiply, siblings add, folded constants are free', () => {
    const cost = (expr: string, dim = 4) => exprObjective({ expr, dim }).cost!;
    expect(cost('x[0]')).toBe(1);
    expect(cost('x[0] * x[1] + 2 * 3')).toBe(4); // 2 * 3 folds to a literal
    expect(cost('sum(i, x[i])')).toBe(4 * 2 + 1); // a read and a loop step per iteration, the sum once
    expect(cost('sum(i, sum(j, x[i] * x[j]))')).toBe(16 * 4 + 4 * 2 + 1); // inner: 16 x (3 nodes + step); outer: 4 x (inner sum + step)
    expect(cost('sum(i, x[i]) + sum(i, x[i])')).toBe(2 * 9 + 1);
    expect(cost('sum(i=0..4194303, x[0]*x[0])', 1)).toBe(4 * 2 ** 22 + 1); // the "heavy": accepted
  });

  it('the cap is an option, and what fits under it is accepted', () => {
    expect(MAX_COST).toBe(2 ** 26);
    expect(() => exprObjective({ expr: 'sum(i, x[i])', dim: 100, maxCost: 200 })).toThrow(/at most 200$/);
    expect(exprObjective({ expr: 'sum(i, x[i])', dim: 100, maxCost: 201 }).cost).toBe(201);
    expect(() => exprObjective({ expr: balanced('sum(i=0..4194303,x[0])', 7), dim: 1 })).not.toThrow(); // 7 x 2^23 + 13
    expect(() => exprObjective({ expr: balanced('sum(i=0..4194303,x[0])', 8), dim: 1 })).toThrow(/at most 67108864$/); // 2^26 + 15
  });

  it('datasets state their cost (rows x columns); other objectives are taken as a few operations per coordinate', () => {
    const A = Array.from({ length: 100 }, (_, i) => [i, 1, 2]);
    expect(workOf(leastSquares({ A, y: A.map(() => 0) }))).toBe(100 * (2 * 3 + 8));
    expect(workOf(exprObjective({ expr: 'x[0]', dim: 1 }))).toBe(1);
    expect(workOf({ name: 'f', dim: 10, wgsl: '', js: () => 0 })).toBe(176);
  });
});

describe('work limit per call (brox serve --max-work)', () => {
  const cpu = createCpuOracle('test', { threads: 1 });
  const heavy = exprObjective({ expr: 'sum(i=0..4194303, x[0]*x[0])', dim: 1, name: 'heavy' });
  const limited = limitWork(cpu, 1e9, ' (test)');

  it('refuses up front, with LIMIT, the count it would run (defaults and rounds included)', async () => {
    const points = Array.from({ length: 1500 }, (_, i) => [i]);
    await expect(limited.evaluate(heavy, points)).rejects.toMatchObject({ code: 'LIMIT', argument: 'points', message: expect.stringMatching(/^points: 1500 evaluations of 'heavy' \(about 16777217 operations each\) are about 2\.52e\+10 operations; at most 1000000000 per call \(test\)$/) });
    // sphere at d = 2: 48 operations per evaluation; 2^20 default samples x 20 rounds
    await expect(limited.brox('sphere', [1, 1], 1, { rounds: 20 })).rejects.toMatchObject({ code: 'LIMIT', argument: 'samples' });
    await expect(limited.topk('sphere', [1, 1], 1, { samples: 2 ** 25 })).rejects.toMatchObject({ code: 'LIMIT' });
    await expect(limited.moments('sphere', [1, 1], 1, { samples: 2 ** 24, temperature: 1 })).rejects.toMatchObject({ code: 'LIMIT' });
  });

  it('lets smaller calls through to the oracle unchanged, and bad input still gets its own error', async () => {
    expect(await limited.evaluate(heavy, [[1], [2]])).toEqual([4194304, 4 * 4194304]);
    const r = await limited.brox('sphere', [1, 1], 1, { samples: 1000, seed: 1 });
    expect(r).toEqual({ ...(await cpu.brox('sphere', [1, 1], 1, { samples: 1000, seed: 1 })), ms: expect.any(Number) });
    await expect(limited.evaluate('nope', [[1]])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'objective' });
    expect(limited.backend).toBe('cpu');
  });
});
