import { describe, expect, it } from 'vitest';
import { Layout } from '../src/engine/struct';
import { defineObjective } from '../src/objectives/define';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { createWebGpuOracle } from '../src/oracle/webgpu';
import { useGpuDevice } from './helpers';

const cpu: Oracle = createCpuOracle();
const close = (a: number, b: number, rel: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(a), Math.abs(b)));

describe('struct layouts: declared once, WGSL text and writer agree', () => {
  it('round trip and padding', () => {
    const L = new Layout('BroxT', [['a', 'u32'], ['b', 'f32'], ['c', 'i32']] as const, 'center');
    expect(L.wgsl()).toBe('struct BroxT {\n  a: u32,\n  b: f32,\n  c: i32,\n  brox_pad0: u32,\n  center: array<f32, DIM>,\n}');
    const buf = L.write({ a: 7, b: 1.5, c: -3 }, [1, 2]);
    expect(buf.byteLength).toBe(16 + 8);
    expect(L.read(buf)).toEqual({ a: 7, b: 1.5, c: -3 });
    expect(Array.from(new Float32Array(buf, 16))).toEqual([1, 2]);
  });
});

describe('reductions: WebGPU kernels against their CPU twins', () => {
  const gpu = useGpuDevice();
  let webgpu: Oracle;
  let chunked: Oracle;
  it('opens the oracles (one with tiny chunks: multi-dispatch, multi-chunk top-k merges)', async () => {
    webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
    chunked = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test', chunking: { chunk: 1024, dispatches: 3 } });
  });

  for (const k of [1, 7, 300, 1024]) {
    it(`top-k, k = ${k}: same indices in the same order (ties to the lowest index)`, async () => {
      const obj = getObjective('rastrigin', 4);
      const x = [1.2, -0.7, 2.2, 0.1];
      const opts = { samples: 5000, seed: 3, call: 1, k, bounds: [-2, 2.5] as [number, number] };
      const [g, c, m] = await Promise.all([webgpu.topk(obj, x, 1.5, opts), cpu.topk(obj, x, 1.5, opts), chunked.topk(obj, x, 1.5, opts)]);
      expect(c.indices).toHaveLength(k);
      for (let i = 1; i < k; i++) expect(c.values[i]).toBeGreaterThanOrEqual(c.values[i - 1]);
      for (const r of [g, m]) {
        expect(r.indices).toHaveLength(k);
        // float32 vs float64 may swap near-ties: compare as sets, and values rank by rank
        const shared = r.indices.filter((i) => c.indices.includes(i)).length;
        expect(shared).toBeGreaterThanOrEqual(k - Math.max(1, Math.ceil(k * 0.01)));
        for (let i = 0; i < k; i++) close(r.values[i], c.values[i], 1e-4);
      }
      expect(m.indices).toEqual(g.indices); // chunking never changes the result
    });
  }

  it('top-k ranges: the two halves [0, n/2) and [n/2, n) merged by (value, index) equal one call, on each backend', async () => {
    const obj = getObjective('rastrigin', 4);
    const x = [1.2, -0.7, 2.2, 0.1];
    const base = { seed: 3, call: 2, k: 50, bounds: [-2, 2.5] as [number, number] };
    for (const o of [cpu, webgpu, chunked]) {
      const whole = await o.topk(obj, x, 1.5, { ...base, samples: 6000 });
      const [a, b] = [await o.topk(obj, x, 1.5, { ...base, samples: 3000 }), await o.topk(obj, x, 1.5, { ...base, samples: 3000, offset: 3000 })];
      expect(b.indices.every((i) => i >= 3000 && i < 6000)).toBe(true);
      const merged = [...a.indices.map((i, r) => ({ i, v: a.values[r] })), ...b.indices.map((i, r) => ({ i, v: b.values[r] }))]
        .sort((p, q) => (p.v < q.v ? -1 : p.v > q.v ? 1 : p.i - q.i))
        .slice(0, 50);
      expect(merged.map((m) => m.i)).toEqual(whole.indices);
      expect(merged.map((m) => m.v)).toEqual(whole.values);
    }
    await expect(cpu.topk(obj, x, 1.5, { ...base, samples: 10, offset: -1 })).rejects.toThrow(/offset/);
    // moments ranges (offset) and their merge: test/moments-offset.test.ts
  });

  it('top-k ties go to the lowest index on both backends (a flat objective)', async () => {
    const flat = defineObjective({ name: 'flat', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 1.0; }', js: () => 1 });
    const [g, c] = await Promise.all([webgpu.topk(flat, [0, 0], 1, { samples: 100, k: 5, offset: 0 } as never), cpu.topk(flat, [0, 0], 1, { samples: 100, k: 5 })]);
    expect(g.indices).toEqual([0, 1, 2, 3, 4]);
    expect(c.indices).toEqual([0, 1, 2, 3, 4]);
  });

  for (const second of ['diag', 'full'] as const) {
    for (const temperature of [0.5, { relative: 1 }] as const) {
      it(`moments (${second}, temperature ${JSON.stringify(temperature)}): mean, second moment, stats`, async () => {
        const obj = getObjective('ackley', 3);
        const x = [0.4, -0.3, 1.1];
        const opts = { samples: 4000, seed: 9, call: 3, temperature, second, ball: 'gaussian' as const, bounds: [-3, 3] as [number, number] };
        const [g, c] = await Promise.all([webgpu.moments(obj, x, 0.7, opts), cpu.moments(obj, x, 0.7, opts)]);
        expect(g.bestIndex).toBe(c.bestIndex);
        close(g.bestFun, c.bestFun, 1e-9);
        close(g.fmin, c.fmin, 1e-5);
        close(g.fmean, c.fmean, 1e-4);
        close(g.fstd, c.fstd, 1e-3);
        close(g.tau, c.tau, 1e-3);
        close(g.ess, c.ess, 1e-3);
        close(g.fractionBelowCenter, c.fractionBelowCenter, 1e-9);
        for (let i = 0; i < 3; i++) close(g.mean[i], c.mean[i], 1e-4);
        const flat = (s: unknown) => (Array.isArray((s as unknown[])[0]) ? (s as number[][]).flat() : (s as number[]));
        const gs = flat(g.second);
        const cs = flat(c.second);
        expect(gs).toHaveLength(second === 'diag' ? 3 : 9);
        for (let i = 0; i < gs.length; i++) close(gs[i], cs[i], 1e-3);
        // the weighted mean is a convex combination of points in the box
        for (const v of c.mean) expect(Math.abs(v)).toBeLessThanOrEqual(3);
      });
    }
  }

  it('moments in high dimension: the full pass tiles samples in workgroup memory', async () => {
    const obj = getObjective('sphere', 70);
    const x = new Array(70).fill(0.5);
    const opts = { samples: 600, seed: 2, temperature: { relative: 0.5 }, second: 'full' as const, ball: 'gaussian' as const };
    const [g, c] = await Promise.all([webgpu.moments(obj, x, 0.3, opts), cpu.moments(obj, x, 0.3, opts)]);
    const gs = (g.second as number[][]).flat();
    const cs = (c.second as number[][]).flat();
    for (let i = 0; i < gs.length; i += 97) close(gs[i], cs[i], 2e-3);
    for (let i = 0; i < 70; i += 7) close(g.mean[i], c.mean[i], 1e-4);
  });

  it('refinement rounds: same result on both backends, every returned point in the ball and the bounds', async () => {
    for (const ball of ['l2', 'linf', 'l1', { kind: 'mnorm', M: [2, 1, 0.5] }, { kind: 'mlinf', M: [2, 1, 0.5] }] as const) {
      const obj = getObjective('rastrigin', 3);
      const x = [0.6, 0.6, -0.4];
      const opts = { samples: 2000, seed: 1, rounds: 4, shrink: 0.3, ball, bounds: [[-1, 0, -1], [1, 1, 0]] as [number[], number[]] };
      const [g, c] = await Promise.all([webgpu.brox(obj, x, 0.8, opts), cpu.brox(obj, x, 0.8, opts)]);
      close(g.fun, c.fun, 1e-5);
      expect(c.nfev).toBe(4 * 2000 + 1);
      for (const r of [g, c]) {
        for (let i = 0; i < 3; i++) {
          expect(r.x[i]).toBeGreaterThanOrEqual(opts.bounds[0][i]);
          expect(r.x[i]).toBeLessThanOrEqual(opts.bounds[1][i]);
        }
        const v = r.x.map((xi, i) => (xi - x[i]) / 0.8);
        const n = ball === 'l2' ? Math.hypot(...v) : ball === 'linf' ? Math.max(...v.map(Math.abs)) : ball === 'l1' ? v.reduce((s, a) => s + Math.abs(a), 0) : ball.kind === 'mlinf' ? Math.max(...v.map((a, i) => Math.sqrt([2, 1, 0.5][i]) * Math.abs(a))) : Math.sqrt(v.reduce((s, a, i) => s + [2, 1, 0.5][i] * a * a, 0));
        expect(n).toBeLessThanOrEqual(1 + 1e-6);
      }
    }
  });

  it('an objective using the old unprefixed engine names (State, values, points, partials, sparams) compiles', async () => {
    const obj = defineObjective({
      name: 'clash',
      dim: 2,
      wgsl: 'struct State { k: u32 }\nconst values: f32 = 2.0;\nconst points: f32 = 1.0;\nconst partials: u32 = 3u;\nconst sparams: f32 = 0.5;\nfn objective(x: ptr<function, array<f32, DIM>>) -> f32 { let s = State(1u); return values * (*x)[0] * (*x)[0] + points * (*x)[1] * (*x)[1] + f32(s.k + partials) * sparams - 2.0; }',
      js: (x) => 2 * x[0] * x[0] + x[1] * x[1],
    });
    const r = await webgpu.brox(obj, [1, 1], 0.5, { samples: 500 });
    expect(r.fun).toBeLessThan(3);
    const t = await webgpu.topk(obj, [1, 1], 0.5, { samples: 100, k: 3 });
    expect(t.indices).toHaveLength(3);
  });
});
