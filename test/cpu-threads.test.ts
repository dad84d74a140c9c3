import { describe, expect, it } from 'vitest';
import { createCpuOracle } from '../src/oracle/cpu';

// Worker threads run the built script (dist/cpu-worker.js), so this test drives the built
// library, as users get it (`npm test` builds first).
const dist = await import(/* @vite-ignore */ new URL('../dist/index.js', import.meta.url).href);

describe('CPU backend on all cores', () => {
  it('worker threads give exactly the same results as one thread', async () => {
    const many = await dist.createOracle({ backend: 'cpu', threads: 3 });
    expect(await many.threads()).toBe(3);
    const one = createCpuOracle('reference', { threads: 1 });
    for (const [name, x, t, samples, offset] of [
      ['rastrigin', [2.2, -1.3, 0.4], 1, 100_000, 0],
      ['levy', [1, 2, 3, 4, 5, 6, 7], 2, 70_001, 2 ** 32 - 30_000],
      ['michalewicz', [1, 2], 0.5, 50_000, 0],
    ] as const) {
      const a = await many.brox(name, x, t, { samples, seed: 4, offset });
      const b = await one.brox(name, x, t, { samples, seed: 4, offset });
      expect([a.index, a.fun], name).toEqual([b.index, b.fun]);
    }
    many.destroy();
  });

  it('a custom twin that closes over outer variables falls back to one thread, with the same answer', async () => {
    const a = 0.3;
    const obj = dist.defineObjective({ name: 'closure', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 0.0; }', js: (x: ArrayLike<number>) => (x[0] - a) ** 2 + x[1] ** 2 });
    const many = await dist.createOracle({ backend: 'cpu', threads: 2 });
    const r = await many.brox(obj, [1, 1], 1, { samples: 40_000, seed: 1 });
    const ref = await createCpuOracle().brox(obj, [1, 1], 1, { samples: 40_000, seed: 1 });
    expect(r.index).toBe(ref.index);
    many.destroy();
  });

  it('a portable custom twin runs in the workers', async () => {
    const obj = dist.defineObjective({ name: 'portable', dim: 2, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 0.0; }', js: (x: ArrayLike<number>) => Math.abs(x[0] - 0.3) + x[1] ** 2 });
    const many = await dist.createOracle({ backend: 'cpu', threads: 2 });
    const r = await many.brox(obj, [1, 1], 1, { samples: 40_000, seed: 1 });
    const ref = await createCpuOracle().brox(obj, [1, 1], 1, { samples: 40_000, seed: 1 });
    expect(r.index).toBe(ref.index);
    expect(many.poolStatus()).toBe('');
    many.destroy();
  });
});
