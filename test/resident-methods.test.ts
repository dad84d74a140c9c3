import { describe, expect, it } from 'vitest';
import { minimize } from '../src/methods/minimize';
import type { MethodName } from '../src/methods/minimize-types';
import { methodNames, methods } from '../src/methods/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { BroxError } from '../src/errors';
import { useGpuDevice } from './helpers';

// Every registered method through both executors on WebGPU (SwiftShader): the resident form where
// the method has one (its tell kernel in shaders/methods/NAME.wgsl against its step in
// src/methods/NAME.ts), step by step otherwise; and runs: B, many runs per call.
describe('resident executor: every method, many runs', () => {
  const gpu = useGpuDevice();
  let webgpu: Oracle;
  it('opens WebGPU', async () => {
    webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
  });

  const small: Record<string, Record<string, unknown>> = { cem: { samples: 200 }, random: { samples: 512 }, annealed: { samples: 256, steps: 40 }, bpm: { samples: 256, polish: 0, ball: 'l2', schedule: 'geometric', decay: 0.8, certificate: false }, 'cma-es': {} };

  it('every method: the same first step on both executors, the resident one in one readback per batch', async () => {
    for (const name of methodNames()) {
      const opts = { method: name as MethodName, seed: 3, maxIter: 5, maxEvals: 1 << 20, history: true, params: small[name], oracle: webgpu, dim: 4 } as const;
      const s = await minimize('rastrigin', null, { ...opts, resident: false });
      const r = await minimize('rastrigin', null, { ...opts, resident: true });
      const g = r.info!.gpu as { resident: boolean; readbacks: number };
      expect(g.resident, name).toBe(!!methods[name].resident);
      if (!methods[name].resident) continue;
      expect(r.nit, name).toBe(5);
      // x0's evaluation, then the steps: annealed's resident step evaluates each sample once, its
      // step-by-step moments call twice (src/methods/annealed-resident.ts)
      expect(r.nfev - 1, name).toBe((s.nfev - 1) / (name === 'annealed' ? 2 : 1));
      expect(g.readbacks, name).toBe(1);
      // generation 1: the same samples ranked by the same float32 keys: the same winner
      expect(r.history[0].index, name).toBe(s.history[0].index);
      expect(Math.abs(r.history[0].radius - s.history[0].radius), name).toBeLessThanOrEqual(1e-5 * Math.abs(s.history[0].radius));
    }
  });

  it('random: index for index the step-by-step path (nothing adapts, only the best is kept)', async () => {
    const opts = { method: 'random', seed: 9, maxEvals: 20 * 1024 + 1, params: { samples: 1024 }, history: true, oracle: webgpu, dim: 3 } as const;
    const [s, r] = [await minimize('ackley', null, { ...opts, resident: false }), await minimize('ackley', null, { ...opts, resident: true })];
    expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
    // the best across a batch's steps is kept in float32 on the GPU (float64 step by step): two
    // steps' bests within float32's resolution may swap, so the best agrees to float32 accuracy
    expect(Math.abs(r.fun - s.fun)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(s.fun)));
    expect(r.info!.gpu).toMatchObject({ resident: true, readbacks: 1 });
    // the batch's best is credited to the generation that drew it (not the batch's first or last):
    // the history reaches the final best at the same generation as step by step
    const at = (h: { fun: number }[], f: number) => h.findIndex((e) => Math.abs(e.fun - f) <= 1e-6 * Math.max(1, Math.abs(f)));
    expect(at(r.history, r.fun)).toBe(at(s.history, s.fun));
    expect(at(s.history, s.fun)).toBeGreaterThan(0);
    expect(at(s.history, s.fun)).toBeLessThan(s.history.length - 1);
  });

  // bpm's plain steps (what bpm() runs): the argmin pass + shaders/methods/bpm.wgsl against
  // src/methods/bpm.ts's step, the stop rules (advance()) re-applied in float64 after each batch
  const plain = { samples: 512, polish: 0, ball: 'l2', schedule: 'geometric', decay: 0.6, minRatio: 1e-3, restarts: true, certificate: false };

  it('bpm (plain steps): index for index the step-by-step path, restarts included, in a few readbacks', async () => {
    const opts = { method: 'bpm', seed: 5, maxEvals: 120 * 512 + 1, params: plain, history: true, oracle: webgpu, dim: 3 } as const;
    const [s, r] = [await minimize('ackley', null, { ...opts, resident: false }), await minimize('ackley', null, { ...opts, resident: true })];
    expect([r.status, r.nit, r.nfev]).toEqual([s.status, s.nit, s.nfev]);
    expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
    expect(r.history.map((h) => h.radius)).toEqual(s.history.map((h) => h.radius));
    expect(r.info!.restarts).toBe(s.info!.restarts);
    expect(s.info!.restarts as number).toBeGreaterThan(2); // the sweeps restarted: reopened sessions were exercised
    expect(Math.abs(r.fun - s.fun)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(s.fun)));
    const g = r.info!.gpu as { resident: boolean; readbacks: number };
    const sg = s.info!.gpu as { readbacks: number };
    expect(g.resident).toBe(true);
    // one readback per batch; a batch ends at each restart (a new session): readbacks ~ restarts + 1
    expect(g.readbacks).toBeLessThanOrEqual((r.info!.restarts as number) + 3);
    expect(g.readbacks * 4).toBeLessThan(sg.readbacks);
  });

  it('bpm (plain steps), adaptive radius: the GPU computes each next radius as the host does; the same path', async () => {
    const params = { ...plain, schedule: 'adaptive', shrinkBy: 0.6, growBy: 1.25, minRatio: 1e-3 };
    const opts = { method: 'bpm', seed: 6, maxEvals: 100 * 512 + 1, params, history: true, oracle: webgpu, dim: 3 } as const;
    const [s, r] = [await minimize('ackley', null, { ...opts, resident: false }), await minimize('ackley', null, { ...opts, resident: true })];
    expect([r.status, r.nit, r.nfev]).toEqual([s.status, s.nit, s.nfev]);
    expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
    expect(r.history.map((h) => h.radius)).toEqual(s.history.map((h) => h.radius)); // reported from the host's float64 schedule
    expect(new Set(s.history.map((h) => h.radius)).size).toBeGreaterThan(5); // it grew and shrank
    expect(r.info!.restarts).toBe(s.info!.restarts);
    const g = r.info!.gpu as { resident: boolean; readbacks: number };
    expect(g.resident).toBe(true);
    expect(g.readbacks).toBeLessThanOrEqual((r.info!.restarts as number) + 3);
  });

  it('bpm (plain steps): where float32 cannot see an improvement float64 sees, the run goes on step by step from that step', async () => {
    // f = 1e8 + |x - c|^2: float32 resolves 8 near 1e8, so every sample ties with the centre there
    const { exprObjective } = await import('../src/expr/index');
    const f = exprObjective({ expr: '1e8 + (x[0] - 0.3)^2 + (x[1] + 0.2)^2', dim: 2, name: 'offset-bowl' });
    const opts = { method: 'bpm', seed: 2, maxIter: 12, bounds: null, params: { ...plain, restarts: false }, history: true, oracle: webgpu } as const;
    const [s, r] = [await minimize(f, [2, 2], { ...opts, resident: false }), await minimize(f, [2, 2], { ...opts, resident: true })];
    expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
    // accepted at the float32 point (resident) or the float64 regenerated one: f agrees to ~1e-15 relative
    r.history.forEach((h, i) => expect(Math.abs(h.fun - s.history[i].fun)).toBeLessThanOrEqual(1e-6));
    expect(r.history.filter((h) => h.improved).length).toBeGreaterThan(3); // float64 walked downhill
    expect(r.info!.gpu).toMatchObject({ resident: true });
  });

  it('bpm (plain steps): a callback stop mid-batch leaves the run where it stopped (x, info, certificate as step by step)', async () => {
    const opts = { method: 'bpm', seed: 4, maxEvals: 40 * 512 + 1, params: { ...plain, decay: 0.5, minRatio: 1e-2, certificate: true }, oracle: webgpu, callback: (s: { nit: number }) => s.nit >= 3 } as const;
    const [s, r] = [await minimize('ackley', [1.3, -2.1], { ...opts, resident: false }), await minimize('ackley', [1.3, -2.1], { ...opts, resident: true })];
    expect([r.status, r.nit, r.nfev]).toEqual(['callback-stop', 3, s.nfev]);
    const { gpu: _g, ...ri } = r.info!;
    const { gpu: _s, ...si } = s.info!;
    expect(ri).toEqual(si);
    expect(r.info!.gpu).toMatchObject({ resident: true });
  });

  it('bpm (plain steps): no callback after the signal aborted the run mid-batch', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const run = minimize('rastrigin', [1.3, -2.1], { method: 'bpm', seed: 3, maxIter: 60, batch: 20, bounds: null, params: { ...plain, restarts: false, decay: 0.97, samples: 256 }, oracle: webgpu, signal: ac.signal, callback: (s) => { seen.push(s.nit); if (s.nit === 3) ac.abort(); } });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('population sized for the device: cma-es λ is 4x eq. 48 on WebGPU, eq. 48 on the CPU; samples overrides both', async () => {
    const opts = { method: 'cma-es', seed: 1, maxIter: 1, dim: 10, history: true } as const;
    const cpu = createCpuOracle();
    expect((await minimize('sphere', null, { ...opts, oracle: cpu })).history[0].nfev).toBe(10); // 4 + floor(3 ln 10)
    expect((await minimize('sphere', null, { ...opts, oracle: webgpu })).history[0].nfev).toBe(40);
    expect((await minimize('sphere', null, { ...opts, oracle: webgpu, samples: 12 })).history[0].nfev).toBe(12);
    cpu.destroy();
  });

  it('bpm (plain steps): random restarts in a box need evaluations: such runs go step by step', async () => {
    const r = await minimize('ackley', null, { method: 'bpm', seed: 5, maxEvals: 20 * 512, dim: 3, params: { ...plain, restartFrom: 'random' }, oracle: webgpu, history: false });
    expect(r.info!.gpu).toMatchObject({ resident: false });
  });

  // bpm's coordinate steps (the portfolio's BPM sweeps): the argmin pass in the step's coordinate
  // ball + brox_bpm_coord_update against coordStep in src/methods/bpm.ts (coordAdvance's rules)
  const coord = { ball: 'coord', subdim: 1, subSamples: 128, coordRadius: 1, minRatio: 1e-2, restarts: true, coordCycle: false, certificate: false };

  it('bpm (coordinate steps): index for index the step-by-step path, coordinates, radii and restarts included, in a few readbacks', async () => {
    const opts = { method: 'bpm', seed: 7, maxEvals: 200 * 128 + 1, params: coord, history: true, oracle: webgpu, dim: 4 } as const;
    const [s, r] = [await minimize('levy', null, { ...opts, resident: false }), await minimize('levy', null, { ...opts, resident: true })];
    expect([r.status, r.nit, r.nfev]).toEqual([s.status, s.nit, s.nfev]);
    expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
    expect(r.history.map((h) => h.radius)).toEqual(s.history.map((h) => h.radius)); // each step's coordinate radius
    expect(new Set(s.history.map((h) => h.radius)).size).toBeGreaterThan(5);
    expect(r.info!.restarts).toBe(s.info!.restarts);
    expect(s.info!.restarts as number).toBeGreaterThan(2); // sweeps ended and restarted: reopened sessions
    expect(Math.abs(r.fun - s.fun)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(s.fun)));
    const g = r.info!.gpu as { resident: boolean; readbacks: number };
    expect(g.resident).toBe(true);
    expect(g.readbacks).toBeLessThanOrEqual((r.info!.restarts as number) + 3);
    expect((s.info!.gpu as { readbacks: number }).readbacks).toBe(200);
  });

  it('bpm (coordinate steps): subspaces of random size, or polished ones, go step by step', async () => {
    for (const params of [{ ...coord, subdim: 0 }, { ...coord, coordPolish: true, polish: 2 }]) {
      const r = await minimize('levy', null, { method: 'bpm', seed: 7, maxEvals: 20 * 128, dim: 3, params, oracle: webgpu, history: false });
      expect(r.info!.gpu).toMatchObject({ resident: false });
    }
  });

  it('cem: the same quality as step by step over seeds (rastrigin d = 4, target 1e-6)', async () => {
    const solved = { stepwise: 0, resident: 0 };
    for (let seed = 1; seed <= 3; seed++) {
      for (const resident of [false, true]) {
        const r = await minimize('sphere', null, { dim: 4, method: 'cem', seed, params: { samples: 200 }, maxEvals: 1 << 16, fTarget: 1e-6, oracle: webgpu, resident, history: false });
        if (r.status === 'target-reached') solved[resident ? 'resident' : 'stepwise']++;
      }
    }
    expect(solved).toEqual({ stepwise: 3, resident: 3 });
  });

  it('cem past one workgroup (6000 samples, 1200 elites): the rank pass orders them as step by step does', async () => {
    const opts = { method: 'cem', seed: 2, maxIter: 3, maxEvals: 1 << 20, history: true, params: { samples: 6000, rho: 0.2 }, dim: 4, oracle: webgpu } as const;
    const [s, r] = [await minimize('rastrigin', null, { ...opts, resident: false }), await minimize('rastrigin', null, { ...opts, resident: true })];
    expect(r.info!.gpu).toMatchObject({ resident: true, readbacks: 1 });
    expect(r.nfev).toBe(s.nfev);
    expect(r.history[0].index).toBe(s.history[0].index);
    // the mean and spread after generation 1 come from the same 1200 elites
    expect(Math.abs(r.history[0].radius - s.history[0].radius)).toBeLessThan(1e-5 * s.history[0].radius);
  });

  it('annealed: resident anneals reach what step-by-step ones reach (sphere, rastrigin d = 3)', async () => {
    for (const f of ['sphere', 'rastrigin']) {
      for (const resident of [false, true]) {
        const r = await minimize(f, null, { dim: 3, method: 'annealed', seed: 4, params: { samples: 256, steps: 120 }, maxEvals: 1 << 16, fTarget: 1e-3, oracle: webgpu, resident, history: false });
        expect(r.status, `${f} resident=${resident}`).toBe('target-reached');
        expect(r.info!.gpu).toMatchObject({ resident });
      }
    }
  });

  it('runs: B — run r is exactly the run of seed + r alone; on WebGPU all runs share each readback', async () => {
    const cpu = createCpuOracle();
    const opts = { method: 'cma-es', seed: 11, dim: 5, maxEvals: 3000, history: false } as const;
    const many = await minimize('rastrigin', null, { ...opts, runs: 4, oracle: cpu });
    expect(many.runs).toHaveLength(4);
    for (let r = 0; r < 4; r++) {
      const one = await minimize('rastrigin', null, { ...opts, seed: 11 + r, oracle: cpu });
      expect(many.runs![r].x).toEqual(one.x);
      expect(many.runs![r].nfev).toBe(one.nfev);
    }
    expect(many.fun).toBe(Math.min(...many.runs!.map((r) => r.fun)));
    expect(many.nfev).toBe(many.runs!.reduce((a, r) => a + r.nfev, 0));
    expect(many.x).toEqual(many.runs![many.best!].x);
    cpu.destroy();

    const g1 = await minimize('rastrigin', null, { ...opts, oracle: webgpu, maxIter: 32, batch: 16 });
    const g8 = await minimize('rastrigin', null, { ...opts, oracle: webgpu, maxIter: 32, batch: 16, runs: 8 });
    const r1 = g1.info!.gpu as { readbacks: number };
    const r8 = g8.info!.gpu as { readbacks: number; resident: boolean };
    expect(r8.resident).toBe(true);
    expect(r8.readbacks).toBe(r1.readbacks); // 8 runs, the round trips of one
    for (const run of g8.runs!) expect(run.nit).toBe(32);
    expect(g8.runs![0].x).toEqual(g1.x); // run 0 is the seed's run alone, resident too
  });

  it('cma-es runs fuse: the runs of a batch advance in one dispatch per kernel, each exactly its seed alone', async () => {
    const opts = { method: 'cma-es', dim: 5, maxEvals: 1 << 14, history: false, batch: 16 } as const;
    const B = 6;
    const many = await minimize('rastrigin', null, { ...opts, seed: 3, runs: B, oracle: webgpu });
    const g = many.info!.gpu as { dispatches: number; resident: boolean };
    expect(g.resident).toBe(true);
    let alone = 0;
    for (let r = 0; r < B; r++) {
      const one = await minimize('rastrigin', null, { ...opts, seed: 3 + r, oracle: webgpu });
      expect(many.runs![r].x, `run ${r}`).toEqual(one.x);
      expect(many.runs![r].nfev).toBe(one.nfev);
      expect(many.runs![r].nit).toBe(one.nit);
      alone += (one.info!.gpu as { dispatches: number }).dispatches;
    }
    // 3 dispatches per generation for the group instead of 3 per run (restarts change a run's
    // population, and so its group, at different times: not B times fewer)
    expect(g.dispatches).toBeLessThan(alone / 2);
  });

  it('fuse groups: equal keys only, two runs or more, each group within the device buffer limit', async () => {
    const { fuseGroups } = await import('../src/methods/fused-group');
    const part = (key: string) => ({ key, population: 100, stateBytes: 16 + 4 * 4, mstateBytes: 64, batch: 8, histFloats: 4, geomBytes: 48 }) as never;
    const parts = [part('a'), part('b'), part('a'), undefined, part('a'), part('a'), part('a')];
    expect(fuseGroups(parts, 1 << 30)).toEqual([[0, 2, 4, 5, 6]]);
    // 100 members x 5 floats x 4 bytes = 2000 bytes per run: 2 runs per group in 4000 bytes, the fifth alone
    expect(fuseGroups(parts, 4000)).toEqual([[0, 2], [4, 5]]);
    expect(fuseGroups(parts, 1000)).toEqual([]);
  });

  it('cem, random and annealed runs fuse too: each run exactly its seed alone, fewer dispatches', async () => {
    const cases = [
      ['cem', { samples: 200 }],
      ['random', { samples: 256 }],
      ['annealed', { samples: 256 }],
    ] as const;
    for (const [method, params] of cases) {
      const opts = { method, params, dim: 4, maxEvals: 1 << 15, history: false, batch: 16 } as const;
      const B = 4;
      const many = await minimize('levy', null, { ...opts, seed: 21, runs: B, oracle: webgpu });
      const g = many.info!.gpu as { dispatches: number; resident: boolean };
      expect(g.resident, method).toBe(true);
      let alone = 0;
      for (let r = 0; r < B; r++) {
        const one = await minimize('levy', null, { ...opts, seed: 21 + r, oracle: webgpu });
        expect(many.runs![r].x, `${method} run ${r}`).toEqual(one.x);
        expect(many.runs![r].nfev, method).toBe(one.nfev);
        alone += (one.info!.gpu as { dispatches: number }).dispatches;
      }
      // what goes step by step (each run's first generation, what a method hands back to the
      // host) does not fuse; the resident generations do (annealed here: half of them)
      expect(g.dispatches, method).toBeLessThan(0.75 * alone);
    }
  });

  it('the first batch (before any was timed) draws about FIRST_BATCH_EVALS over all runs, not 64 generations of each', async () => {
    const { FIRST_BATCH_EVALS } = await import('../src/methods/executor');
    const calls: Array<[number, number]> = [];
    const N = 2 ** 16;
    await minimize('sphere', null, { dim: 2, method: 'random', params: { samples: N }, runs: 4, maxIter: 12, seed: 1, oracle: webgpu, history: false, callback: (s) => void calls.push([s.run, s.nit]) });
    const firstOfRun1 = calls.findIndex(([r]) => r === 1);
    const first = Math.max(1, Math.floor(FIRST_BATCH_EVALS / (4 * N))); // 4 generations
    expect(calls.slice(0, firstOfRun1).map(([, nit]) => nit)).toEqual(Array.from({ length: first }, (_, i) => i + 1));
  });

  it('runs is checked', async () => {
    await expect(minimize('sphere', null, { dim: 2, runs: 0, backend: 'cpu' })).rejects.toThrow(BroxError);
    await expect(minimize('sphere', null, { dim: 2, runs: 1.5, backend: 'cpu' })).rejects.toThrow(/runs/);
    await expect(minimize('sphere', null, { dim: 2, runs: 1e6, backend: 'cpu' })).rejects.toThrow(/runs/);
  });
});
