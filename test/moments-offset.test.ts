import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonLine } from '../src/cli/output';
import { serveStdio } from '../src/cli/serve';
import { BroxError } from '../src/errors';
import { defineObjective } from '../src/objectives/define';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { mergeMoments } from '../src/oracle/moments-merge';
import type { MomentsOptions, MomentsResult, Oracle } from '../src/oracle/types';
import { createWebGpuOracle } from '../src/oracle/webgpu';
import { useGpuDevice } from './helpers';

// moments over index ranges: samples [offset, offset + samples) are the ones of one big call, and
// mergeMoments joins adjacent ranges into the result of the whole range.

const cpu: Oracle = createCpuOracle();
const obj = getObjective('rastrigin', 3);
const x = [1.2, -0.7, 2.2];
const T = 1.5;

/** |a - b| <= rel * max(1, |a|, |b|), element-wise over numbers, vectors or matrices. */
function close(a: unknown, b: unknown, rel: number, what: string): void {
  const fa = [a].flat(2) as number[];
  const fb = [b].flat(2) as number[];
  expect(fa.length, what).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]), `${what}[${i}]: ${v} vs ${fb[i]}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(v), Math.abs(fb[i]))));
}

/** The merged result against one call: exact where the sums are counts or picks, `rel` where they are sums of floats. */
function expectSame(merged: MomentsResult, whole: MomentsResult, rel: number): void {
  expect(merged.bestIndex).toBe(whole.bestIndex);
  expect(merged.best).toEqual(whole.best);
  expect(merged.bestFun).toBe(whole.bestFun);
  expect(merged.fmin).toBe(whole.fmin);
  expect(merged.fractionBelowCenter).toBe(whole.fractionBelowCenter);
  expect(merged.nfev).toBe(whole.nfev);
  expect(merged.tau).toBe(whole.tau);
  expect(merged.sums!.n).toBe(whole.sums!.n);
  expect(merged.sums!.offset).toBe(whole.sums!.offset);
  expect(merged.sums!.samples).toBe(whole.sums!.samples);
  close(merged.fmean, whole.fmean, rel, 'fmean');
  close(merged.fstd, whole.fstd, rel * 10, 'fstd');
  close(merged.mean, whole.mean, rel, 'mean');
  close(merged.ess, whole.ess, rel * 10, 'ess');
  if (whole.second === null) expect(merged.second).toBeNull();
  else close(merged.second, whole.second, rel * 10, 'second');
}

const base = { seed: 3, call: 2, bounds: [-2, 2.5] as [number, number] };

describe('moments offset on the CPU: halves merged equal one call', () => {
  for (const second of ['none', 'diag', 'full'] as const) {
    for (const temperature of [0.7, 0]) {
      it(`second ${second}, temperature ${temperature}`, async () => {
        const opts: MomentsOptions = { ...base, temperature, second };
        const whole = await cpu.moments(obj, x, T, { ...opts, samples: 6000 });
        const a = await cpu.moments(obj, x, T, { ...opts, samples: 2500 });
        const b = await cpu.moments(obj, x, T, { ...opts, samples: 3500, offset: 2500 });
        // the halves have different minima, so the merge has to re-anchor one of them
        expect(a.fmin).not.toBe(b.fmin);
        expect(b.bestIndex).toBeGreaterThanOrEqual(2500);
        expect(b.bestIndex).toBeLessThan(6000);
        expect(b.sums).toMatchObject({ offset: 2500, samples: 3500 });
        expectSame(mergeMoments(a, b), whole, 1e-12);
        expectSame(mergeMoments(b, a), whole, 1e-12); // either order
        // three ranges, joined as a tree
        const c1 = await cpu.moments(obj, x, T, { ...opts, samples: 1000 });
        const c2 = await cpu.moments(obj, x, T, { ...opts, samples: 2000, offset: 1000 });
        const c3 = await cpu.moments(obj, x, T, { ...opts, samples: 3000, offset: 3000 });
        expectSame(mergeMoments(c1, mergeMoments(c2, c3)), whole, 1e-12);
      });
    }
  }

  it('a range draws the samples of one big call (the same points as topk at that offset)', async () => {
    const m = await cpu.moments(obj, x, T, { ...base, temperature: 1, samples: 1, offset: 4321 });
    const k = await cpu.topk(obj, x, T, { ...base, samples: 1, offset: 4321 });
    expect(m.bestIndex).toBe(4321);
    expect(m.best).toEqual(k.points[0]);
    expect(m.bestFun).toBe(k.values[0]);
    expect(m.mean).toEqual(k.points[0]); // one sample: all weight on it
  });

  it('a relative temperature takes no offset; offset 0 still runs, and its result does not merge', async () => {
    const err = await cpu.moments(obj, x, T, { ...base, temperature: { relative: 0.5 }, samples: 100, offset: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(BroxError);
    expect(err.argument).toBe('offset');
    expect(err.message).toMatch(/relative temperature/);
    const r0 = await cpu.moments(obj, x, T, { ...base, temperature: { relative: 0.5 }, samples: 100, offset: 0 });
    const r1 = await cpu.moments(obj, x, T, { ...base, temperature: r0.tau, samples: 100, offset: 100 });
    expect(() => mergeMoments(r0, r1)).toThrow(expect.objectContaining({ argument: 'temperature' }));
  });

  it('the two-round way to a relative temperature over ranges: tau from the merged fstd of a first round', async () => {
    const r = 0.5;
    const whole = await cpu.moments(obj, x, T, { ...base, temperature: { relative: r }, samples: 4000, second: 'diag' });
    const first = mergeMoments(await cpu.moments(obj, x, T, { ...base, temperature: 0, samples: 1500 }), await cpu.moments(obj, x, T, { ...base, temperature: 0, samples: 2500, offset: 1500 }));
    close(first.fstd, whole.fstd, 1e-12, 'fstd');
    const tau = r * first.fstd;
    const opts = { ...base, temperature: tau, second: 'diag' as const };
    const merged = mergeMoments(await cpu.moments(obj, x, T, { ...opts, samples: 1500 }), await cpu.moments(obj, x, T, { ...opts, samples: 2500, offset: 1500 }));
    close(merged.tau, whole.tau, 1e-12, 'tau');
    close(merged.mean, whole.mean, 1e-10, 'mean');
    close(merged.second, whole.second, 1e-9, 'second');
  });
});

describe('moments offset: ranges without a finite value', () => {
  it('single-sample ranges (half of them NaN, which counts as +inf) merge into the whole call, also after a JSON round trip as serve writes it', async () => {
    // NaN on half of the box: many one-sample ranges have no finite value (n = 0, fmin = +inf)
    const half = defineObjective({ name: 'half-nan', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 1.0; }', js: (y) => (y[0] > 0 ? NaN : y[0] * y[0] + y[1] * y[1]) });
    const opts = { seed: 5, temperature: 0.3, second: 'diag' as const, ball: 'linf' as const };
    const whole = await cpu.moments(half, [0, 0], 1, { ...opts, samples: 40 });
    let merged: MomentsResult | null = null;
    let empty = 0;
    for (let i = 0; i < 40; i++) {
      const part = await cpu.moments(half, [0, 0], 1, { ...opts, samples: 1, offset: i });
      if (part.sums!.n === 0) empty++;
      const wire = JSON.parse(jsonLine(part)) as MomentsResult; // "Infinity" strings, as brox serve sends them
      merged = merged ? mergeMoments(merged, wire) : wire;
    }
    expect(empty).toBeGreaterThan(5);
    expectSame(merged!, whole, 1e-12);
  });
});

describe('moments offset: bad input', () => {
  const bad: Array<[unknown, RegExp]> = [
    [-1, /offset: must be an integer in \[0, \d+\], got -1/],
    [2.5, /offset: must be an integer in \[0, \d+\], got 2\.5/],
    [Number.NaN, /offset: must be an integer in \[0, \d+\]/],
    ['3', /offset: must be an integer in \[0, \d+\]/],
    // offset + samples past 2^53 - 1: the allowed range names the largest offset for these samples
    [2 ** 53 - 50, new RegExp(`offset: must be an integer in \\[0, ${Number.MAX_SAFE_INTEGER - 100}\\], got ${2 ** 53 - 50}`)],
  ];
  for (const [offset, message] of bad) {
    it(`offset ${String(offset)} is refused before any work, naming offset and its range`, async () => {
      const err = await cpu.moments(obj, x, T, { ...base, temperature: 1, samples: 100, offset: offset as number }).catch((e) => e);
      expect(err).toBeInstanceOf(BroxError);
      expect(err.argument).toBe('offset');
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toMatch(message);
    });
  }

  it('the largest offset for the samples runs: the last index is 2^53 - 2', async () => {
    const m = await cpu.moments(obj, x, T, { ...base, temperature: 1, samples: 2, offset: Number.MAX_SAFE_INTEGER - 2 });
    expect(m.bestIndex).toBeGreaterThanOrEqual(Number.MAX_SAFE_INTEGER - 2);
    expect(m.sums).toMatchObject({ offset: Number.MAX_SAFE_INTEGER - 2, samples: 2 });
  });

  it('mergeMoments refuses gaps, overlaps, other populations and results without sums, naming the argument', async () => {
    const opts = { ...base, temperature: 1, samples: 100 };
    const a = await cpu.moments(obj, x, T, opts);
    const gap = await cpu.moments(obj, x, T, { ...opts, offset: 101 });
    const overlap = await cpu.moments(obj, x, T, { ...opts, offset: 50 });
    const otherSeed = await cpu.moments(obj, x, T, { ...opts, offset: 100, seed: 4 });
    const otherTau = await cpu.moments(obj, x, T, { ...opts, offset: 100, temperature: 2 });
    const otherCenter = await cpu.moments(obj, [1.2, -0.7, 2.1], T, { ...opts, offset: 100 });
    const cases: Array<[MomentsResult, MomentsResult, string, RegExp]> = [
      [a, gap, 'b.sums.offset', /adjacent.*\[0, 100\) and \[101, 201\).*gap/],
      [a, overlap, 'b.sums.offset', /overlap/],
      [a, a, 'b.sums.offset', /overlap/],
      [a, otherSeed, 'b.sums.seed', /must equal a's \(3\)/],
      [a, otherTau, 'b.sums.tau', /must equal a's \(1\)/],
      [a, otherCenter, 'b.sums.center', /centre/],
      [{ ...a, sums: undefined }, otherSeed, 'a', /result of oracle\.moments/],
      [a, { ...gap, sums: { ...gap.sums!, m1: [1] } }, 'b.sums', /unchanged/],
    ];
    for (const [p, q, argument, message] of cases) {
      let err: unknown;
      try {
        mergeMoments(p, q);
      } catch (e) {
        err = e;
      }
      expect(err, argument).toBeInstanceOf(BroxError);
      expect((err as BroxError).argument).toBe(argument);
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('moments offset through brox serve', () => {
  it('the moments request passes offset; the parts\' sums merge into the whole call', async () => {
    const chunks: string[] = [];
    const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
    const req = (id: number, extra: object) => JSON.stringify({ id, method: 'moments', params: { objective: 'rastrigin', x, t: T, seed: 3, call: 2, bounds: [-2, 2.5], temperature: 0.7, second: 'diag', ...extra } }) + '\n';
    // sums come with a range request (offset given, 0 included); a plain request stays short
    const src = Readable.from([req(1, { samples: 3000, offset: 0 }), req(2, { samples: 1200, offset: 0 }), req(3, { samples: 1800, offset: 1200 }), req(4, { samples: 10, offset: -1 }), req(5, { samples: 1200 })]);
    await serveStdio({ oracle: cpu, allowCode: false }, src, output);
    const res = chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const by = (id: number) => res.find((r) => r.id === id);
    expect(by(3).result.sums).toMatchObject({ offset: 1200, samples: 1800 });
    expectSame(mergeMoments(by(2).result, by(3).result), by(1).result, 1e-12);
    expect(by(4).error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'offset' });
    expect(by(5).result.sums).toBeUndefined();
    // the same samples and weights; the CPU pool's slices may sum in another order under load (1e-16 seen in CI)
    by(5).result.mean.forEach((v: number, i: number) => expect(Math.abs(v - by(2).result.mean[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
  });
});

describe('moments offset on WebGPU (SwiftShader): halves merged equal one call', () => {
  const gpu = useGpuDevice();
  let webgpu: Oracle;
  let chunked: Oracle;
  it('opens the oracles (one with tiny chunks: ranges that start inside a dispatch, at most 3072 samples a call)', async () => {
    webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
    chunked = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test', chunking: { chunk: 1024, dispatches: 3 } });
  });

  for (const second of ['none', 'diag', 'full'] as const) {
    for (const temperature of [0.7, 0]) {
      it(`second ${second}, temperature ${temperature}`, async () => {
        const opts: MomentsOptions = { ...base, temperature, second };
        const whole = await webgpu.moments(obj, x, T, { ...opts, samples: 6000 });
        const a = await webgpu.moments(obj, x, T, { ...opts, samples: 2500 });
        const b = await webgpu.moments(obj, x, T, { ...opts, samples: 3500, offset: 2500 });
        expect(a.fmin).not.toBe(b.fmin);
        expect(b.bestIndex).toBeGreaterThanOrEqual(2500);
        // float32 partial sums: the best sample, its float32 value and the counts are exact, sums agree to float32 rounding
        expectSame(mergeMoments(a, b), whole, 2e-5);
        expectSame(mergeMoments(b, a), whole, 2e-5);
        // the tiny-chunk oracle cannot take 6000 samples in one call (LIMIT), but it takes them as ranges
        await expect(chunked.moments(obj, x, T, { ...opts, samples: 6000 })).rejects.toMatchObject({ code: 'LIMIT', message: expect.stringMatching(/offset.*mergeMoments/) });
        const parts = [await chunked.moments(obj, x, T, { ...opts, samples: 1700 }), await chunked.moments(obj, x, T, { ...opts, samples: 3000, offset: 1700 }), await chunked.moments(obj, x, T, { ...opts, samples: 1300, offset: 4700 })];
        expectSame(mergeMoments(mergeMoments(parts[0], parts[1]), parts[2]), whole, 2e-5);
        // and the WebGPU ranges agree with the CPU's (float32 against float64)
        const c = mergeMoments(await cpu.moments(obj, x, T, { ...opts, samples: 2500 }), await cpu.moments(obj, x, T, { ...opts, samples: 3500, offset: 2500 }));
        const g = mergeMoments(a, b);
        expect(g.bestIndex).toBe(c.bestIndex);
        close(g.mean, c.mean, 1e-4, 'mean vs cpu');
      });
    }
  }

  it('bad offsets are refused on WebGPU too, before any GPU work', async () => {
    for (const offset of [-1, 0.5, 2 ** 53]) {
      const err = await webgpu.moments(obj, x, T, { ...base, temperature: 1, samples: 100, offset }).catch((e) => e);
      expect(err).toBeInstanceOf(BroxError);
      expect(err.argument).toBe('offset');
      expect(err.message).toMatch(/must be an integer in \[0, \d+\]/);
    }
  });

  it('ranges past 2^32: the high index word reaches the kernel (same points as the CPU)', async () => {
    const offset = 2 ** 33 + 5;
    const [g, c] = await Promise.all([webgpu.moments(obj, x, T, { ...base, temperature: 1, samples: 300, offset }), cpu.moments(obj, x, T, { ...base, temperature: 1, samples: 300, offset })]);
    expect(g.bestIndex).toBe(c.bestIndex);
    expect(g.bestIndex).toBeGreaterThanOrEqual(offset);
    close(g.mean, c.mean, 1e-4, 'mean');
  });
});
