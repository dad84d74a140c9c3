import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroxError } from '../src/errors';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { orderValue } from '../src/oracle/cpu-scan';
import type { Oracle } from '../src/oracle/types';
import { createWebGpuOracle } from '../src/oracle/webgpu';
import { l2Point, useGpuDevice } from './helpers';

/**
 * Issue 10, "Limits": samples per call up to 2^40 run correctly in chunks (index arithmetic tested
 * past 2^32 and 2^36 with small dispatches) or are refused up front, never silently truncated.
 *
 * A WebGPU oracle with chunking { chunk: 512, dispatches: 3 } runs 512 samples per dispatch and
 * 1,536 per submission, so a call of a few thousand samples at an offset just below 2^32, 2^36,
 * 2^40 (and 2^52) crosses the boundary inside a dispatch or between two, over several dispatches
 * and submissions; its winner must be the CPU backend's (float64 indices), or a float32 near-tie
 * judged in float64 (as in oracle.agreement.test.ts).
 */
const CHUNK = 512;
const DISPATCHES = 3;
const cpu = createCpuOracle('test');

async function sameWinner(gpu: Oracle, name: string, d: number, x: number[], t: number, seed: number, samples: number, offset: number, call = 0) {
  const obj = getObjective(name, d);
  const o = { samples, seed, offset, call };
  const [g, c] = await Promise.all([gpu.brox(obj, x, t, o), cpu.brox(obj, x, t, o)]);
  const label = `${name} d=${d} seed=${seed} offset=${offset}: gpu index ${g.index} fun ${g.fun}, cpu index ${c.index} fun ${c.fun}`;
  for (const r of [g, c]) {
    expect(r.nfev, label).toBe(samples + 1);
    if (r.index >= 0) {
      expect(r.index, label).toBeGreaterThanOrEqual(offset);
      expect(r.index, label).toBeLessThan(offset + samples);
    }
  }
  if (g.index !== c.index) {
    const value = (i: number) => (i < 0 ? c.funCenter : orderValue(obj.js(l2Point(Float64Array.from(x), t, seed, call, i))));
    expect(Math.abs(value(g.index) - value(c.index)), label).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(value(c.index))));
  }
  expect(Math.abs(g.fun - c.fun), label).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(c.fun)));
  return { g, c };
}

/** Counts command encoders (one per submission of an argmin/topk chunk) made on the device. */
function countEncoders(device: GPUDevice, onEncoder: (n: number) => void): () => void {
  const d = device as unknown as Record<string, unknown>;
  const own = Object.prototype.hasOwnProperty.call(d, 'createCommandEncoder') ? d.createCommandEncoder : undefined;
  const orig = device.createCommandEncoder.bind(device);
  let n = 0;
  d.createCommandEncoder = (desc?: GPUCommandEncoderDescriptor) => {
    onEncoder(++n);
    return orig(desc);
  };
  return () => {
    if (own) d.createCommandEncoder = own;
    else delete d.createCommandEncoder;
  };
}

const rejection = async (p: Promise<unknown>): Promise<unknown> => p.then(() => null, (e) => e);

describe('limits: index arithmetic past 2^32, 2^36, 2^40 in small dispatches; 2^40 samples', () => {
  const gpu = useGpuDevice();
  let small: ReturnType<typeof createWebGpuOracle>;
  beforeAll(() => {
    small = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test', chunking: { chunk: CHUNK, dispatches: DISPATCHES } });
  });
  afterAll(() => small?.destroy());

  for (const [label, boundary] of [['2^32', 2 ** 32], ['2^36', 2 ** 36], ['2^40', 2 ** 40], ['2^52', 2 ** 52]] as const) {
    it(`brox across ${label}: boundary inside a dispatch, between dispatches and between submissions; same winner as the CPU`, async () => {
      let exact = 0;
      let cases = 0;
      let pastBoundary = 0;
      // (offset below the boundary, samples): 256 before it in one dispatch of 512; 1,636 before it
      // (the boundary in submission 2, dispatch 1, at sample 100); 5,000 over 10 dispatches / 4 submissions
      for (const [below, samples] of [[256, 512], [3 * CHUNK + 100, 4000], [2000, 5000]]) {
        for (const seed of [1, 2, 3]) {
          const { g, c } = await sameWinner(small, 'rastrigin', 3, [1.2, -0.7, 2.1], 0.8, seed, samples, boundary - below, seed + 7);
          cases++;
          if (g.index === c.index) exact++;
          if (c.index >= boundary) pastBoundary++;
        }
      }
      expect(exact).toBeGreaterThanOrEqual(cases - 1); // near-ties are rare
      expect(pastBoundary).toBeGreaterThan(0); // the winners do not all sit below the boundary
    });
  }

  it('the winner of one sample window is the same whether it is run alone or inside a call that crosses 2^36', async () => {
    // windows of 100 samples on both sides of 2^36: the whole call's winner is the best window winner
    const obj = getObjective('ackley', 4);
    const x = [0.9, 0.4, -1.1, 2];
    const base = 2 ** 36 - 700;
    const whole = await small.brox(obj, x, 1, { samples: 1400, seed: 11, offset: base });
    const parts = await Promise.all(Array.from({ length: 14 }, (_, w) => small.brox(obj, x, 1, { samples: 100, seed: 11, offset: base + 100 * w })));
    const best = parts.reduce((a, b) => (b.fun < a.fun ? b : a));
    expect(whole.index).toBe(best.index);
    expect(whole.index).toBe((await cpu.brox(obj, x, 1, { samples: 1400, seed: 11, offset: base })).index);
    // sensitivity: indices wrapped to 32 bits draw other samples, with another winner
    const wrapped = await cpu.brox(obj, x, 1, { samples: 1400, seed: 11, offset: base % 2 ** 32 });
    expect(wrapped.fun).not.toBe(whole.fun);
    for (let w = 0; w < 14; w++) {
      if (parts[w].index >= 0) expect(Math.floor((parts[w].index - base) / 100)).toBe(w);
    }
  });

  it('topk indices start at offset (default 0), also past 2^32; multi-chunk topk agrees with the CPU', async () => {
    const obj = getObjective('levy', 3);
    // with chunk 512, topk sorts 512 pairs per submission and merges 10 chunks on the host
    const [g, c] = await Promise.all([small.topk(obj, [1, 2, -1], 0.7, { samples: 5000, k: 16, seed: 4 }), cpu.topk(obj, [1, 2, -1], 0.7, { samples: 5000, k: 16, seed: 4 })]);
    expect(g.indices.length).toBe(16);
    // float32 selection: the sets may differ only at a near-tie on the last place
    const common = g.indices.filter((i) => c.indices.includes(i)).length;
    expect(common).toBeGreaterThanOrEqual(15);
    expect(g.indices.slice(0, 8)).toEqual(c.indices.slice(0, 8));
    expect(Math.max(...g.indices)).toBeLessThan(5000);
    // an offset past 2^32: the range [2^32, 2^32 + 5000), other samples, the same on both backends
    const [go, co] = await Promise.all([small.topk(obj, [1, 2, -1], 0.7, { samples: 5000, k: 16, seed: 4, offset: 2 ** 32 }), cpu.topk(obj, [1, 2, -1], 0.7, { samples: 5000, k: 16, seed: 4, offset: 2 ** 32 })]);
    expect(go.indices.every((i) => i >= 2 ** 32 && i < 2 ** 32 + 5000)).toBe(true);
    expect(go.indices.slice(0, 8)).toEqual(co.indices.slice(0, 8));
    expect(go.indices).not.toEqual(g.indices.map((i) => i + 2 ** 32));
  });

  it('samples = 2^40 on WebGPU: accepted and chunked; an AbortSignal after the 2nd submission ends it with BroxError ABORTED', async () => {
    const obj = getObjective('sphere', 2);
    for (const kind of ['brox', 'topk'] as const) {
      const ac = new AbortController();
      let submissions = 0;
      const restore = countEncoders(gpu().device, (n) => {
        submissions = n;
        if (n === 2) ac.abort();
      });
      const t0 = performance.now();
      const p = kind === 'brox' ? small.brox(obj, [1, 1], 1, { samples: 2 ** 40, signal: ac.signal }) : small.topk(obj, [1, 1], 1, { samples: 2 ** 40, k: 4, signal: ac.signal });
      const e = await rejection(p);
      restore();
      expect(e, kind).toBeInstanceOf(BroxError);
      expect((e as BroxError).code, kind).toBe('ABORTED');
      // it ran: two submissions of a call that needs 2^40 / 1536 (brox) or 2^40 / 512 (topk)
      expect(submissions, kind).toBe(2);
      expect(performance.now() - t0).toBeLessThan(30_000);
    }
  });

  it('samples = 2^40 with the default chunking: validated and accepted (brox, topk); moments over one submission (2^34) is refused with BroxError LIMIT before any GPU work', async () => {
    const dflt = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test' });
    try {
      // default: 2^30 samples per dispatch, 16 dispatches per submission -> brox(2^40) would be 64
      // submissions of 2^34 samples, the abort honoured only between them. Not run: an aborted
      // signal shows validation accepts the call (a refusal would be INVALID_ARGUMENT or LIMIT).
      const aborted = AbortSignal.abort();
      for (const p of [dflt.brox('sphere', [1, 1], 1, { samples: 2 ** 40, signal: aborted }), dflt.topk('sphere', [1, 1], 1, { samples: 2 ** 40, k: 4, signal: aborted }), dflt.moments('sphere', [1, 1], 1, { samples: 2 ** 40, temperature: 1, signal: aborted })]) {
        const e = await rejection(p);
        expect(e).toBeInstanceOf(BroxError);
        expect((e as BroxError).code).toBe('ABORTED');
      }
      // up front: offset + samples past 2^53 is refused
      const big = await rejection(dflt.brox('sphere', [1, 1], 1, { samples: 2 ** 40, offset: 2 ** 53 - 2 ** 39 }));
      expect(big).toBeInstanceOf(BroxError);
      expect((big as BroxError).code).toBe('INVALID_ARGUMENT');
      // moments: one submission at most (dispatches * chunk = 2^34 samples); 2^40 is refused before
      // any GPU work with BroxError LIMIT naming the limit
      const m = await rejection(dflt.moments('sphere', [1, 1], 1, { samples: 2 ** 40, temperature: 1 }));
      expect(m).toBeInstanceOf(BroxError);
      expect((m as BroxError).code).toBe('LIMIT');
      expect(String((m as Error).message)).toMatch(/samples: at most 17179869184 samples per moments call on WebGPU/);
      console.log(`limits: moments(samples = 2^40) on WebGPU -> ${(m as Error).name}${(m as BroxError).code ? ` ${(m as BroxError).code}` : ''}: ${(m as Error).message}`);
      // the same limit at small chunking: 1,537 samples is one more than a submission holds
      const ms = await rejection(small.moments('sphere', [1, 1], 1, { samples: CHUNK * DISPATCHES + 1, temperature: 1 }));
      expect(String((ms as Error).message)).toMatch(/at most 1536 samples per moments call/);
      expect((await small.moments('sphere', [1, 1], 1, { samples: CHUNK * DISPATCHES, temperature: 1 })).nfev).toBe(2 * CHUNK * DISPATCHES);
    } finally {
      dflt.destroy();
    }
  });

  it('samples = 2^40 on the CPU backend: accepted, scanned in slices; an AbortSignal ends it with BroxError ABORTED', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 200);
    const e = await rejection(cpu.brox('sphere', [1, 1], 1, { samples: 2 ** 40, offset: 2 ** 36, signal: ac.signal }));
    expect(e).toBeInstanceOf(BroxError);
    expect((e as BroxError).code).toBe('ABORTED');
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});
