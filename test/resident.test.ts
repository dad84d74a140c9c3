import { describe, expect, it } from 'vitest';
import { cmaEs, type CmaEsState } from '../src/methods/cma-es';
import { openCmaSession } from '../src/methods/cma-es-resident';
import { runSession } from '../src/methods/resident-batch';
import { symmetricEigen } from '../src/methods/linalg';
import { minimize } from '../src/methods/minimize';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { BroxError } from '../src/errors';
import { exprObjective } from '../src/expr/index';
import { useGpuDevice } from './helpers';

// The resident executor (WebGPU): CMA-ES's tell/stop on the GPU (shaders/methods/cma-es.wgsl)
// against its reference (src/methods/cma-es.ts, step by step) on the same seed: the same samples,
// float32 against float64 updates, so the paths agree closely at first and drift later.
describe('resident executor: cma-es', () => {
  const gpu = useGpuDevice();
  let webgpu: Oracle;
  it('opens WebGPU', async () => {
    webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
  });

  it('the first generation equals the step-by-step one; evaluations and round trips counted', async () => {
    const opts = { method: 'cma-es', seed: 5, maxIter: 6, maxEvals: 1 << 20, history: true } as const;
    const [s, r] = [await minimize('rosenbrock', null, { ...opts, dim: 6, oracle: webgpu, resident: false }), await minimize('rosenbrock', null, { ...opts, dim: 6, oracle: webgpu, resident: true })];
    expect(r.nit).toBe(6);
    expect(r.nfev).toBe(s.nfev);
    expect(r.info!.gpu).toMatchObject({ resident: true, submissions: 1, readbacks: 1 });
    expect(s.info!.gpu).toMatchObject({ resident: false });
    // SwiftShader has timestamp queries: the batch's GPU time came back with its readback
    const gpuMs = (r.info!.gpu as { gpuMs: number | null }).gpuMs!;
    expect(gpuMs).toBeGreaterThan(0);
    expect(gpuMs).toBeLessThan(r.ms);
    // Generation 1 (before any decomposition: B = D = I): the same samples, the same winner, sigma
    // to float32 accuracy. From the first eigendecomposition on the paths differ: C's update has
    // rank <= mu, so at d > mu its eigenspace of the untouched directions is degenerate and any
    // basis of it is right; float32 and float64 pick different ones (same distribution, other samples).
    expect(r.history[0].index).toBe(s.history[0].index);
    expect(Math.abs(r.history[0].radius - s.history[0].radius)).toBeLessThan(1e-5 * s.history[0].radius);
  });

  it('info.gpu.gpuMs is null on a device without timestamp queries, the run otherwise the same', async () => {
    const adapter = (await gpu().gpu.requestAdapter())!;
    const device = await adapter.requestDevice();
    expect(device.features.has('timestamp-query')).toBe(false);
    const bare = await createOracle({ backend: 'webgpu', device });
    const opts = { method: 'cma-es', dim: 4, seed: 2, maxIter: 12, history: false } as const;
    const [a, b] = [await minimize('sphere', null, { ...opts, oracle: bare }), await minimize('sphere', null, { ...opts, oracle: webgpu })];
    bare.destroy();
    device.destroy();
    expect(a.info!.gpu).toMatchObject({ resident: true, gpuMs: null });
    expect((b.info!.gpu as { gpuMs: number }).gpuMs).toBeGreaterThan(0);
    expect(a.x).toEqual(b.x);
  });

  it('same quality as step by step over seeds (rastrigin d = 6: both solve every seed of three)', async () => {
    const solved = { stepwise: 0, resident: 0 };
    for (let seed = 1; seed <= 3; seed++) {
      for (const resident of [false, true]) {
        const r = await minimize('rastrigin', null, { dim: 6, method: 'cma-es', seed, maxEvals: 1 << 17, fTarget: 1e-6, oracle: webgpu, resident, history: false });
        if (r.status === 'target-reached') solved[resident ? 'resident' : 'stepwise']++;
      }
    }
    expect(solved).toEqual({ stepwise: 3, resident: 3 });
  });

  it('the GPU eigendecomposition (parallel Jacobi) reproduces C and agrees with the float64 twin', async () => {
    const obj = getObjective('rosenbrock', 12);
    const st = (await cmaEs.init({ dim: 12, bounds: null } as never, new Float64Array(12).fill(0.5), cmaEs.defaults(12, null))) as CmaEsState;
    const engine = (webgpu as Oracle & { engine: NonNullable<Oracle['engine']> }).engine;
    const session = await openCmaSession(engine, { objective: obj, dim: 12, bounds: null, seed: 1, generator: 'reference', fTarget: -Infinity, batch: 30 }, st);
    const out = await runSession(engine, session, 30, 0);
    session.close();
    expect(out.generations).toHaveLength(30);
    const n = 12;
    const r = st.run;
    expect(r.eigenGen).toBe(r.gen); // decomposed after the last generation (every generation at d = 12)
    let cmax = 0;
    let err = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += r.B[i * n + k] * r.D[k] * r.D[k] * r.B[j * n + k];
        cmax = Math.max(cmax, Math.abs(r.C[i * n + j]));
        err = Math.max(err, Math.abs(v - 0.5 * (r.C[i * n + j] + r.C[j * n + i])));
      }
    expect(err).toBeLessThan(2e-5 * cmax);
    // B orthonormal
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += r.B[k * n + a] * r.B[k * n + b];
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-4);
      }
    // eigenvalues against the float64 twin (cyclic Jacobi, src/methods/linalg.ts)
    const twin = symmetricEigen(r.C, n).values;
    const gpuVals = Array.from(r.D, (x) => x * x).sort((a, b) => a - b);
    twin.forEach((v, i) => expect(Math.abs(gpuVals[i] - v)).toBeLessThan(1e-4 * Math.max(...twin)));
  });

  it('reaches targets with one readback per batch (rastrigin d = 10 with IPOP restarts)', async () => {
    const r = await minimize('rastrigin', null, { dim: 10, method: 'cma-es', seed: 2, maxEvals: 1 << 16, oracle: webgpu, history: false });
    const g = r.info!.gpu as { readbacks: number; submissions: number; resident: boolean };
    const restarts = r.info!.restarts as number;
    expect(g.resident).toBe(true);
    // the bound: generations / 64 + restarts + 4 (a restart ends a batch early; the last,
    // partial generation the budget pays goes step by step)
    expect(g.readbacks).toBeLessThanOrEqual(Math.ceil(r.nit / 64) + restarts + 4);
    expect(r.nfev).toBeLessThanOrEqual(1 << 16);
    const s = await minimize('sphere', null, { dim: 5, method: 'cma-es', seed: 2, fTarget: 1e-6, oracle: webgpu, history: false });
    expect(s.status).toBe('target-reached');
    expect(s.fun).toBeLessThanOrEqual(1e-6);
  });

  it('populations past one workgroup (lambda = 3000): the rank pass orders them as step by step does', async () => {
    const opts = { method: 'cma-es', seed: 4, maxIter: 3, maxEvals: 1 << 20, history: true, params: { popsize: 3000 }, dim: 5 } as const;
    const [s, r] = [await minimize('rosenbrock', null, { ...opts, oracle: webgpu, resident: false }), await minimize('rosenbrock', null, { ...opts, oracle: webgpu, resident: true })];
    expect(r.info!.gpu).toMatchObject({ resident: true, readbacks: 1 });
    expect(r.nfev).toBe(s.nfev);
    // generation 1: the same 3000 samples, the same winner; the mean (from the mu = 1500 best, in
    // order) moves as the float64 twin's does, so sigma after it agrees to float32 accuracy
    expect(r.history[0].index).toBe(s.history[0].index);
    expect(Math.abs(r.history[0].radius - s.history[0].radius)).toBeLessThan(1e-5 * s.history[0].radius);
  });

  it('a 2^22-evaluation run at d = 10 (BIPOP up to lambda = 2560) makes at most generations / 64 + restarts + 4 readbacks', async () => {
    const r = await minimize('rastrigin', null, { dim: 10, method: 'cma-es', seed: 2, maxEvals: 2 ** 22, oracle: webgpu, history: false });
    const g = r.info!.gpu as { readbacks: number; resident: boolean };
    const restarts = r.info!.restarts as number;
    expect(r.nfev).toBe(2 ** 22);
    expect(restarts).toBeGreaterThan(20); // large populations: past 1024 from the 6th large-regime run on
    expect(g.readbacks).toBeLessThanOrEqual(Math.ceil(r.nit / 64) + restarts + 4);
  }, 400_000);

  it('bounds: every generation folds into the box as step by step does', async () => {
    const bounds: [number[], number[]] = [[-2, -1, -3], [3, 2, 1]];
    const r = await minimize('sphere', null, { dim: 3, method: 'cma-es', seed: 7, maxEvals: 6000, bounds, oracle: webgpu, history: true });
    expect(r.info!.gpu).toMatchObject({ resident: true });
    for (const h of r.history) expect(h.x.every((v, i) => v >= bounds[0][i] && v <= bounds[1][i])).toBe(true);
    expect(r.fun).toBeLessThan(1e-6);
  });

  it('the callback runs after every generation of a batch, also without history, and can stop the run mid-batch', async () => {
    let calls = 0;
    const r = await minimize('rastrigin', null, { dim: 4, method: 'cma-es', seed: 1, batch: 8, maxEvals: 1 << 14, oracle: webgpu, history: false, callback: ({ nit }) => (calls++, nit >= 16) });
    expect(r.status).toBe('callback-stop');
    expect(r.nit).toBe(16);
    expect(calls).toBe(16);
    expect(r.info!.gpu).toMatchObject({ resident: true });
  });

  it('float64 finish: a run whose values float32 cannot tell apart goes on with float64 evaluations', async () => {
    const f = exprObjective({ expr: 'sum(i=0..n-1, 1e7^(i/(n-1)) * (x[i] - 4.61 + 0.01*i)^2)', dim: 8, name: 'ellipsoid-f64' });
    const opts = { method: 'cma-es' as const, bounds: [-5, 5] as [number, number], seed: 1, maxEvals: 60000, fTarget: 1e-8, history: false, oracle: webgpu };
    const on = await minimize(f, null, opts);
    const off = await minimize(f, null, { ...opts, finish64: false });
    expect(on.status).toBe('target-reached');
    expect((on.info!.float64 as { steps: number }).steps).toBeGreaterThan(0); // EqualFunVals in float32 handed the run over
    expect(off.info!.float64).toBeUndefined();
    await expect(minimize(f, null, { ...opts, finish64: 1 as never })).rejects.toThrow(/finish64/);
  });

  it('options: resident and batch are checked; the CPU backend goes step by step', async () => {
    await expect(minimize('sphere', null, { dim: 2, method: 'cma-es', resident: 'yes' as never, backend: 'cpu' })).rejects.toThrow(BroxError);
    await expect(minimize('sphere', null, { dim: 2, method: 'cma-es', batch: 0, backend: 'cpu' })).rejects.toThrow(/batch/);
    const cpu = createCpuOracle();
    const r = await minimize('sphere', null, { dim: 2, method: 'cma-es', maxEvals: 500, oracle: cpu });
    expect(r.info!.gpu).toBeUndefined();
    // fTarget: null means no target (as bounds: null means no bounds)
    const n = await minimize('sphere', null, { dim: 2, method: 'random', maxEvals: 300, fTarget: null, oracle: cpu });
    expect(n.status).toBe('max-evals');
    cpu.destroy();
  });
});
