import { Readable, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { serveStdio, type ServeLimits } from '../src/cli/serve';
import type { Oracle } from '../src/oracle/types';

// Issue 20, defects 2, 3 and 14 in-process: cancel and info are read whatever is pending, work
// still stopping counts against --max-pending, and a shutdown drains. The spawned binary (signals,
// worker threads, the reproducers) is covered in serve-drain.test.ts.

/** An oracle whose calls run until aborted (then reject, as real work does), or until released. */
function controlledOracle(opts: { ignoreAbort?: boolean } = {}) {
  const calls: Array<{ signal: AbortSignal; release: () => void }> = [];
  const run = (...args: unknown[]) => {
    const signal = (args.find((a) => (a as { signal?: unknown })?.signal) as { signal: AbortSignal }).signal;
    return new Promise((resolve, reject) => {
      calls.push({ signal, release: () => resolve({ index: -1, x: [0], fun: 0, funCenter: 0, nfev: 1, improved: false, backend: 'cpu', ms: 0 }) });
      if (!opts.ignoreAbort) signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  };
  const oracle = { backend: 'cpu', adapterInfo: null, reason: 'stub', brox: run, topk: run, moments: run, evaluate: run, destroy() {} } as unknown as Oracle;
  return { oracle, calls };
}

/** A server on a pushable stdin: send lines, end, and read the parsed answers. */
function session(oracle: Oracle, limits: Partial<ServeLimits> = {}, shutdown?: AbortSignal) {
  const input = new Readable({ read() {} });
  const chunks: string[] = [];
  const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  const done = serveStdio({ oracle, allowCode: false, limits: { timeoutMs: 60_000, ...limits }, shutdown, drainGraceMs: 200 }, input, output);
  const answers = () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return {
    send: (...reqs: object[]) => reqs.forEach((r) => input.push(JSON.stringify(r) + '\n')),
    end: () => input.push(null),
    answers,
    done: done.then(answers),
  };
}

const brox = (id: unknown) => ({ id, method: 'brox', params: { objective: 'sphere', x: [1], t: 1, samples: 64 } });

describe('serve: control requests are read whatever is pending', () => {
  it("the issue's case: a running brox, 4 x info with --max-pending 4, then cancel: cancel is read and served at once", async () => {
    const { oracle, calls } = controlledOracle();
    const s = session(oracle, { maxPending: 4 });
    s.send(brox('run'), ...[1, 2, 3, 4].map((id) => ({ id, method: 'info' })), { id: 'c', method: 'cancel', params: { id: 'run' } });
    await vi.waitFor(() => expect(calls[0]?.signal.aborted).toBe(true), { timeout: 5000 }); // before: read only after the 60 s deadline
    s.end();
    const res = await s.done;
    expect(res.map((r) => r.id)).toEqual(['run', 1, 2, 3, 4, 'c']); // answers still in request order
    expect(res[0].error).toEqual({ code: 'ABORTED', message: 'cancelled by request' });
    expect(res[5].result).toEqual({ cancelled: 1 });
  });

  it('with every slot taken and more work waiting, a cancel behind it is still read', async () => {
    const { oracle, calls } = controlledOracle();
    const s = session(oracle, { maxPending: 2 });
    s.send(brox('a'), brox('b'), brox('waits'), { id: 'i', method: 'info' }, { id: 'c', method: 'cancel', params: { id: 'a' } });
    await vi.waitFor(() => expect(calls[0]?.signal.aborted).toBe(true), { timeout: 5000 });
    // a's slot is free once its work stopped: the waiting request runs now, in read order
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    s.send({ id: 'c2', method: 'cancel', params: { id: 'b' } }, { id: 'c3', method: 'cancel', params: { id: 'waits' } });
    s.end();
    const res = await s.done;
    expect(res.map((r) => r.id)).toEqual(['a', 'b', 'waits', 'i', 'c', 'c2', 'c3']);
    expect(res.slice(0, 3).map((r) => r.error?.code)).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    expect(res[3].result.backend).toBe('cpu');
  });

  it('JSON-RPC cancel (and a cancel notification) count as control too', async () => {
    const { oracle, calls } = controlledOracle();
    const s = session(oracle, { maxPending: 2 });
    const rpc = (id: number) => ({ jsonrpc: '2.0', id, method: 'brox', params: brox(0).params });
    s.send(rpc(1), rpc(2), rpc(3)); // 3 waits for a slot
    s.send({ jsonrpc: '2.0', method: 'cancel', params: { id: 1 } }); // a notification: run, never answered
    await vi.waitFor(() => expect(calls[0]?.signal.aborted).toBe(true), { timeout: 5000 });
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    s.send({ jsonrpc: '2.0', id: 4, method: 'cancel', params: { id: 2 } }, { jsonrpc: '2.0', id: 5, method: 'cancel', params: { id: 3 } });
    s.end();
    expect((await s.done).map((r) => [r.id, r.error?.data?.code ?? r.result])).toEqual([[1, 'ABORTED'], [2, 'ABORTED'], [3, 'ABORTED'], [4, { cancelled: 1 }], [5, { cancelled: 1 }]]);
  });
});

describe('serve: work still stopping counts against --max-pending', () => {
  it('a cancelled request whose work has not stopped yet keeps its slot; the next one starts when it settles', async () => {
    const { oracle, calls } = controlledOracle({ ignoreAbort: true });
    const s = session(oracle, { maxPending: 1 });
    s.send(brox('a'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    s.send({ id: 'c', method: 'cancel', params: { id: 'a' } }, brox('b'));
    await vi.waitFor(() => expect(s.answers().map((r) => r.id)).toEqual(['a', 'c'])); // a is answered ABORTED at once...
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toHaveLength(1); // ...but b waits: before, it started here (100 brox+cancel pairs bypassed the limit)
    calls[0].release(); // a's work ends
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1].release();
    s.end();
    const res = await s.done;
    expect(res.map((r) => [r.id, r.error?.code ?? 'ok'])).toEqual([['a', 'ABORTED'], ['c', 'ok'], ['b', 'ok']]);
  });
});

describe('serve: a shutdown drains', () => {
  it('stops reading, answers what was read (running ones ABORTED after the grace, waiting ones at once) and returns', async () => {
    const { oracle, calls } = controlledOracle();
    const stop = new AbortController();
    const s = session(oracle, { maxPending: 2 }, stop.signal);
    s.send(brox('running'), brox('running too'), brox('waiting'), { id: 'i', method: 'info' });
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    await vi.waitFor(() => expect(s.answers()).toEqual([]));
    const t0 = performance.now();
    stop.abort('SIGTERM');
    const res = await s.done; // stdin never ended: the drain alone ends the session
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(res.map((r) => r.id)).toEqual(['running', 'running too', 'waiting', 'i']);
    for (const r of res.slice(0, 3)) expect(r.error).toEqual({ code: 'ABORTED', message: 'the server is shutting down (SIGTERM)' });
    expect(res[3].result.backend).toBe('cpu');
    expect(calls).toHaveLength(2); // the waiting one never ran
  }, 15_000);

  it('a request that finishes within the grace period gets its result', async () => {
    const { oracle, calls } = controlledOracle();
    const stop = new AbortController();
    const s = session(oracle, {}, stop.signal);
    s.send(brox('quick'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    stop.abort('SIGINT');
    setTimeout(() => calls[0].release(), 50); // within the 200 ms grace
    const res = await s.done;
    expect(res).toEqual([{ id: 'quick', result: expect.objectContaining({ nfev: 1 }) }]);
  }, 15_000);
});
