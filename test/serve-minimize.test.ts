import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveStdio, type ServeLimits } from '../src/cli/serve';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';

let cpu: Oracle;
beforeAll(async () => {
  cpu = await createOracle({ backend: 'cpu', threads: 1 });
});
afterAll(() => cpu.destroy());

async function serve(lines: object[], limits: Partial<ServeLimits> = {}) {
  const chunks: string[] = [];
  const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  await serveStdio({ oracle: cpu, allowCode: false, limits }, Readable.from(lines.map((l) => JSON.stringify(l) + '\n')), output);
  return chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('serve: minimize, balls and bounds', () => {
  it('minimize with a method, bounds and a budget; brox with ball, bounds and rounds; bad values name the parameter', async () => {
    const [m, b, bad, bad2] = await serve([
      { id: 1, method: 'minimize', params: { objective: 'rastrigin', dim: 3, method: 'cma-es', maxEvals: 60000, seed: 2, fTarget: 1e-3 } },
      { id: 2, method: 'brox', params: { objective: 'sphere', x: [0.9, 0.9], t: 0.5, samples: 2000, ball: 'linf', bounds: [[-1, 0.8], [1, 1]], rounds: 2 } },
      { id: 3, method: 'minimize', params: { objective: 'sphere', x0: [1, 1], bounds: [2, 1] } },
      { id: 4, method: 'brox', params: { objective: 'sphere', x: [0, 0], t: 1, ball: { kind: 'mnorm', M: [[1, 2], [2, 1]] } } },
    ]);
    expect(m.result.method).toBe('cma-es');
    expect(m.result.fun).toBeLessThanOrEqual(1e-3);
    expect(m.result.nfev).toBeLessThanOrEqual(60000);
    for (const v of m.result.x) expect(Math.abs(v)).toBeLessThanOrEqual(5.12);
    expect(b.result.x[1]).toBeGreaterThanOrEqual(0.8);
    expect(b.result.nfev).toBe(4001);
    expect(bad.error.code).toBe('INVALID_ARGUMENT');
    expect(bad.error.message).toMatch(/bounds: lo must be < hi/);
    expect(bad2.error.message).toMatch(/ball.M: must be positive definite/);
  });
});

/** A server on a pushable stdin (cancel needs to arrive while the work runs). */
function session(oracle: Oracle, limits: Partial<ServeLimits> = {}) {
  const input = new Readable({ read() {} });
  const chunks: string[] = [];
  const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  const done = serveStdio({ oracle, allowCode: false, limits }, input, output);
  return {
    send: (...reqs: object[]) => reqs.forEach((r) => input.push(JSON.stringify(r) + '\n')),
    end: () => input.push(null),
    done: done.then(() => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l))),
  };
}

describe('serve: minimize with runs', () => {
  const base = { objective: 'rastrigin', dim: 3, method: 'cma-es', maxEvals: 3000, seed: 5, fTarget: null };

  it('answers the best run, every run (seed, no history) and best; run r is the request of seed + r alone', async () => {
    const [many, alone] = await serve([
      { id: 1, method: 'minimize', params: { ...base, runs: 3 } },
      { id: 2, method: 'minimize', params: { ...base, seed: 7 } },
    ]);
    const r = many.result;
    expect(r.runs).toHaveLength(3);
    expect(r.runs.map((q: { seed: number }) => q.seed)).toEqual([5, 6, 7]);
    for (const q of r.runs) {
      expect(q).not.toHaveProperty('history');
      expect(q.nfev).toBeLessThanOrEqual(3000);
    }
    expect(r).not.toHaveProperty('history');
    expect(r.nfev).toBe(r.runs.reduce((a: number, q: { nfev: number }) => a + q.nfev, 0));
    expect(r.fun).toBe(Math.min(...r.runs.map((q: { fun: number }) => q.fun)));
    expect(r.x).toEqual(r.runs[r.best].x);
    expect(r.runs[2].x).toEqual(alone.result.x); // seed 5 + 2 = the run of seed 7 alone
    expect(r.runs[2].fun).toBe(alone.result.fun);
    expect(alone.result).not.toHaveProperty('runs'); // one run: the answer as before
    expect(alone.result).not.toHaveProperty('best');
  }, 60_000);

  it('bad runs are INVALID_ARGUMENT naming runs and its range', async () => {
    const res = await serve([0, 1025, 2.5, '4', -1, [2]].map((runs, i) => ({ id: i, method: 'minimize', params: { ...base, runs } })));
    for (const a of res) expect(a.error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'runs', message: expect.stringMatching(/^runs: must be an integer in \[1, 1024\], got /) });
  });

  it('--max-samples counts B runs: maxEvals x runs over the cap is LIMIT; omitted, each run gets its share', async () => {
    // f = x[0] has no minimum: only the budget ends a run
    const line = { objective: 'line', x0: [0], bounds: null, samples: 100 };
    const res = await serve(
      [
        { id: 0, method: 'define', params: { name: 'line', expr: 'x[0]', dim: 1 } },
        { id: 1, method: 'minimize', params: { ...line, runs: 4, maxEvals: 300 } }, // 4 x 300 > 1000
        { id: 2, method: 'minimize', params: { ...line, runs: 4 } },
        { id: 3, method: 'minimize', params: { ...line, runs: 501 } }, // 1000 / 501 < 2 evaluations a run
        { id: 4, method: 'minimize', params: { ...line, runs: 4, maxEvals: 250 } },
        { id: 5, method: 'minimize', params: { ...line, maxEvals: 300 } }, // one run: as before
      ],
      { maxSamples: 1000 },
    );
    expect(res[1].error).toMatchObject({ code: 'LIMIT', argument: 'maxEvals', message: expect.stringMatching(/at most 250 per run with runs: 4 .*--max-samples.*got 300 \(x 4 runs = 1200\)/) });
    expect(res[2].result.runs).toHaveLength(4);
    for (const q of res[2].result.runs) {
      expect(q.status).toBe('max-evals');
      expect(q.nfev).toBeLessThanOrEqual(250);
    }
    expect(res[2].result.nfev).toBeLessThanOrEqual(1000);
    expect(res[3].error).toMatchObject({ code: 'LIMIT', argument: 'runs', message: expect.stringMatching(/501 runs .*--max-samples.*at most 500 runs/) });
    expect(res[4].result.nfev).toBeLessThanOrEqual(1000);
    expect(res[5].result.nfev).toBeLessThanOrEqual(300);
  }, 60_000);

  it('cancel stops every run: no oracle call of any run after the answer', async () => {
    // the CPU oracle, counting calls and the seeds (= runs) they come from
    const seeds = new Set<number>();
    let calls = 0;
    const counting = Object.create(cpu) as Oracle;
    for (const m of ['brox', 'topk', 'moments', 'evaluate'] as const) {
      (counting as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
        calls++;
        const seed = (a[3] as { seed?: number } | undefined)?.seed;
        if (typeof seed === 'number') seeds.add(seed);
        return (cpu[m] as (...x: unknown[]) => unknown).apply(cpu, a);
      };
    }
    const s = session(counting);
    s.send({ id: 'm', method: 'minimize', params: { objective: 'rastrigin', dim: 10, method: 'cma-es', runs: 4, seed: 20, maxEvals: 2 ** 30, fTarget: null, samples: 4096, params: { restartStrategy: 'ipop' } } });
    await vi.waitFor(() => expect(seeds.size).toBe(4), { timeout: 20_000 }); // every run is going
    s.send({ id: 'c', method: 'cancel', params: { id: 'm' } });
    s.end();
    const res = await s.done;
    expect(res[0]).toEqual({ id: 'm', error: { code: 'ABORTED', message: 'cancelled by request' } });
    expect(res[1].result).toEqual({ cancelled: 1 });
    // a call already running ends within its slice; none starts after that
    await new Promise((r) => setTimeout(r, 300));
    const after = calls;
    await new Promise((r) => setTimeout(r, 500));
    expect(calls).toBe(after);
  }, 60_000);
});
