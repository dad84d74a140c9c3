import { describe, expect, it } from 'vitest';
import { createCpuOracle } from '../src/oracle/cpu';
import { defineObjective } from '../src/objectives/define';
import { Pacer } from '../src/oracle/pace';

// Issue 20, defects 1 and 2: costly accepted work on the CPU backend stops at a deadline or cancel.
// Slices are sized by measured time (a fixed 2^15 samples let one slice of a costly objective run
// for 40 s), and worker threads check a shared stop flag between their slices.

const WGSL = 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return (*x)[0]; }';

/** An objective costing ~`ms` per evaluation that counts its evaluations (on this thread). */
function slowObjective(ms: number) {
  const counter = { calls: 0 };
  const obj = defineObjective({
    name: 'slow',
    dim: 2,
    wgsl: WGSL,
    js: (x) => {
      counter.calls++;
      const end = performance.now() + ms;
      while (performance.now() < end);
      return x[0] * x[0] + x[1] * x[1];
    },
  });
  return { obj, counter };
}

/** Runs `call` with a signal that fires after `afterMs`: the rejection, the time it took, the evaluations run. */
async function abortedAfter(afterMs: number, call: (signal: AbortSignal) => Promise<unknown>) {
  const t0 = performance.now();
  const err = await call(AbortSignal.timeout(afterMs)).then(
    () => null,
    (e) => e,
  );
  return { err, ms: performance.now() - t0 };
}

describe('CPU backend: deadlines and cancel hold for costly work', () => {
  const cpu = createCpuOracle('test', { threads: 1 });

  it('evaluate is sliced: a deadline stops it between points (it ran every point before)', async () => {
    const { obj, counter } = slowObjective(2);
    const points = Array.from({ length: 2000 }, (_, i) => [i / 2000, 0]); // ~4 s of work
    const { err, ms } = await abortedAfter(100, (signal) => cpu.evaluate(obj, points, { signal }));
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect(counter.calls).toBeLessThan(points.length);
    expect(ms).toBeLessThan(3000); // ~100 ms + one ~20 ms slice; generous for a loaded machine
    // not aborted: every point, in order
    expect(await cpu.evaluate(obj, [[1, 2], [3, 0]])).toEqual([5, 9]);
  });

  it('argmin, top-k and moments slices are sized by time, not 2^15 samples', async () => {
    for (const call of [
      (o: never, signal: AbortSignal) => cpu.brox(o, [1, 1], 1, { samples: 4096, signal }),
      (o: never, signal: AbortSignal) => cpu.topk(o, [1, 1], 1, { samples: 4096, k: 3, signal }),
      (o: never, signal: AbortSignal) => cpu.moments(o, [1, 1], 1, { samples: 4096, temperature: 1, signal }),
    ]) {
      const { obj, counter } = slowObjective(1); // 4096 samples: ~4 s in what used to be one slice
      const { err, ms } = await abortedAfter(100, (signal) => call(obj as never, signal));
      expect(err).toMatchObject({ code: 'ABORTED' });
      expect(counter.calls).toBeLessThan(4096);
      expect(ms).toBeLessThan(3000);
    }
  });

  it('time-sized slices give the same answers as one pass', async () => {
    const one = await cpu.brox('rastrigin', [2.2, -1.3], 1, { samples: 300_000, seed: 3 });
    const top = await cpu.topk('rastrigin', [2.2, -1.3], 1, { samples: 300_000, seed: 3, k: 5 });
    expect(top.indices[0]).toBe(one.index);
    expect(top.values[0]).toBe(one.fun);
  });

  it('the pacer aims each slice at the target time, growing at most 8x', () => {
    const p = new Pacer(10, 20);
    expect(p.next(0, 1000)).toBe(10);
    p.took(10, 0); // too fast to measure: grow 8x
    expect(p.next(0, 1000)).toBe(80);
    p.took(80, 160); // 2 ms per evaluation: 10 fit in 20 ms
    expect(p.next(100, 1000)).toBe(110);
    p.took(10, 2000); // far too long: shrink to 1, never 0
    expect(p.next(5, 1000)).toBe(6);
    expect(p.next(999, 1000)).toBe(1000);
  });
});

// Worker threads run the built script (dist/cpu-worker.js): this part drives the built library.
const dist = await import(/* @vite-ignore */ new URL('../dist/index.js', import.meta.url).href);

describe('CPU worker pool: a cancel stops the workers', () => {
  it('after a 2^32-sample call is aborted, the next call on the same workers is answered', async () => {
    const pool = await dist.createOracle({ backend: 'cpu', threads: 2 });
    expect(await pool.threads()).toBe(2);
    const ac = new AbortController();
    const big = pool.brox('sphere', [1, 1], 1, { samples: 2 ** 32, signal: ac.signal }); // ~10 min of work
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    await expect(big).rejects.toMatchObject({ code: 'ABORTED' });
    // the workers had 2^31 samples each left; they must have stopped for this one to run
    const next = pool.brox('sphere', [1, 1], 1, { samples: 2 ** 20, seed: 2 });
    const late = new Promise((r) => setTimeout(() => r('still queued behind the aborted call'), 30_000));
    const r = await Promise.race([next, late]);
    expect(r).toMatchObject({ nfev: 2 ** 20 + 1, improved: true });
    // the same winner as one thread: the pool still works after a stop
    const ref = await createCpuOracle().brox('sphere', [1, 1], 1, { samples: 2 ** 20, seed: 2 });
    expect((r as { index: number }).index).toBe(ref.index);
    pool.destroy();
  }, 60_000);

  it('an abort while the workers are still starting stops the call too', async () => {
    const pool = await dist.createOracle({ backend: 'cpu', threads: 2 }); // its workers start on the first large call
    const ac = new AbortController();
    const big = pool.brox('sphere', [1, 1], 1, { samples: 2 ** 32, signal: ac.signal });
    ac.abort();
    await expect(big).rejects.toMatchObject({ code: 'ABORTED' });
    const late = new Promise((r) => setTimeout(() => r('still queued behind the aborted call'), 30_000));
    expect(await Promise.race([pool.brox('sphere', [1, 1], 1, { samples: 2 ** 20 }), late])).toMatchObject({ nfev: 2 ** 20 + 1 });
    pool.destroy();
  }, 60_000);
});
