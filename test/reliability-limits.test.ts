import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStdio, type ServeLimits } from '../src/cli/serve';
import { preview } from '../src/errors';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';

// Issue 20, limits without bypasses (5, 6, 7) and inputs echoed or nested without end (13), in-process.

let cpu: Oracle;
beforeAll(async () => {
  cpu = await createOracle({ backend: 'cpu', threads: 1 });
});
afterAll(() => cpu.destroy());

type Response = { id: unknown; result?: Record<string, unknown> & { nfev?: number }; error?: { code: string; argument?: string; message: string } };

/** Feeds lines (strings as is, objects as JSON) to the server and collects the parsed responses. */
async function serve(lines: Array<string | object>, limits: Partial<ServeLimits> = {}, output?: Writable): Promise<Response[]> {
  const chunks: string[] = [];
  const out = output ?? new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  await serveStdio({ oracle: cpu, allowCode: false, limits }, Readable.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n')), out);
  return chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('serve --max-samples counts what will run, defaults included (issue 20 #5)', () => {
  const limits = { maxSamples: 1000 };
  const sphere = { objective: 'sphere', x: [1, 1], t: 1 };

  it('brox: omitted samples (2^20) and samples x rounds are refused; within the cap it runs', async () => {
    const res = await serve(
      [
        { id: 1, method: 'brox', params: sphere },
        { id: 2, method: 'brox', params: { ...sphere, samples: 1000, rounds: 64 } },
        { id: 3, method: 'brox', params: { ...sphere, samples: 500, rounds: 2 } },
        { id: 4, method: 'brox', params: { ...sphere, samples: 1001 } },
      ],
      limits,
    );
    expect(res[0].error).toMatchObject({ code: 'LIMIT', argument: 'samples', message: expect.stringMatching(/at most 1000 evaluations .*--max-samples.*omitted: the default 1048576/) });
    expect(res[1].error).toMatchObject({ code: 'LIMIT', argument: 'samples', message: expect.stringMatching(/samples 1000 x rounds 64 = 64000 evaluations/) });
    expect(res[2].result?.nfev).toBe(1001);
    expect(res[3].error).toMatchObject({ code: 'LIMIT', argument: 'samples' });
  });

  it('topk, moments without samples and evaluate of more points than the cap are refused', async () => {
    const res = await serve(
      [
        { id: 1, method: 'topk', params: sphere },
        { id: 2, method: 'moments', params: { ...sphere, temperature: 1 } },
        { id: 3, method: 'evaluate', params: { objective: 'sphere', points: Array.from({ length: 1001 }, () => [0, 0]) } },
        { id: 4, method: 'topk', params: { ...sphere, samples: 1000 } },
      ],
      limits,
    );
    expect(res.slice(0, 3).map((r) => [r.error?.code, r.error?.argument])).toEqual([['LIMIT', 'samples'], ['LIMIT', 'samples'], ['LIMIT', 'points']]);
    expect(res[3].result?.nfev).toBe(1000);
  });

  it('bpm: default samples per step refused; a run that never stops on its own ends at the cap (max-evals)', async () => {
    // f = x[0] has no minimum: every step improves, so only the budget ends the run
    const line = { objective: 'line', x0: [0], radius: 1, samples: 100, maxIter: 1000, bounds: null };
    const res = await serve(
      [
        { id: 0, method: 'define', params: { name: 'line', expr: 'x[0]', dim: 1 } },
        { id: 1, method: 'bpm', params: { objective: 'sphere', x0: [1, 1], radius: 1 } },
        { id: 2, method: 'bpm', params: line },
        { id: 3, method: 'bpm', params: { ...line, maxEvals: 5000 } },
        { id: 4, method: 'minimize', params: { objective: 'line', x0: [0], bounds: null, samples: 100 } },
      ],
      limits,
    );
    expect(res[1].error).toMatchObject({ code: 'LIMIT', argument: 'samples' });
    expect(res[2].result).toMatchObject({ status: 'max-evals' });
    expect(res[2].result!.nfev).toBeLessThanOrEqual(1000);
    expect(res[3].error).toMatchObject({ code: 'LIMIT', argument: 'maxEvals' });
    expect(res[4].result!.nfev).toBeLessThanOrEqual(1000);
  });
});

describe('serve --max-defined and undefine (issue 20 #6)', () => {
  const rows = (m: number) => ({ kind: 'least-squares', A: Array.from({ length: m }, (_, i) => [i, 1]), y: Array.from({ length: m }, (_, i) => 2 * i) });

  it('defines past the count are LIMIT; a redefinition does not count; undefine frees a place', async () => {
    const res = await serve(
      [
        { id: 1, method: 'define', params: { name: 'a', expr: 'x[0]', dim: 1 } },
        { id: 2, method: 'define', params: { name: 'b', expr: 'x[0]^2', dim: 1 } },
        { id: 3, method: 'define', params: { name: 'c', expr: 'x[0]^3', dim: 1 } },
        { id: 4, method: 'define', params: { name: 'a', expr: '2*x[0]', dim: 1 } },
        { id: 5, method: 'undefine', params: { name: 'b' } },
        { id: 6, method: 'define', params: { name: 'c', expr: 'x[0]^3', dim: 1 } },
        { id: 7, method: 'evaluate', params: { objective: 'a', points: [[3]] } },
        { id: 8, method: 'evaluate', params: { objective: 'b', points: [[3]] } },
        { id: 9, method: 'undefine', params: { name: 'b' } },
        { id: 10, method: 'info' },
      ],
      { maxDefined: 2 },
    );
    expect(res[2].error).toMatchObject({ code: 'LIMIT', argument: 'name', message: expect.stringMatching(/--max-defined/) });
    expect(res[3].result).toEqual({ name: 'a', dim: 1 });
    expect(res[4].result).toEqual({ name: 'b', dim: 1 });
    expect(res[5].result).toEqual({ name: 'c', dim: 1 });
    expect(res[6].result).toEqual({ values: [6] });
    expect(res[7].error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'objective' }); // b is gone
    expect(res[8].error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'name' });
    expect(res[9].result).toMatchObject({ objectives: ['a', 'c'], limits: { maxDefined: 2 } });
  });

  it('bytes: datasets past --max-defined-bytes are LIMIT and the old definition stays; undefine returns the bytes', async () => {
    const res = await serve(
      [
        { id: 1, method: 'define', params: { name: 'd', data: rows(100) } }, // 300 float32: 1200 bytes, and its sources
        { id: 2, method: 'define', params: { name: 'e', data: rows(1000) } },
        { id: 3, method: 'define', params: { name: 'd', data: rows(1000) } },
        { id: 4, method: 'evaluate', params: { objective: 'd', points: [[2, 1]] } },
        { id: 5, method: 'info' },
        { id: 6, method: 'undefine', params: { name: 'd' } },
        { id: 7, method: 'info' },
        { id: 8, method: 'define', params: { name: 'e', data: rows(1000) } },
      ],
      { maxDefinedBytes: 10_000 },
    );
    expect(res[0].result).toEqual({ name: 'd', dim: 2 });
    for (const r of [res[1], res[2]]) expect(r.error).toMatchObject({ code: 'LIMIT', argument: 'data', message: expect.stringMatching(/more than this server's 10000 .*--max-defined-bytes/) });
    expect(res[3].result).toEqual({ values: [100] }); // sum of ((2 i + 1) - 2 i)^2 over the 100 rows of the first d
    expect(res[4].result!.definedBytes).toBeGreaterThan(1200);
    expect(res[6].result!.definedBytes).toBe(0);
    expect(res[7].error).toMatchObject({ code: 'LIMIT' }); // 12 000 bytes alone are over the cap
  });
});

describe('serve writes to a slow reader without piling up listeners (issue 20 #7)', () => {
  it('200 large responses through a back-pressured stdout leave no drain/error listener behind', async () => {
    const chunks: string[] = [];
    // a reader that takes every write late: write() returns false each time (highWaterMark 1)
    const output = new Writable({ highWaterMark: 1, write: (c, _e, cb) => void setImmediate(() => (chunks.push(String(c)), cb())) });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const points = Array.from({ length: 200 }, (_, i) => [i, i]);
      const lines = Array.from({ length: 200 }, (_, id) => ({ id, method: 'evaluate', params: { objective: 'sphere', points } }));
      await serve(lines, {}, output);
    } finally {
      process.off('warning', onWarning);
    }
    const res = chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(res.map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(output.listenerCount('error')).toBe(1); // the server's own: 'client went away'
    expect(output.listenerCount('drain')).toBe(0);
    expect(output.listenerCount('close')).toBe(0);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('deep and huge inputs: INVALID_ARGUMENT with a short message (issue 20 #13)', () => {
  it('preview() cuts strings, arrays, deep nests and cycles, and never throws', () => {
    expect(preview('x'.repeat(500))).toBe(`${'x'.repeat(80)}… (500 characters)`);
    expect(preview(Array.from({ length: 300_000 }, (_, i) => i))).toMatch(/^\[0,1,2,.*,… \(300000 items\)\]$/);
    expect(preview(Array.from({ length: 300_000 }, (_, i) => i)).length).toBeLessThan(120);
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(preview(deep)).toBe('[[[[…]]]]');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(preview(cyclic)).toBe('{"a":1,"self":{"a":1,"self":{"a":1,"self":{…}}}}');
    expect(preview(new Proxy([], { get: () => { throw new Error('no'); } }))).toBe('an unprintable value');
    expect([preview(1.5), preview(NaN), preview(null), preview(undefined), preview(true), preview(2n)]).toEqual(['1.5', 'NaN', 'null', 'undefined', 'true', '2']);
  });

  it('every parameter of every method, 20 000 levels deep or 30 000 numbers long: never INTERNAL, messages short', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const big = JSON.stringify(Array.from({ length: 30_000 }, (_, i) => i));
    const base: Record<string, Record<string, unknown>> = {
      brox: { objective: 'sphere', x: [1, 1], t: 1, samples: 16 },
      topk: { objective: 'sphere', x: [1, 1], t: 1, samples: 16 },
      moments: { objective: 'sphere', x: [1, 1], t: 1, samples: 16, temperature: 1 },
      evaluate: { objective: 'sphere', points: [[1, 1]] },
      bpm: { objective: 'sphere', x0: [1, 1], radius: 1, samples: 16, maxIter: 2 },
      minimize: { objective: 'sphere', x0: [1, 1], maxEvals: 100 },
      define: { name: 'q', expr: 'x[0]', dim: 1 },
      undefine: { name: 'q' },
    };
    const keys = ['x', 'x0', 't', 'samples', 'seed', 'generator', 'call', 'ball', 'bounds', 'rounds', 'offset', 'k', 'temperature', 'second', 'points', 'objective', 'radius', 'maxIter', 'maxEvals', 'fTarget', 'method', 'params', 'dim', 'name', 'expr', 'data'];
    const lines: string[] = [];
    for (const [method, params] of Object.entries(base))
      for (const key of keys)
        for (const [tag, value] of [['deep', deep], ['big', big]]) {
          const p = JSON.stringify({ ...params, [key]: 0 }).replace(`"${key}":0`, `"${key}":${value}`);
          lines.push(`{"id":"${method}.${key}.${tag}","method":"${method}","params":${p}}`);
        }
    lines.push(`{"id":"seed.300k","method":"brox","params":{"objective":"sphere","x":[1,1],"t":1,"seed":${JSON.stringify(Array.from({ length: 300_000 }, (_, i) => i))}}}`);
    const res = await serve(lines, { maxSamples: 2 ** 32 });
    expect(res).toHaveLength(lines.length);
    expect(res.filter((r) => r.error?.code === 'INTERNAL').map((r) => `${r.id}: ${r.error!.message}`)).toEqual([]);
    expect(res.filter((r) => JSON.stringify(r).length > 600).map((r) => `${r.id}: ${JSON.stringify(r).slice(0, 200)}`)).toEqual([]);
    // the reproducers of the issue: a deep x, a deep dim, a 300k-element seed
    expect(res.find((r) => r.id === 'brox.x.deep')?.error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'x' });
    expect(res.find((r) => r.id === 'define.dim.deep')?.error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'dim' });
    expect(res.find((r) => r.id === 'seed.300k')?.error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'seed', message: expect.stringMatching(/got \[0,1,2,.*… \(300000 items\)\]$/) });
  }, 120_000);
});

describe('serve: null (JSON none) and omitted values never carry a request past a limit (hostile review, 2026-12-05)', () => {
  it('samples: null counts as the default; maxEvals: null as omitted (with runs: the share); omitted maxIter is capped by --max-iter', async () => {
    const sphere = { objective: 'sphere', x: [1, 1], t: 1 };
    const res = await serve(
      [
        { id: 1, method: 'brox', params: { ...sphere, samples: null } },
        { id: 2, method: 'topk', params: { ...sphere, samples: null, k: 1 } },
        { id: 3, method: 'moments', params: { ...sphere, samples: null, temperature: 1 } },
        { id: 4, method: 'minimize', params: { objective: 'sphere', dim: 2, method: 'random', fTarget: null, runs: 4, maxEvals: null } },
        { id: 5, method: 'minimize', params: { objective: 'sphere', dim: 2, method: 'random', fTarget: null, maxEvals: null } },
        { id: 6, method: 'minimize', params: { objective: 'rastrigin', dim: 3, method: 'bpm', samples: 64, maxEvals: 900, fTarget: null } },
        { id: 7, method: 'minimize', params: { objective: 'rastrigin', dim: 3, method: 'cma-es', runs: 3, maxEvals: 300, fTarget: null, maxIter: null } },
        { id: 8, method: 'bpm', params: { objective: 'sphere', x0: [1, 1], radius: 0.5, samples: 16, maxEvals: null } },
      ],
      { maxSamples: 1000, maxIter: 3 },
    );
    const by = (id: number) => res.find((r) => r.id === id) as Response & { result: { nfev: number; nit: number; runs: Array<{ nit: number }> } };
    for (const id of [1, 2, 3]) expect(by(id).error, `request ${id}`).toMatchObject({ code: 'LIMIT', argument: 'samples' });
    expect(by(4).result.nfev).toBeLessThanOrEqual(1000);
    expect(by(5).result.nfev).toBeLessThanOrEqual(1000);
    expect(by(6).result.nit).toBeLessThanOrEqual(3);
    for (const run of by(7).result.runs) expect(run.nit).toBeLessThanOrEqual(3);
    expect(by(8).result.nit).toBeLessThanOrEqual(3);
    expect(by(8).result.nfev).toBeLessThanOrEqual(1000);
  });
});
