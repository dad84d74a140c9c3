import { spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVE_METHODS, serveStdio, type ServeLimits } from '../src/cli/serve';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';

// `brox serve` speaks JSON-RPC 2.0 (https://www.jsonrpc.org/specification) beside its own form:
// the spec's cases (section 7 examples), brox's code in error.data, and the old form unchanged.
let cpu: Oracle;
beforeAll(async () => {
  cpu = await createOracle({ backend: 'cpu', threads: 1 });
});
afterAll(() => cpu.destroy());

/** Feeds lines (strings as is, objects as JSON) and returns the raw response lines. */
async function serveRaw(lines: Array<string | object>, opts: { limits?: Partial<ServeLimits>; jsonrpc?: boolean; oracle?: Oracle } = {}) {
  const chunks: string[] = [];
  const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  const src = Readable.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n'));
  await serveStdio({ oracle: opts.oracle ?? cpu, allowCode: false, limits: opts.limits, jsonrpc: opts.jsonrpc }, src, output);
  return chunks.join('').split('\n').filter(Boolean);
}
const serve = async (lines: Array<string | object>, opts: Parameters<typeof serveRaw>[1] = {}) => (await serveRaw(lines, opts)).map((l) => JSON.parse(l));
const rpc = (id: unknown, method: string, params?: object) => ({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), method, ...(params ? { params } : {}) });

describe('serve: JSON-RPC 2.0', () => {
  it('a request gets {jsonrpc, id, result}; ids of every allowed type are echoed', async () => {
    const res = await serve([rpc(1, 'info'), rpc('a', 'evaluate', { objective: 'sphere', points: [[1, 2]] }), rpc(null, 'info')]);
    expect(res).toHaveLength(3);
    expect(res[0]).toMatchObject({ jsonrpc: '2.0', id: 1, result: { backend: 'cpu' } });
    expect(res[1]).toEqual({ jsonrpc: '2.0', id: 'a', result: { values: [5] } });
    expect(res[2]).toMatchObject({ jsonrpc: '2.0', id: null, result: { backend: 'cpu' } });
  });

  it('notifications (no id) run and are never answered, even on error', async () => {
    const res = await serve([rpc(undefined, 'define', { name: 'bowl', expr: 'sum(i, (x[i]-1)^2)', dim: 2 }), rpc(undefined, 'teleport'), rpc(undefined, 'brox', { objective: 'nope' }), rpc(2, 'evaluate', { objective: 'bowl', points: [[1, 1], [0, 0]] })]);
    expect(res).toEqual([{ jsonrpc: '2.0', id: 2, result: { values: [0, 2] } }]);
  });

  it('standard error codes, brox code (and argument) in error.data', async () => {
    const res = await serve([
      rpc(1, 'teleport'),
      rpc(2, 'brox', { objective: 'sphere', x: [1, 1], t: -1, samples: 64 }), // samples: the default 2^20 is over this cap
      rpc(3, 'brox', [1, 2]),
      { jsonrpc: '1.0', id: 4, method: 'info' },
      { jsonrpc: '2.0', id: 5 },
      { jsonrpc: '2.0', id: { a: 1 }, method: 'info' },
      '{"jsonrpc": "2.0", "method": "info", "params": "bar", "id": 6}',
      '{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]',
      rpc(7, 'brox', { objective: 'sphere', x: [1, 1], t: 1, samples: 5000 }),
    ], { limits: { maxSamples: 4096 } });
    expect(res[0]).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: expect.stringMatching(/unknown method 'teleport'; allowed: info, define, brox, topk, moments/), data: { code: 'METHOD_NOT_FOUND' } } });
    expect(res[1]).toMatchObject({ id: 2, error: { code: -32602, data: { code: 'INVALID_ARGUMENT', argument: 't' } } });
    expect(res[2]).toMatchObject({ id: 3, error: { code: -32602, message: expect.stringMatching(/^params: must be an object of named parameters/), data: { code: 'INVALID_ARGUMENT', argument: 'params' } } });
    expect(res[3]).toMatchObject({ jsonrpc: '2.0', id: 4, error: { code: -32600, message: expect.stringMatching(/"jsonrpc" must be "2.0"/), data: { code: 'INVALID_REQUEST' } } });
    expect(res[4]).toMatchObject({ id: 5, error: { code: -32600, message: '"method" must be a string' } });
    expect(res[5]).toMatchObject({ id: null, error: { code: -32600, message: expect.stringMatching(/"id" must be a string, a number or null/) } });
    expect(res[6]).toMatchObject({ id: 6, error: { code: -32600 } });
    expect(res[7]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, data: { code: 'PARSE_ERROR' } } }); // a JSON-RPC session: its form
    expect(res[8]).toMatchObject({ id: 7, error: { code: -32006, data: { code: 'LIMIT', argument: 'samples' } } });
    for (const r of res) expect(Object.keys(r).sort()).toEqual(['error', 'id', 'jsonrpc']);
  });

  it('batches: one array line of the replies, in order, notifications left out; none at all for notifications only', async () => {
    const lines = await serveRaw([
      [rpc(1, 'evaluate', { objective: 'sphere', points: [[1]] }), rpc(undefined, 'info'), rpc(2, 'teleport'), { foo: 'boo' }, rpc('x', 'evaluate', { objective: 'sphere', points: [[2]] })],
      [rpc(undefined, 'info'), rpc(undefined, 'info')],
      [],
      [1, 2, 3],
      rpc(9, 'info'),
    ]);
    expect(lines).toHaveLength(4); // the all-notification batch has no line
    const [batch, empty, garbage, last] = lines.map((l) => JSON.parse(l));
    expect(batch.map((r: { id: unknown }) => r.id)).toEqual([1, 2, null, 'x']);
    expect(batch[0]).toEqual({ jsonrpc: '2.0', id: 1, result: { values: [1] } });
    expect(batch[1].error.code).toBe(-32601);
    expect(batch[2].error.code).toBe(-32600);
    expect(batch[3].result).toEqual({ values: [4] });
    expect(empty).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } }); // one object, not an array
    expect(garbage).toHaveLength(3);
    for (const g of garbage) expect(g).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    expect(last).toMatchObject({ id: 9, result: { backend: 'cpu' } });
  });

  it('cancel works across the form: the cancelled request gets ABORTED (-32007)', async () => {
    const signals: AbortSignal[] = [];
    const hang = (...args: unknown[]) => {
      const signal = (args.find((a) => (a as { signal?: unknown })?.signal) as { signal?: AbortSignal } | undefined)?.signal;
      if (signal) signals.push(signal);
      return new Promise<never>(() => {});
    };
    const stuck = { backend: 'cpu', adapterInfo: null, reason: 'stub', brox: hang, topk: hang, moments: hang, evaluate: hang, destroy() {} } as unknown as Oracle;
    const res = await serve([rpc(7, 'topk', { objective: 'sphere', x: [1], t: 1 }), rpc(8, 'cancel', { id: 7 })], { oracle: stuck });
    expect(res[0]).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32007, data: { code: 'ABORTED' } } });
    expect(res[1]).toEqual({ jsonrpc: '2.0', id: 8, result: { cancelled: 1 } });
    expect(signals[0].aborted).toBe(true);
  });

  it('--jsonrpc: lines without a form are answered in JSON-RPC from the first line', async () => {
    const res = await serve(['not json', '[1]'], { jsonrpc: true });
    expect(res[0]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(res[1]).toEqual([expect.objectContaining({ jsonrpc: '2.0', id: null, error: expect.objectContaining({ code: -32600 }) })]);
    const tooLong = await serve(['x'.repeat(300)], { jsonrpc: true, limits: { maxLineBytes: 100 } });
    expect(tooLong[0]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32006, data: { code: 'LIMIT', argument: 'line' } } });
  });
});

describe("serve: brox's own form, exactly as before", () => {
  it('without "jsonrpc": string codes, no jsonrpc member; arrays and bad lines as before a JSON-RPC request', async () => {
    const lines = await serveRaw(['not json', '[1,2]', { id: 1, method: 'teleport' }, { id: 2, method: 'evaluate', params: { objective: 'sphere', points: [[3]] } }, 'x'.repeat(300)], { limits: { maxLineBytes: 100 } });
    expect(lines[0]).toMatch(/^\{"id":null,"error":\{"code":"PARSE_ERROR","message":"not JSON: /);
    expect(lines[1]).toBe('{"id":null,"error":{"code":"INVALID_REQUEST","message":"a request is a JSON object { \\"id\\", \\"method\\", \\"params\\" }"}}');
    expect(JSON.parse(lines[2])).toEqual({ id: 1, error: { code: 'METHOD_NOT_FOUND', message: `unknown method 'teleport'; allowed: ${SERVE_METHODS.join(', ')}` } });
    expect(lines[3]).toBe('{"id":2,"result":{"values":[9]}}');
    expect(lines[4]).toBe('{"id":null,"error":{"code":"LIMIT","argument":"line","message":"request line of 300 bytes is longer than 100 (brox serve --max-line-bytes); skipped"}}');
  });

  it('after a JSON-RPC request, a request in the own form is still answered in its form', async () => {
    const res = await serve([rpc(1, 'info'), { id: 2, method: 'teleport' }]);
    expect(res[0].jsonrpc).toBe('2.0');
    expect(res[1]).toEqual({ id: 2, error: { code: 'METHOD_NOT_FOUND', message: expect.any(String) } });
  });
});

describe('serve: topk, moments, fTarget null', () => {
  it('topk: the k best samples, best first; moments: weighted mean and stats', async () => {
    const res = await serve([
      rpc(1, 'topk', { objective: 'sphere', x: [1, 1], t: 1, samples: 2048, k: 3, seed: 2 }),
      { id: 2, method: 'moments', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 2048, seed: 2, temperature: { relative: 0.1 }, second: 'diag' } },
      rpc(3, 'moments', { objective: 'sphere', x: [1, 1], t: 1 }),
    ]);
    const top = res[0].result;
    expect(top.points).toHaveLength(3);
    expect(top.values).toEqual([...top.values].sort((a: number, b: number) => a - b));
    expect(top.values[0]).toBeCloseTo(top.points[0][0] ** 2 + top.points[0][1] ** 2, 10);
    expect(top.nfev).toBe(2048);
    const m = res[1].result;
    expect(m.mean).toHaveLength(2);
    expect(m.second).toHaveLength(2);
    expect(Math.hypot(...m.mean)).toBeLessThan(Math.hypot(1, 1)); // weighted towards the minimum
    expect(m.fmin).toBeLessThanOrEqual(m.fmean);
    expect(res[2]).toMatchObject({ id: 3, error: { code: -32602, data: { code: 'INVALID_ARGUMENT', argument: 'temperature' } } });
  });

  it('fTarget: null means no target (as bounds: null means no bounds), for bpm and minimize', async () => {
    const res = await serve([
      rpc(1, 'bpm', { objective: 'sphere', x0: [1, 1], radius: 0.5, samples: 256, maxIter: 5, fTarget: null }),
      rpc(2, 'minimize', { objective: 'sphere', x0: [1, 1], method: 'random', maxEvals: 4096, fTarget: null }),
    ]);
    expect(res[0].error).toBeUndefined();
    expect(res[0].result.status).toMatch(/^(max-iter|fixed-point)$/); // never 'target-reached': no target
    expect(res[0].result.nit).toBeGreaterThan(0);
    expect(res[1].result).toMatchObject({ status: 'max-evals', nfev: 4096 });
  });
});

describe('library: fTarget null', () => {
  it('bpm() takes null as no target; a non-number is still refused, naming fTarget', async () => {
    const { bpm } = await import('../src/bpm/bpm');
    const r = await bpm('sphere', [1, 1], { radius: 0.5, samples: 256, maxIter: 3, fTarget: null, oracle: cpu });
    expect(r.status).not.toBe('target-reached');
    await expect(bpm('sphere', [1, 1], { radius: 0.5, maxIter: 3, fTarget: 'low' as never, oracle: cpu })).rejects.toThrow(/^fTarget: /);
  });
});

describe('serve --help', () => {
  it('lists every method the server answers', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const r = spawnSync(process.execPath, ['bin/brox.js', 'serve', '--help'], { cwd: root, encoding: 'utf8' });
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).toContain(SERVE_METHODS.join(' | '));
    expect(help).toContain('JSON-RPC 2.0');
    expect(SERVE_METHODS).toEqual(expect.arrayContaining(['minimize', 'cancel', 'topk', 'moments']));
  });
});
