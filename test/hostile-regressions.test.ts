import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serveStdio } from '../src/cli/serve';
import { BroxError } from '../src/errors';
import { minimize } from '../src/methods/minimize';
import { defineObjective } from '../src/objectives/define';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import { useGpuDevice } from './helpers';

// Findings of a hostile review (2026-11-23), each a regression test.
const cpu = createCpuOracle();
const sign = defineObjective({ name: 'sign', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return select(-1.0, 1.0, (*x)[0] > 0.0); }', js: (x) => (x[0] > 0 ? 1 : -1) });

describe('hostile-review regressions', () => {
  const gpu = useGpuDevice();

  it('the BPM certificate never changes the result: maxEvals 2 returns x0', async () => {
    const r = await minimize(getObjective('sphere', 2), [3, 3], { backend: 'cpu', method: 'bpm', maxEvals: 2, seed: 1 });
    expect(r.nfev).toBeLessThanOrEqual(2);
    expect(r.x).toEqual([3, 3]);
    expect(r.fun).toBe(18);
  });

  it('cem / annealed out of budget report max-evals, not success', async () => {
    for (const method of ['cem', 'annealed'] as const) {
      const r = await minimize(getObjective('sphere', 2), null, { backend: 'cpu', method, maxEvals: 3, seed: 1 });
      expect(r.status, method).toBe('max-evals');
      expect(r.success).toBe(false);
    }
  });

  it('t beyond float32 range is refused; overflowed samples are never evaluated (no NaN or inf points)', async () => {
    await expect(cpu.brox(sign, [0.5, 0.5], 1e39, { samples: 16 })).rejects.toThrow(/t: t times the ball's largest scale must be at most 1e\+30/);
    await expect(cpu.brox(sign, [0.5, 0.5], 1e20, { samples: 16, ball: { kind: 'mnorm', M: [1e-30, 1e-30] } })).rejects.toThrow(/t: t times the ball's largest scale/);
    const webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
    for (const o of [cpu, webgpu]) {
      const r = await o.brox(sign, [0.5, 0.5], 1e29, { samples: 256, bounds: [-1, 1] });
      expect(r.x.every(Number.isFinite)).toBe(true);
      expect(r.x.every((v) => v >= -1 && v <= 1)).toBe(true);
    }
  });

  it('a tiny temperature is the tau = 0 rule on both backends (no NaN); full second moments have a non-negative diagonal', async () => {
    const webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
    const f = getObjective('sphere', 2);
    for (const o of [cpu, webgpu]) {
      for (const temperature of [1e-300, 0]) {
        const m = await o.moments(f, [4, 4], 1, { samples: 256, temperature, second: 'full' });
        expect(m.mean.every(Number.isFinite)).toBe(true);
        const S = m.second as number[][];
        expect(S.flat().every(Number.isFinite)).toBe(true);
        for (let i = 0; i < 2; i++) expect(S[i][i]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('odd option values are BroxErrors: bigint / cyclic ball, bigint second, a fake signal, a fake oracle', async () => {
    const cyclic: Record<string, unknown> = { kind: 'l3' };
    cyclic.self = cyclic;
    const f = getObjective('sphere', 2);
    for (const p of [
      cpu.brox(f, [0, 0], 1, { ball: 10n as never }),
      cpu.brox(f, [0, 0], 1, { ball: cyclic as never }),
      cpu.moments(f, [0, 0], 1, { temperature: 1, second: 10n as never }),
      cpu.brox(f, [0, 0], 1, { signal: { aborted: false } as never }),
      minimize(f, null, { oracle: {} as never }),
    ]) {
      const e = await p.then(() => null, (err) => err);
      expect(e).toBeInstanceOf(BroxError);
    }
    await expect(cpu.brox(f, [0, 0], 1, { shrink: 1 })).rejects.toThrow(/shrink: must be a number in \(0, 1\), got 1/);
    expect((await cpu.brox(f, [0, 0], 1, { samples: 10, ball: { kind: 'mnorm', M: [[1e-20, 0], [0, 1e-20]] } })).nfev).toBe(11); // SPD at any scale
  });

  it('an aborted CPU top-k / moments call ends ABORTED, and never returns after the signal fired', async () => {
    const f = getObjective('rastrigin', 2);
    const t0 = performance.now();
    const e = await cpu.topk(f, [4, 4], 1, { samples: 1 << 22, k: 2, signal: AbortSignal.timeout(100) }).catch((err) => err);
    expect(e).toBeInstanceOf(BroxError);
    expect((e as BroxError).code).toBe('ABORTED');
    expect(performance.now() - t0).toBeLessThan(1500);
    const m = await cpu.moments(f, [4, 4], 1, { samples: 1 << 21, temperature: 1, signal: AbortSignal.timeout(100) }).catch((err) => err);
    expect((m as BroxError).code).toBe('ABORTED');
  });

  it('serve: minimize with a huge or bad dim is INVALID_ARGUMENT at once, and the next request is answered', async () => {
    const chunks: string[] = [];
    const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
    const t0 = performance.now();
    const lines = [{ id: 1, method: 'minimize', params: { objective: 'sphere', dim: 300000000 } }, { id: 2, method: 'minimize', params: { objective: 'sphere', dim: 1.5 } }, { id: 3, method: 'info', params: {} }];
    await serveStdio({ oracle: cpu, allowCode: false, limits: {} }, Readable.from(lines.map((l) => JSON.stringify(l) + '\n')), output);
    const [a, b, c] = chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(a.error.code).toBe('INVALID_ARGUMENT');
    expect(a.error.message).toMatch(/dim: must be an integer in \[1, 1024\]/);
    expect(b.error.code).toBe('INVALID_ARGUMENT');
    expect(c.result.version).toBeTruthy();
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
