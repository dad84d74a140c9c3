import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { exprObjective } from '../src/expr';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { useGpuDevice } from './helpers';

// Regressions found in review: each case failed before its fix.
const root = fileURLToPath(new URL('..', import.meta.url));
const brox = (args: string[], input?: string) => spawnSync(process.execPath, ['bin/brox.js', ...args], { cwd: root, encoding: 'utf8', input, timeout: 60_000 });
const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

describe('review regressions', () => {
  const gpu = useGpuDevice();

  it('expressions: pow of negative bases, NaN through min/max/sign agree on both backends', async () => {
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    const cpu = createCpuOracle();
    const cases: Array<[string, number[][]]> = [
      ['pow(x[0], 3)', [[-2, 0], [1.5, 0]]],
      ['pow(x[0], x[1])', [[-2, 2], [-2, 3], [-2, 0.5], [0, -1], [0, 0]]],
      ['max(sqrt(x[0]), 1) + min(log(x[1]), 5)', [[-4, 1], [4, -1], [4, 2]]],
      ['sign(log(x[0]))', [[-1, 0], [2, 0], [0.5, 0]]],
    ];
    for (const [expr, pts] of cases) {
      const obj = exprObjective({ expr, dim: 2 });
      const [g, c] = await Promise.all([o.evaluate(obj, pts), cpu.evaluate(obj, pts)]);
      g.forEach((v, i) => expect(same(v, c[i]), `${expr} at ${pts[i]}: gpu ${v} cpu ${c[i]}`).toBe(true));
    }
    const a = await o.brox(exprObjective({ expr: 'pow(x[0], 3)', dim: 1 }), [0], 1, { samples: 4000 });
    const b = await cpu.brox(exprObjective({ expr: 'pow(x[0], 3)', dim: 1 }), [0], 1, { samples: 4000 });
    expect(a.index).toBe(b.index);
    o.destroy();
  });

  it('a BPM callback may use the same oracle while the GPU-resident loop runs', async () => {
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    let evaluated = 0;
    const r = await bpm('sphere', [3, 3], {
      radius: 0.5, samples: 512, maxIter: 6, batch: 2, oracle: o,
      callback: async (s) => {
        evaluated += (await o.evaluate('sphere', [s.x])).length;
      },
    });
    expect(r.nit).toBe(6);
    expect(evaluated).toBe(6); // every iteration: the run ends by max-iter, not by the last step itself
    o.destroy();
  });

  it('radius schedules: the resident loop uses the host schedule exactly (same steps and statuses)', async () => {
    const flat = { name: 'flat', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 1.0; }', js: () => 1 };
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    for (const [radiusDecay, radiusMin] of [[0.3, 0.027], [0.9, 0.729], [0.6, 0.216], [0.99999999, 0]]) {
      const opts = { radius: 1, radiusDecay, radiusMin, samples: 64, maxIter: 50, oracle: o };
      const r = await bpm(flat, [0, 0], opts);
      const s = await bpm(flat, [0, 0], { ...opts, resident: false });
      expect([r.status, r.nit], `decay ${radiusDecay}`).toEqual([s.status, s.nit]);
      expect(r.history.map((h) => h.radius)).toEqual(s.history.map((h) => h.radius));
    }
    o.destroy();
  });

  it('the resident loop never accepts a float32 improvement that is uphill in float64', async () => {
    // (x + 10000)^2 - 1e8 - 20000 x equals x^2, but float32 rounding makes it noisy near 0
    const obj = exprObjective({ expr: '(x[0]+10000)^2 - 1e8 - 20000*x[0]', dim: 1 });
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    for (const seed of [1, 2, 3]) {
      const r = await bpm(obj, [0.5], { radius: 1, samples: 4096, seed, maxIter: 10, oracle: o });
      let prev = obj.js([0.5]);
      for (const h of r.history) {
        expect(h.fun).toBeLessThanOrEqual(prev); // float64, as reported
        expect(h.fun).toBe(obj.js(h.x));
        prev = h.fun;
      }
      expect(r.fun).toBeLessThanOrEqual(obj.js([0.5]));
    }
    o.destroy();
  });

  it('a target met in float64 mid-batch stops the resident loop where the step-by-step loop stops', async () => {
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    const base = { radius: 1.5, samples: 4096, seed: 4, maxIter: 8, oracle: o, batch: 8 };
    const free = await bpm('rastrigin', [4, 4], { ...base, resident: false });
    const fTarget = free.history[2].fun; // exactly the float64 value of step 3
    const s = await bpm('rastrigin', [4, 4], { ...base, fTarget, resident: false });
    const r = await bpm('rastrigin', [4, 4], { ...base, fTarget });
    expect([s.status, s.nit]).toEqual(['target-reached', 3]);
    expect([r.status, r.nit]).toEqual([s.status, s.nit]);
    o.destroy();
  });

  it('a destroyed CPU oracle rejects calls instead of hanging', async () => {
    const o = await createOracle({ backend: 'cpu', threads: 2 });
    o.destroy();
    await expect(o.brox('sphere', [1, 1], 1, { samples: 100_000 })).rejects.toThrow(/destroyed/);
  });

  it('names that are Object.prototype keys are unknown names, not crashes', async () => {
    const r = brox(['brox', '--objective', 'constructor', '--backend', 'cpu']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown objective 'constructor'/);
    expect(() => exprObjective({ expr: 'constructor(x[0])', dim: 1 })).toThrow(/column 1: unknown function 'constructor'/);
    const s = brox(['serve', '--backend', 'cpu'], JSON.stringify({ id: 1, method: 'define', params: { name: 'q', data: { kind: 'constructor', A: [[1]], y: [1] } } }) + '\n' + JSON.stringify({ id: 2, method: 'brox', params: { objective: 'toString', x: [1], t: 1 } }) + '\n');
    const [a, b] = s.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(a.error.code).toBe('INVALID_ARGUMENT');
    expect(b.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/unknown objective 'toString'/) });
  });

  it('sum/prod bounds are capped, with the column of the sum', () => {
    expect(() => exprObjective({ expr: 'x[0] + sum(i=0..3000000000, 1)', dim: 1 })).toThrow(/^expr: column 8: sum over 'i' makes 3000000001 loop iterations per evaluation .*at most 4194304/);
    expect(() => exprObjective({ expr: 'sum(i, sum(j, sum(k, x[0])))', dim: 200 })).toThrow(/column 15: sum over 'k' makes 8000000 loop iterations/);
    expect(exprObjective({ expr: 'sum(i, sum(j, x[i]*x[j]))', dim: 1024 }).dim).toBe(1024);
  });

  it('CLI: malformed JSON points exit 2 with a message; run prints the last iteration too', () => {
    const e = brox(['eval', '--objective', 'sphere', '--backend', 'cpu'], '[1,2');
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/^brox: points: stdin: not valid JSON/);
    const r = brox(['run', '--objective', 'sphere', '--dim', '2', '--samples', '256', '--max-iter', '2', '--f-target', 'none', '--backend', 'cpu']);
    expect(r.stdout).toMatch(/iter +1 /);
    expect(r.stdout).toMatch(/iter +2 /);
    // a run that ends at its first iteration (the target) still prints that iteration
    const one = brox(['run', '--objective', 'sphere', '--dim', '2', '--samples', '256', '--backend', 'cpu']);
    expect(one.stdout).toMatch(/iter +1 [\s\S]*status: target-reached/);
  });
});
