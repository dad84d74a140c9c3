import { describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { BroxError } from '../src/errors';
import { defineObjective } from '../src/objectives/define';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { useGpuDevice } from './helpers';

/** Expects a BroxError naming `argument` whose message matches `allowed`. */
async function rejects(p: Promise<unknown> | (() => unknown), argument: string, allowed: RegExp) {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err, `expected a BroxError about ${argument}`).toBeInstanceOf(BroxError);
  expect((err as BroxError).argument).toBe(argument);
  expect((err as BroxError).message).toMatch(new RegExp(`^${argument.replace(/[.[\]]/g, '\\$&')}: `));
  expect((err as BroxError).message).toMatch(allowed);
  return err as BroxError;
}

const sphere2 = getObjective('sphere', 2);

describe('bad input gets a clear error naming the argument and the allowed range', () => {
  const gpu = useGpuDevice();
  const oracles: Array<[string, () => Promise<Oracle>]> = [
    ['cpu', async () => createCpuOracle()],
    ['webgpu', () => createOracle({ backend: 'webgpu', device: gpu().device })],
  ];
  for (const [name, make] of oracles) {
    it(`${name}: brox() arguments`, async () => {
      const o = await make();
      await rejects(o.brox(sphere2, [1, NaN], 1), 'x', /coordinate 1 must be a finite number, got NaN/);
      await rejects(o.brox(sphere2, [Infinity, 0], 1), 'x', /finite/);
      await rejects(o.brox(sphere2, [1, 2, 3], 1), 'x', /length 2.*got length 3/);
      await rejects(o.brox(sphere2, 'nope' as never, 1), 'x', /must be an array of 2 finite numbers/);
      await rejects(o.brox({ dim: 2 } as never, [1, 1], 1), 'objective', /built-in name/);
      await rejects(o.brox(sphere2, [1, 1], NaN), 't', /finite number > 0, got NaN/);
      await rejects(o.brox(sphere2, [1, 1], Infinity), 't', /finite number > 0/);
      await rejects(o.brox(sphere2, [1, 1], 0), 't', /> 0, got 0/);
      await rejects(o.brox(sphere2, [1, 1], -1), 't', /> 0, got -1/);
      await rejects(o.brox(sphere2, [1, 1], 1, { samples: 0 }), 'samples', /integer in \[1, 9007199254740991\], got 0/);
      await rejects(o.brox(sphere2, [1, 1], 1, { samples: 2.5 }), 'samples', /integer/);
      await rejects(o.brox(sphere2, [1, 1], 1, { seed: -1 }), 'seed', /\[0, 4294967295\]/);
      await rejects(o.brox(sphere2, [1, 1], 1, { offset: 2 ** 53 - 5, samples: 10 }), 'offset', /below 2\^53/);
      await rejects(o.brox('no-such-fn', [1, 1], 1), 'objective', /unknown objective 'no-such-fn'; allowed: sphere, rastrigin/);
      await rejects(o.evaluate(sphere2, [[1, 2], [3]]), 'points[1]', /length 2/);
      // nothing was lost: the oracle still works after every rejected call
      const ok = await o.brox(sphere2, [1, 1], 1, { samples: 64 });
      expect(ok.fun).toBeLessThanOrEqual(2);
      o.destroy();
    });
  }

  it('dimension out of range', async () => {
    await rejects(() => getObjective('sphere', 0), 'dim', /integer in \[1, 1024\], got 0/);
    await rejects(() => getObjective('sphere', 1025), 'dim', /\[1, 1024\], got 1025/);
    await rejects(() => getObjective('sphere', 2.5), 'dim', /integer/);
    await rejects(() => defineObjective({ name: 'f', dim: 2000, wgsl: 'fn objective(', js: () => 0 }), 'dim', /\[1, 1024\]/);
  });

  it('unknown objective and unknown backend', async () => {
    await rejects(() => getObjective('rastrigen', 2), 'objective', /unknown objective 'rastrigen'; allowed: .*rastrigin/);
    await rejects(createOracle({ backend: 'gpu' as never }), 'backend', /one of 'auto', 'webgpu', 'cpu', got "gpu"/);
  });

  it('bpm() arguments', async () => {
    const oracle = createCpuOracle();
    await rejects(bpm('sphere', [1, 1], { radius: 0, oracle }), 'radius', /> 0/);
    await rejects(bpm('sphere', [1, NaN], { radius: 1, oracle }), 'x0', /coordinate 1/);
    await rejects(bpm('sphere', [1, 1], { radius: 1, maxIter: -1, oracle }), 'maxIter', /integer in \[0/);
    await rejects(bpm('sphere', [1, 1], { radius: 1, samples: 0, oracle }), 'samples', /\[1,/);
    await rejects(bpm('sphere', [1, 1], { radius: 1, radiusDecay: 1.5, oracle }), 'radiusDecay', /\(0, 1\]/);
    await rejects(bpm('sphere', [1, 1], { radius: 1, maxEvals: 0, oracle }), 'maxEvals', /\[1,/);
  });

  it('defineObjective() arguments', () => {
    const js = () => 0;
    const wgsl = 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 0.0; }';
    rejects(() => defineObjective({ name: '1bad', dim: 2, wgsl, js }), 'name', /letters/);
    rejects(() => defineObjective({ name: 'ok', dim: 2, wgsl: 'fn f() {}', js }), 'wgsl', /fn objective/);
    rejects(() => defineObjective({ name: 'ok', dim: 2, wgsl, js: 3 as never }), 'js', /function/);
  });

  it('WGSL that fails to compile: the compiler message with line and column in the user snippet', async () => {
    const o = await createOracle({ backend: 'webgpu', device: gpu().device });
    const bad = defineObjective({
      name: 'broken',
      dim: 3,
      wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {\n  let a = (*x)[0];\n  return a * undefined_thing;\n}',
      js: (x) => x[0],
    });
    const err = await rejects(o.brox(bad, [0, 0, 0], 1, { samples: 10 }), 'objective.wgsl', /line 3, column 14: .*undefined_thing/);
    expect(err.code).toBe('WGSL_COMPILE');
    const typo = defineObjective({ name: 'typo', dim: 1, wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {\n  return 1.0 +;\n}', js: () => 1 });
    await rejects(o.evaluate(typo, [[0]]), 'objective.wgsl', /line 2, column \d+/);
    // the oracle is still usable afterwards, and a good objective compiles
    expect((await o.brox('sphere', [1, 1], 1, { samples: 16 })).nfev).toBe(17);
    o.destroy();
  });
});
