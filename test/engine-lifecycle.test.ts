import { describe, expect, it } from 'vitest';
import { BroxError } from '../src/errors';
import { acquireGpu } from '../src/gpu/acquire';
import { getObjective } from '../src/objectives/registry';
import { wantedFeatures } from '../src/oracle/create';
import { createWebGpuOracle } from '../src/oracle/webgpu';
import { useGpuDevice } from './helpers';

describe('engine lifecycle: buffers, device loss, destroy', () => {
  const gpu = useGpuDevice();

  it('no buffer leaks: after warm-up, 300 mixed calls leave the live buffer count and bytes unchanged', async () => {
    const o = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test' });
    const f = getObjective('ackley', 3);
    const round = async (i: number) => {
      await o.brox(f, [1, 1, 1], 0.5, { samples: 256, call: i, rounds: 2, bounds: [-2, 2] });
      await o.topk(f, [1, 1, 1], 0.5, { samples: 256, k: 4, call: i });
      await o.moments(f, [1, 1, 1], 0.5, { samples: 128, temperature: 1, second: 'full', call: i });
      await o.evaluate(f, [[0, 0, 0]]);
    };
    await round(0);
    const before = o.engine.stats();
    for (let i = 1; i <= 75; i++) await round(i);
    expect(o.engine.stats()).toEqual(before);
    o.destroy();
    expect(o.engine.stats()).toEqual({ buffers: 0, bytes: 0 });
  });

  it('a device destroyed mid-run: the call and later calls fail with BroxError DEVICE_LOST or GPU_ERROR, never a bare DOMException', async () => {
    const { handle } = await acquireGpu();
    const adapter = (await handle!.gpu.requestAdapter())!;
    const device = await adapter.requestDevice({ requiredFeatures: wantedFeatures(adapter) });
    const o = createWebGpuOracle({ device, ownsDevice: true, adapterInfo: null, reason: 'test' });
    const f = getObjective('rastrigin', 4);
    await o.brox(f, [1, 1, 1, 1], 1, { samples: 1000 });
    const running = o.brox(f, [1, 1, 1, 1], 1, { samples: 200_000, call: 1 });
    device.destroy();
    for (const p of [running, o.brox(f, [1, 1, 1, 1], 1, { samples: 100 })]) {
      const e = await p.then(() => null, (err) => err);
      if (e === null) continue; // finished before the loss took effect
      expect(e).toBeInstanceOf(BroxError);
      expect(['DEVICE_LOST', 'GPU_ERROR']).toContain((e as BroxError).code);
    }
    o.destroy();
    const after = await o.brox(f, [1, 1, 1, 1], 1, { samples: 10 }).catch((err) => err);
    expect(after).toBeInstanceOf(BroxError);
    handle!.release();
  });
});
