import { describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { BroxError } from '../src/errors';
import { minimize } from '../src/methods/minimize';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { useGpuDevice } from './helpers';

type Owned = Oracle & { recoveries(): number };

// device.destroy() mid-run stands for a real loss (driver reset, GPU removed): an oracle that owns
// its device replaces it and the run goes on with the same results as an uninterrupted one.
describe('device loss', () => {
  const gpu = useGpuDevice();

  it('minimize (cma-es) on an owned device: lost at iteration 3, replaced, same result', async () => {
    // step by step: the oracle's own recovery retries the call, so the path is the uninterrupted one
    const opts = { method: 'cma-es' as const, seed: 4, maxEvals: 3000, samples: 24, resident: false };
    const ref = (await createOracle({ backend: 'webgpu' })) as Owned;
    const a = await minimize('sphere', [1.5, -1, 2], { ...opts, oracle: ref });
    ref.destroy();
    const o = (await createOracle({ backend: 'webgpu' })) as Owned;
    const b = await minimize('sphere', [1.5, -1, 2], {
      ...opts,
      oracle: o,
      callback: ({ nit }) => {
        if (nit === 3) o.engine!.device.destroy();
      },
    });
    expect(o.recoveries()).toBeGreaterThanOrEqual(1);
    expect(b.nit).toBe(a.nit);
    expect(b.nfev).toBe(a.nfev);
    expect(b.x).toEqual(a.x);
    o.destroy();
  });

  it('minimize (cma-es), GPU-resident: lost between batches, the run goes on step by step on a new device', async () => {
    const o = (await createOracle({ backend: 'webgpu' })) as Owned;
    let lost = false;
    const r = await minimize('sphere', [1.5, -1, 2], {
      method: 'cma-es', seed: 4, maxEvals: 3000, batch: 4, fTarget: 1e-8, oracle: o,
      callback: ({ nit }) => {
        if (nit >= 4 && !lost) ((lost = true), o.engine!.device.destroy());
      },
    });
    expect(lost).toBe(true);
    expect(o.recoveries()).toBeGreaterThanOrEqual(1);
    expect(r.info!.gpu).toMatchObject({ resident: true });
    expect(r.nfev).toBeLessThanOrEqual(3000);
    expect(r.nit).toBeGreaterThan(4);
    expect(r.fun).toBeLessThan(1e-3);
    o.destroy();
  });

  it('bpm, GPU-resident, on an owned device: lost mid-run, resumed step by step on a new device, same path', async () => {
    const opts = { radius: 1, samples: 2048, seed: 11, maxIter: 10, batch: 2 };
    const ref = await createOracle({ backend: 'webgpu' });
    const a = await bpm('ackley', [3.3, -2.2, 1.1], { ...opts, oracle: ref });
    ref.destroy();
    const o = (await createOracle({ backend: 'webgpu' })) as Owned;
    const b = await bpm('ackley', [3.3, -2.2, 1.1], {
      ...opts,
      oracle: o,
      callback: ({ nit }) => {
        if (nit === 3) o.engine!.device.destroy();
      },
    });
    expect(o.recoveries()).toBeGreaterThanOrEqual(1);
    expect(b.history.map((h) => h.index)).toEqual(a.history.map((h) => h.index));
    // the resident path keeps float32 centres, the step-by-step one float64: the same points up to float32
    expect(Math.abs(b.fun - a.fun)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(a.fun)));
    o.destroy();
  });

  it('a borrowed device that is lost: BroxError DEVICE_LOST (the oracle never replaces what it does not own)', async () => {
    const { device } = gpu(); // the last test of the file: it may destroy the shared device
    const o = await createOracle({ backend: 'webgpu', device });
    await o.brox('sphere', [1, 1], 0.5, { samples: 100 });
    device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const e = await o.brox('sphere', [1, 1], 0.5, { samples: 100 }).catch((err) => err);
    expect(e).toBeInstanceOf(BroxError);
    expect((e as BroxError).code).toBe('DEVICE_LOST');
    o.destroy();
  });
});
