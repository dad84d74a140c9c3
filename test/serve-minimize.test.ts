import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStdio } from '../src/cli/serve';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';

let cpu: Oracle;
beforeAll(async () => {
  cpu = await createOracle({ backend: 'cpu', threads: 1 });
});
afterAll(() => cpu.destroy());

async function serve(lines: object[]) {
  const chunks: string[] = [];
  const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  await serveStdio({ oracle: cpu, allowCode: false, limits: {} }, Readable.from(lines.map((l) => JSON.stringify(l) + '\n')), output);
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
