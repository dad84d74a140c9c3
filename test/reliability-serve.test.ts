import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveStdio, type ServeLimits } from '../src/cli/serve';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { mulberry32 } from './helpers';

// `brox serve` as a hostile client sees it, in-process: every line answered once, limits,
// cancel and deadlines. The spawned binary is covered in reliability-cli.test.ts.

const bpmOptions: Array<Record<string, unknown>> = [];
vi.mock('../src/bpm/bpm', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/bpm/bpm')>();
  return { ...real, bpm: (f: never, x0: never, o: Record<string, unknown>) => (bpmOptions.push(o), real.bpm(f, x0, o as never)) };
});

let cpu: Oracle;
beforeAll(async () => {
  cpu = await createOracle({ backend: 'cpu', threads: 1 });
});
afterAll(() => cpu.destroy());

/** Feeds lines (strings as is, objects as JSON) to the server and collects the parsed responses. */
async function serve(lines: Array<string | object>, limits: Partial<ServeLimits> = {}, oracle: Oracle = cpu, input?: Readable) {
  const chunks: string[] = [];
  const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  const src = input ?? Readable.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n'));
  await serveStdio({ oracle, allowCode: false, limits }, src, output);
  const text = chunks.join('');
  expect(text.endsWith('\n') || text === '').toBe(true);
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** An oracle whose calls never finish unless aborted: records the signals it was given. */
function stuckOracle(signals: AbortSignal[]): Oracle {
  const hang = (...args: unknown[]) => {
    const signal = (args.find((a) => (a as { signal?: unknown })?.signal) as { signal?: AbortSignal } | undefined)?.signal;
    if (signal) signals.push(signal);
    return new Promise<never>(() => {});
  };
  return { backend: 'cpu', adapterInfo: null, reason: 'stub', brox: hang, topk: hang, moments: hang, evaluate: hang, destroy() {} } as unknown as Oracle;
}

describe('serve: one guard around every line', () => {
  it('a 5000-level nested id does not crash it: answered (id null if it cannot be echoed), the next request too', async () => {
    const deep = `{"id":${'['.repeat(5000)}${']'.repeat(5000)},"method":"info"}`;
    const deeper = `{"id":${'['.repeat(200_000)}${']'.repeat(200_000)},"method":"info"}`;
    const res = await serve([deep, deeper, { id: 2, method: 'info' }]);
    expect(res).toHaveLength(3);
    expect(res[1]).toMatchObject({ id: null, result: { version: expect.any(String) } });
    expect(res[2]).toMatchObject({ id: 2, result: { backend: 'cpu', limits: { maxSamples: 2 ** 32, maxIter: 1e6, timeoutMs: 600_000 } } });
  });

  it('2000 random and mutated lines: exactly one parseable response each, in order', async () => {
    const rnd = mulberry32(10);
    const valid = [
      { id: 1, method: 'info' },
      { id: 'd', method: 'define', params: { name: 'q', expr: 'sum(i, x[i]^2)', dim: 2 } },
      { id: 3, method: 'evaluate', params: { objective: 'q', points: [[1, 2]] } },
      { id: 4, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 64 } },
      { id: 5, method: 'cancel', params: { id: 4 } },
      { id: 6, method: 'constructor' },
      { id: 7, method: 'define', params: { name: '__proto__', expr: 'x[0]', dim: 1 } },
      { id: 8, method: 'evaluate', params: { objective: 'q', points: 'nope' } },
    ].map((v) => JSON.stringify(v));
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let s = valid[Math.floor(rnd() * valid.length)];
      for (let m = Math.floor(rnd() * 4); m > 0; m--) {
        const at = Math.floor(rnd() * s.length);
        s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)).replace(/[\n\r]/, '') + s.slice(at + (rnd() < 0.5 ? 1 : 0));
      }
      lines.push(s);
    }
    const nonEmpty = lines.filter((l) => l.trim() !== '').length;
    const res = await serve(lines);
    expect(res).toHaveLength(nonEmpty);
    for (const r of res) expect(Object.keys(r).sort()).toEqual(r.error ? ['error', 'id'] : ['id', 'result']);
    expect(res.filter((r) => r.error?.code === 'INTERNAL')).toEqual([]);
  });

  it('a line over --max-line-bytes gets a LIMIT error without being held whole, and serving goes on', async () => {
    const big = 'x'.repeat(1 << 20);
    const input = Readable.from((function* () {
      yield '{"id":1,"method":"info"}\n{"id":"big","method":"define","params":{"expr":"';
      for (let i = 0; i < 8; i++) yield big; // 8 MiB in 1 MiB chunks
      yield '"}}\n{"id":3,"method":"info"}\n';
    })());
    const res = await serve([], { maxLineBytes: 4096 }, cpu, input);
    expect(res.map((r) => r.id)).toEqual([1, null, 3]);
    expect(res[1].error).toMatchObject({ code: 'LIMIT', argument: 'line', message: expect.stringMatching(/^request line of 838\d{4} bytes is longer than 4096/) });
  });

  it('limits: samples, iterations and expression size are refused up front with LIMIT', async () => {
    const res = await serve(
      [
        { id: 1, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 2 ** 33 } },
        { id: 2, method: 'bpm', params: { objective: 'sphere', x0: [1, 1], radius: 1, maxIter: 1e9 } },
        { id: 3, method: 'define', params: { name: 'big', expr: 'x[0]+'.repeat(2500) + '1', dim: 1 } },
        { id: 4, method: 'define', params: { name: 'deep', expr: '('.repeat(3000) + 'x[0]' + ')'.repeat(3000), dim: 1 } },
        { id: 5, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 100 } },
      ],
      { maxSamples: 2 ** 32, maxIter: 1000, maxExprChars: 10_000 },
    );
    expect(res[0].error).toMatchObject({ code: 'LIMIT', argument: 'samples', message: expect.stringMatching(/at most 4294967296 .*--max-samples/) });
    expect(res[1].error).toMatchObject({ code: 'LIMIT', argument: 'maxIter' });
    expect(res[2].error).toMatchObject({ code: 'LIMIT', argument: 'expr', message: 'expr: is 12501 characters long; at most 10000' });
    expect(res[3].error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/nested more than 256 deep/) });
    expect(res[4].result.nfev).toBe(101);
  });

  it('non-finite values are "Infinity", "-Infinity" and "NaN", never null', async () => {
    const res = await serve([
      { id: 1, method: 'define', params: { name: 'l', expr: 'log(x[0]) + 1/x[1]', dim: 2 } },
      { id: 2, method: 'evaluate', params: { objective: 'l', points: [[0, 1], [-1, 1], [1, 0], [1, 1]] } },
    ]);
    expect(res[1].result.values).toEqual(['-Infinity', 'NaN', 'Infinity', 1]);
  });
});

describe('serve: cancel and deadlines', () => {
  it('cancel aborts a running request at once (ABORTED), passes the signal on, and later requests still run', async () => {
    const signals: AbortSignal[] = [];
    const input = new Readable({ read() {} });
    const done = serve([], {}, stuckOracle(signals), input);
    input.push(JSON.stringify({ id: 'slow', method: 'brox', params: { objective: 'sphere', x: [1], t: 1 } }) + '\n');
    input.push(JSON.stringify({ id: 'fast', method: 'info' }) + '\n');
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    input.push(JSON.stringify({ id: 'c', method: 'cancel', params: { id: 'slow' } }) + '\n');
    input.push(null);
    const res = await done;
    expect(res.map((r) => r.id)).toEqual(['slow', 'fast', 'c']); // request order
    expect(res[0].error).toEqual({ code: 'ABORTED', message: 'cancelled by request' });
    expect(res[2].result).toEqual({ cancelled: 1 });
    expect(signals[0].aborted).toBe(true);
  });

  it('a request past --timeout-ms answers TIMEOUT and its signal is aborted', async () => {
    const signals: AbortSignal[] = [];
    const t0 = performance.now();
    const res = await serve([{ id: 1, method: 'evaluate', params: { objective: 'sphere', points: [[1]] } }, { id: 2, method: 'info' }], { timeoutMs: 300 }, stuckOracle(signals));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(res[0].error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/deadline of 300 ms/) });
    expect(res[1].result.backend).toBe('cpu');
    expect(signals[0].aborted).toBe(true);
  });

  it('a real CPU bpm of 10^6 iterations is cancelled promptly; serve asks bpm to keep no history', async () => {
    bpmOptions.length = 0;
    const input = new Readable({ read() {} });
    const done = serve([], {}, cpu, input);
    input.push(JSON.stringify({ id: 0, method: 'define', params: { name: 'lin', expr: 'x[0]', dim: 2 } }) + '\n');
    input.push(JSON.stringify({ id: 'run', method: 'bpm', params: { objective: 'lin', x0: [0, 0], radius: 1, maxIter: 1_000_000, samples: 256 } }) + '\n');
    await vi.waitFor(() => expect(bpmOptions).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 200)); // the run is under way (it yields to the event loop)
    const t0 = performance.now();
    input.push(JSON.stringify({ id: 'c', method: 'cancel', params: { id: 'run' } }) + '\n');
    input.push(null);
    const res = await done;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(res[1]).toMatchObject({ id: 'run', error: { code: 'ABORTED' } });
    expect(bpmOptions[0]).toMatchObject({ history: false, signal: expect.any(AbortSignal) });
    expect((bpmOptions[0].signal as AbortSignal).aborted).toBe(true);
  });

  it('requests run concurrently: a fast one is not held up in execution by a stuck one', async () => {
    const signals: AbortSignal[] = [];
    const input = new Readable({ read() {} });
    const chunks: string[] = [];
    const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
    const done = serveStdio({ oracle: stuckOracle(signals), allowCode: false }, input, output);
    input.push(JSON.stringify({ id: 1, method: 'brox', params: { objective: 'sphere', x: [1], t: 1 } }) + '\n');
    input.push(JSON.stringify({ id: 2, method: 'brox', params: { objective: 'sphere', x: [1], t: 1 } }) + '\n');
    await vi.waitFor(() => expect(signals).toHaveLength(2)); // both started before either finished
    input.push(JSON.stringify({ id: 3, method: 'cancel', params: { id: 1 } }) + '\n' + JSON.stringify({ id: 4, method: 'cancel', params: { id: 2 } }) + '\n');
    input.push(null);
    await done;
    expect(chunks.join('').trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([1, 2, 3, 4]);
  });
});
