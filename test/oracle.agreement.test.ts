import { describe, expect, it } from 'vitest';
import { getObjective, builtinNames } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { orderValue } from '../src/oracle/cpu-scan';
import type { Oracle } from '../src/oracle/types';
import { createWebGpuOracle } from '../src/oracle/webgpu';
import { defineObjective } from '../src/objectives/define';
import { streamingFor } from '../src/engine/kernels/argmin';
import type { GeneratorName } from '../src/rng/generator';
import { pointOf } from '../src/samplers/point';
import { prepareSampler } from '../src/samplers/spec';
import { mulberry32, useGpuDevice } from './helpers';

const cpu = createCpuOracle();

/** Sample `index` of an l2-ball call (seed, call) around x with radius t under `generator`, in float64, as both backends draw it. */
function l2Point(x: ArrayLike<number>, t: number, seed: number, call: number, index: number, generator?: GeneratorName): Float64Array {
  const spec = { objective: { name: 'test', dim: x.length, wgsl: '', js: () => 0 }, sampler: prepareSampler('l2', x.length, generator), bounds: null, seed, call, round: 0, center: x, t, outer: x, tOuter: t };
  return pointOf(spec, index)!;
}

/**
 * GPU (float32) and CPU (float64) draw the same samples. They must pick the same winner, unless
 * the two candidates are within float32 noise of each other, judged in float64 on the CPU.
 */
async function expectSameWinner(gpu: Oracle, name: string, d: number, seed: number, samples: number, opts: { offset?: number; call?: number; generator?: GeneratorName } = {}) {
  const obj = getObjective(name, d);
  const [lo, hi] = obj.domain!;
  const rnd = mulberry32(seed * 1000 + d);
  const x = Array.from({ length: d }, () => lo + (0.15 + 0.7 * rnd()) * (hi - lo));
  const t = 0.1 * (hi - lo);
  const o = { samples, seed, ...opts };
  const [g, c] = await Promise.all([gpu.brox(obj, x, t, o), cpu.brox(obj, x, t, o)]);
  const label = `${name} d=${d} seed=${seed}: gpu index ${g.index} fun ${g.fun}, cpu index ${c.index} fun ${c.fun}`;
  for (const r of [g, c]) {
    expect(r.fun).toBeLessThanOrEqual(r.funCenter);
    let r2 = 0;
    for (let k = 0; k < d; k++) r2 += (r.x[k] - x[k]) ** 2;
    expect(Math.sqrt(r2)).toBeLessThanOrEqual(t * (1 + 1e-6));
  }
  if (g.index !== c.index) {
    // values of both winners in float64: a near-tie that float32 may resolve either way
    const inp = { x: Float64Array.from(x), t, seed, call: opts.call ?? 0 };
    const fg = g.index < 0 ? c.funCenter : orderValue(obj.js(l2Point(inp.x, t, seed, inp.call, g.index, opts.generator)));
    const fc = c.index < 0 ? c.funCenter : orderValue(obj.js(l2Point(inp.x, t, seed, inp.call, c.index, opts.generator)));
    expect(Math.abs(fg - fc), label).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(fc)));
  }
  expect(Math.abs(g.fun - c.fun), label).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(c.fun)));
  return { g, c, x, t };
}

describe('oracle: WebGPU kernel and CPU reference agree on the same seed and N', () => {
  const gpu = useGpuDevice();
  let oracle: Oracle;
  it('runs on a real WebGPU adapter', async () => {
    oracle = await createOracle({ backend: 'webgpu', device: gpu().device });
    expect(oracle.backend).toBe('webgpu');
    expect(oracle.adapterInfo?.vendor ?? oracle.adapterInfo).toBeTruthy();
  });
  for (const name of builtinNames()) {
    for (const d of [1, 2, 7, 32]) {
      it(`${name} d=${d}`, async () => {
        const samples = d === 32 ? 3000 : 6000;
        let same = 0;
        for (const seed of [1, 2]) {
          const { g, c } = await expectSameWinner(oracle, name, d, seed, samples);
          if (g.index === c.index) same++;
        }
        // near-ties are rare: at least one of the two seeds must match exactly
        expect(same).toBeGreaterThanOrEqual(1);
      });
    }
  }

  // the lean generator (src/rng/lean.ts, shaders/rng/lean.wgsl): d = 2 and 10 run the array kernel,
  // 40 and 41 the streaming kernel (streamingMinDim 32), whose norm pass is -2 ln(prod u) with frexp
  // (41: plus the odd last coordinate)
  for (const d of [2, 10, 40, 41]) {
    it(`generator 'lean', d=${d}: the same winner on both backends, drawn from the lean stream`, async () => {
      const names = ['rastrigin', 'levy', 'rosenbrock', 'michalewicz'];
      const samples = d >= 40 ? 2000 : 5000;
      for (const name of names) {
        const spec = { objective: getObjective(name, d), sampler: prepareSampler('l2', d, 'lean'), round: 0 };
        expect(streamingFor(oracle.engine!, spec), `${name} d=${d} streams`).toBe(d >= 32);
        let same = 0;
        for (const seed of [1, 2]) {
          const { g, c, x, t } = await expectSameWinner(oracle, name, d, seed, samples, { generator: 'lean' });
          if (g.index === c.index) same++;
          // the winner is the lean sample of its index, not the reference one: the option reached the sampler
          if (c.index >= 0) {
            const lean = l2Point(x, t, seed, 0, c.index, 'lean');
            const ref = l2Point(x, t, seed, 0, c.index, 'reference');
            c.x.forEach((v, k) => expect(v).toBeCloseTo(lean[k], 10));
            expect(c.x.some((v, k) => Math.abs(v - ref[k]) > 1e-6)).toBe(true);
          }
        }
        expect(same, `${name} d=${d}`).toBeGreaterThanOrEqual(1);
      }
    });
  }

  it('a norm-sensitive objective (the sample nearest the sphere of radius 0.9): every generator, both kernels, d = 3, 40, 41, same winner as the CPU', async () => {
    // The winner is decided by the samples' norms alone, packed ~1e-3 apart: a wrong norm pass
    // (a missing coordinate, a wrong log sum) moves every sample's norm by ~1% and changes it.
    const dev = gpu().device;
    const streaming = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test', tuning: { streamingMinDim: 1 } });
    const arrays = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test', tuning: { streamingMinDim: 100000 } });
    try {
      for (const d of [3, 40, 41]) {
        const shell = defineObjective({
          name: `shell-${d}`,
          dim: d,
          wgsl: 'struct ObjectiveAcc { s: f32 }\nfn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }\nfn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) { (*acc).s += v * v; }\nfn objective_finish(acc: ObjectiveAcc) -> f32 { return abs(acc.s - 0.81); }',
          js: (x) => Math.abs(Array.from(x).reduce((s, v) => s + v * v, 0) - 0.81),
        });
        for (const generator of ['reference', 'lean'] as const) {
          const o = { samples: 2000, seed: 5, generator };
          const c = await cpu.brox(shell, new Array(d).fill(0), 1, o);
          for (const [kind, g] of [['streaming', streaming], ['arrays', arrays]] as const) {
            const r = await g.brox(shell, new Array(d).fill(0), 1, o);
            if (r.index !== c.index) expect(Math.abs(r.fun - c.fun), `${kind} ${generator} d=${d}: near-tie only`).toBeLessThan(1e-6);
            expect(Math.abs(r.fun - c.fun), `${kind} ${generator} d=${d}`).toBeLessThan(1e-6);
          }
        }
      }
    } finally {
      streaming.destroy();
      arrays.destroy();
    }
  });

  it("generator 'lean': the streaming kernel at small d and the array kernel at large d agree with the CPU too", async () => {
    const dev = gpu().device;
    const streaming = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test', tuning: { streamingMinDim: 1 } });
    const arrays = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test', tuning: { streamingMinDim: 100000 } });
    try {
      for (const name of ['rastrigin', 'ackley', 'levy']) {
        await expectSameWinner(streaming, name, 3, 31, 3000, { generator: 'lean' });
        await expectSameWinner(streaming, name, 5, 33, 3000, { generator: 'lean', offset: 2 ** 32 - 1000, call: 7 });
        await expectSameWinner(arrays, name, 40, 32, 1500, { generator: 'lean' });
      }
    } finally {
      streaming.destroy();
      arrays.destroy();
    }
  });

  it('indices past 2^32 (offset) and the call counter give the same winner on both backends', async () => {
    const { g } = await expectSameWinner(oracle, 'rastrigin', 3, 5, 5000, { offset: 2 ** 32 - 2000, call: 9 });
    expect(g.index === -1 || g.index >= 2 ** 32 - 2000).toBe(true);
    await expectSameWinner(oracle, 'levy', 5, 6, 5000, { offset: 2 ** 40 + 123 });
  });

  it('multi-dispatch and multi-submission calls (small chunks) find the same winner', async () => {
    const small = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test', chunking: { chunk: 700, dispatches: 3 } });
    try {
      for (const seed of [3, 4, 5]) await expectSameWinner(small, 'ackley', 4, seed, 10_000, { offset: 2 ** 32 - 4321 });
    } finally {
      small.destroy();
    }
  });

  it('the tree reduction (no subgroups) and the subgroupMin reduction agree, at several workgroup sizes', async () => {
    const dev = gpu().device;
    expect(dev.features.has('subgroups')).toBe(true); // SwiftShader has it: both variants get exercised
    for (const [subgroups, wg] of [[false, 64], [false, 256], [true, 32], [true, 128]] as const) {
      const o = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test', subgroups, tuning: { wg, samplesPerThread: 3 } });
      expect(o.kernel.subgroups).toBe(subgroups);
      try {
        for (const name of ['rastrigin', 'michalewicz', 'levy']) await expectSameWinner(o, name, 5, 21, 5000);
      } finally {
        o.destroy();
      }
    }
  });

  it('the streaming kernel (normals regenerated, no private array) and the array kernel agree with the CPU', async () => {
    const dev = gpu().device;
    const streaming = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test', tuning: { streamingMinDim: 1 } });
    const arrays = createWebGpuOracle({ device: dev, ownsDevice: false, adapterInfo: null, reason: 'test', tuning: { streamingMinDim: 100000 } });
    try {
      for (const name of builtinNames()) {
        await expectSameWinner(streaming, name, 3, 31, 3000);
        await expectSameWinner(arrays, name, 40, 32, 1500);
      }
      // a user objective in streaming form (the array form is derived by brox)
      const streamed = defineObjective({
        name: 'abs-sum',
        dim: 5,
        wgsl: 'struct ObjectiveAcc { s: f32 }\nfn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }\nfn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) { (*acc).s += f32(i + 1u) * abs(v - 0.5); }\nfn objective_finish(acc: ObjectiveAcc) -> f32 { return acc.s; }',
        js: (x) => Array.from(x).reduce((s, v, i) => s + (i + 1) * Math.abs(v - 0.5), 0),
      });
      const a = await streaming.brox(streamed, [1, 2, 3, 4, 5], 1, { samples: 4000, seed: 3 });
      const b = await cpu.brox(streamed, [1, 2, 3, 4, 5], 1, { samples: 4000, seed: 3 });
      expect(a.index).toBe(b.index);
      expect(await arrays.evaluate(streamed, [[0.5, 0.5, 0.5, 0.5, 1.5]])).toEqual([5]);
    } finally {
      streaming.destroy();
      arrays.destroy();
    }
  });

  it('reports GPU time from timestamp queries when the device has them', async () => {
    const r = await oracle.brox('sphere', [1, 2], 1, { samples: 20000 });
    expect(gpu().device.features.has('timestamp-query')).toBe(true);
    expect(r.gpuMs).toBeGreaterThan(0);
    expect(r.gpuMs!).toBeLessThanOrEqual(r.ms);
  });

  it('NaN counts as +inf and ties go to the lowest index', async () => {
    const nanEverywhere = { name: 'nan-but-centre', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { let v = (*x)[0]; return select(sqrt(-1.0 - v * v), 5.0, v == 0.25); }', js: (x: ArrayLike<number>) => (x[0] === 0.25 ? 5 : NaN) };
    const r = await oracle.brox(nanEverywhere, [0.25, 0], 0.5, { samples: 2000, seed: 1 });
    expect(r.index).toBe(-1);
    expect(r.fun).toBe(5);
    // a constant objective: every sample ties with every other, none beats the centre
    const flat = { name: 'flat', dim: 3, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 1.0; }', js: () => 1 };
    const f = await oracle.brox(flat, [0, 0, 0], 1, { samples: 1000, seed: 1 });
    expect(f.index).toBe(-1);
    // f = floor(4 x0): many exact ties in value; both backends must pick the lowest index among them
    const steps = { name: 'steps', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return floor(4.0 * (*x)[0]); }', js: (x: ArrayLike<number>) => Math.floor(4 * x[0]) };
    const a = await oracle.brox(steps, [0.1, 0.1], 1, { samples: 3000, seed: 8 });
    const b = await cpu.brox(steps, [0.1, 0.1], 1, { samples: 3000, seed: 8 });
    expect(a.index).toBe(b.index);
    expect(a.fun).toBe(-4);
  });

  it('evaluate() agrees with the JS twin and handles batches larger than a workgroup grid', async () => {
    const obj = getObjective('rosenbrock', 6);
    const rnd = mulberry32(77);
    const pts = Array.from({ length: 5000 }, () => Array.from({ length: 6 }, () => -2 + 4 * rnd()));
    const vals = await oracle.evaluate(obj, pts);
    expect(vals).toHaveLength(5000);
    pts.forEach((p, i) => expect(Math.abs(vals[i] - obj.js(p.map(Math.fround)))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(vals[i]))));
    expect(await oracle.evaluate(obj, [])).toEqual([]);
  });

  it('an oracle given a device never destroys it', async () => {
    const lent = await createOracle({ backend: 'webgpu', device: gpu().device });
    await lent.brox('sphere', [1, 1], 0.5, { samples: 100 });
    lent.destroy();
    // the device still works for the test's own oracle
    const r = await oracle.brox('sphere', [1, 1], 0.5, { samples: 100 });
    expect(r.improved).toBe(true);
    await expect(lent.brox('sphere', [1, 1], 0.5)).rejects.toThrow(/destroyed/);
  });
});
