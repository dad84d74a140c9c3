import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { exprObjective } from '../src/expr';
import { minimize } from '../src/methods/minimize';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { useGpuDevice } from './helpers';

// Issue 20 #9: where every sample overflows float32 (exp(x) from 100, a sphere at 2e19) the GPU's
// ranking is all +inf. It used to come back as "no sample beat the centre" (bpm: fixed-point,
// success: true) while the CPU, in float64, improves. Now such calls are ranked again in float64
// on the host (src/oracle/rerank.ts): the same samples, so the CPU's answer exactly.

const gpu = useGpuDevice();
let oracle: Oracle;
const cpu = createCpuOracle();
beforeAll(async () => {
  oracle = await createOracle({ backend: 'webgpu', device: gpu().device });
});
afterAll(() => oracle?.destroy());

const expo = exprObjective({ expr: 'exp(x[0])', dim: 1 });

describe('WebGPU oracle calls whose samples all overflow float32', () => {
  it('brox and topk of exp(x) at 100 pick the CPU\'s samples', async () => {
    const [g, c] = await Promise.all([oracle.brox(expo, [100], 1, { samples: 4096, seed: 5 }), cpu.brox(expo, [100], 1, { samples: 4096, seed: 5 })]);
    expect(c.improved).toBe(true);
    expect(g).toMatchObject({ improved: true, index: c.index, fun: c.fun });
    const [gt, ct] = await Promise.all([oracle.topk(expo, [100], 1, { samples: 4096, k: 5 }), cpu.topk(expo, [100], 1, { samples: 4096, k: 5 })]);
    expect(gt.indices).toEqual(ct.indices);
    expect(gt.values).toEqual(ct.values);
  });

  it('brox of a sphere at 4e19 (every sample of every round > float32 max) improves as on the CPU', async () => {
    const opts = { samples: 2048, seed: 1, rounds: 3 };
    const [g, c] = await Promise.all([oracle.brox('sphere', [4e19, 4e19], 1e19, opts), cpu.brox('sphere', [4e19, 4e19], 1e19, opts)]);
    expect(c.improved).toBe(true);
    expect(g).toMatchObject({ improved: true, index: c.index, round: c.round, fun: c.fun });
  });

  it('samples that are NaN in float64 too keep the GPU\'s answer: nothing beat the centre', async () => {
    const sq = exprObjective({ expr: 'sqrt(x[0])', dim: 1 });
    const g = await oracle.brox(sq, [-10], 1, { samples: 4096 });
    expect(g).toMatchObject({ improved: false, index: -1, fun: Infinity });
  });

  it('bpm (step by step and GPU-resident) and minimize no longer stop at a false fixed point', async () => {
    // the resident loop's float32 "not improved" is a verdict only where the centre is finite in
    // float32; its winner (the lowest +inf index, sample 0) is worse than the centre for seeds 1 and 6
    for (const seed of [1, 2, 6]) {
      const opts = { radius: 1, samples: 4096, seed, maxIter: 4 };
      const c = await bpm(expo, [100], { ...opts, oracle: cpu });
      expect(c.status).toBe('max-iter'); // it kept improving
      expect(c.fun).toBeLessThan(1e42);
      for (const resident of seed === 2 ? [false, true] : [true]) {
        const g = await bpm(expo, [100], { ...opts, oracle, resident });
        expect({ status: g.status, success: g.success, fun: g.fun }, `seed ${seed}, resident ${resident}`).toEqual({ status: c.status, success: c.success, fun: c.fun });
      }
    }
    const mo = { method: 'bpm' as const, maxEvals: 20000, seed: 1 };
    const [mg, mc] = [await minimize(expo, [100], { ...mo, oracle }), await minimize(expo, [100], { ...mo, oracle: cpu })];
    expect(mc.fun).toBeLessThan(1e40);
    expect(mg.fun).toBe(mc.fun);
  });
});
