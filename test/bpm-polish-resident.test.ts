import { describe, expect, it } from 'vitest';
import { minimize } from '../src/methods/minimize';
import type { MinimizeResult } from '../src/methods/minimize-types';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { useGpuDevice } from './helpers';

// BPM's default steps resident on WebGPU (SwiftShader): polished whole-ball steps with learned
// shapes (shaders/methods/bpm-polish.wgsl, its Cholesky in shaders/math/cholesky.wgsl) and the
// mixed ball's coordinate steps, against step() in src/methods/bpm.ts on the same device.
// Tolerance: each accepted centre is the float32 point (resident) or the float64 regenerated one
// (step by step), and the shape is updated in float32 on the GPU: the same samples win (index for
// index) while float32 and float64 agree; radii agree to 1e-5 (measured: ~1e-7); f to 1e-4 (the
// polish rounds rank near-ties at their small radii in float32 on the GPU, in float64 step by
// step: measured up to 2e-5 relative).
describe('bpm polished steps resident (the default bpm)', () => {
  const gpu = useGpuDevice();
  let webgpu: Oracle;
  it('opens WebGPU', async () => {
    webgpu = await createOracle({ backend: 'webgpu', device: gpu().device });
  });

  const readbacks = (r: MinimizeResult) => (r.info!.gpu as { readbacks: number }).readbacks;
  const both = async (f: string, opts: Record<string, unknown>) => {
    const o = { method: 'bpm', history: true, oracle: webgpu, ...opts } as const;
    return [await minimize(f, null, { ...o, resident: false }), await minimize(f, null, { ...o, resident: true })] as const;
  };
  const samePath = (s: MinimizeResult, r: MinimizeResult) => {
    expect([r.status, r.nit, r.nfev]).toEqual([s.status, s.nit, s.nfev]);
    expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
    r.history.forEach((h, i) => {
      const e = s.history[i];
      expect(Math.abs(h.radius - e.radius), `radius ${i}`).toBeLessThanOrEqual(1e-5 * e.radius);
      expect(Math.abs(h.fun - e.fun), `f ${i}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(e.fun)));
    });
    expect(r.info!.gpu).toMatchObject({ resident: true });
  };

  it('defaults (mixed balls, learned shapes, a box): the step-by-step path in one readback after the first learned step', async () => {
    const [s, r] = await both('rastrigin', { seed: 5, maxIter: 12, maxEvals: 1 << 20, dim: 4, params: { certificate: false } });
    samePath(s, r);
    expect(r.history.filter((h) => h.improved).length).toBeGreaterThan(2);
    // step 0 learns the first shape step by step (topk + 10 polish rounds: 11 readbacks), then one batch
    expect(readbacks(r)).toBe(12);
    expect(readbacks(s)).toBe(6 * 11 + 6);
  });

  it('no learned shape, a whole ball: resident from the first step; geometric and constant schedules too', async () => {
    for (const params of [{ ball: 'l2', shape: 'none' }, { ball: 'linf', shape: 'none', schedule: 'geometric', decay: 0.7 }, { ball: 'l2', shape: 'none', schedule: 'constant', restarts: false }]) {
      const [s, r] = await both('ackley', { seed: 3, maxIter: 8, maxEvals: 1 << 20, dim: 3, params: { ...params, samples: 256, polishSamples: 128, polish: 4, certificate: false } });
      samePath(s, r);
      expect(readbacks(r), JSON.stringify(params)).toBe(1);
    }
  });

  it('radius sweeps restart on the GPU (mixed ball) and on the host (whole ball): the same restarts and path', async () => {
    for (const ball of ['mixed', 'l2']) {
      const params = { ball, samples: 256, polishSamples: 64, polish: 3, subSamples: 64, minRatio: 0.05, shrinkBy: 0.5, certificate: false };
      const [s, r] = await both('ackley', { seed: 8, maxIter: 60, maxEvals: 1 << 22, dim: 3, params });
      samePath(s, r);
      expect(r.info!.restarts, ball).toBe(s.info!.restarts);
      expect(s.info!.restarts as number, ball).toBeGreaterThan(1);
      // mixed: restarts stay on the GPU; a whole ball's restart reopens its session (a readback each)
      expect(readbacks(r), ball).toBeLessThanOrEqual(ball === 'mixed' ? 12 : (r.info!.restarts as number) + 13);
      expect(readbacks(r) * 3, ball).toBeLessThan(readbacks(s));
    }
  });

  it('the target stops the run on the GPU as step by step (status, step, evaluations)', async () => {
    const [s, r] = await both('rastrigin', { seed: 2, maxEvals: 1 << 20, fTarget: 1e-3, dim: 3, params: { certificate: false } });
    expect(s.status).toBe('target-reached');
    expect(s.nit).toBeGreaterThan(4);
    samePath(s, r);
  });

  it('a callback stop mid-batch leaves the run where it stopped (x, radius, restarts, certificate as step by step)', async () => {
    for (const stopAt of [5, 6]) { // after a whole-ball step, after a coordinate step
      const [s, r] = await both('rastrigin', { seed: 4, maxEvals: 1 << 20, dim: 3, history: false, callback: (st: { nit: number }) => st.nit >= stopAt });
      expect([r.status, r.nit, r.nfev]).toEqual(['callback-stop', stopAt, s.nfev]);
      const { gpu: _g, ...ri } = r.info!;
      const { gpu: _s, ...si } = s.info!;
      expect(Object.keys(ri).sort()).toEqual(Object.keys(si).sort());
      expect(ri.finalRadius).toBeCloseTo(si.finalRadius as number, 5);
      expect(ri.restarts).toBe(si.restarts);
      r.x.forEach((v, i) => expect(Math.abs(v - s.x[i])).toBeLessThan(1e-5));
    }
  });

  it('where float32 cannot tell the polished point from the centre, the run goes on step by step from that step and walks downhill', async () => {
    // f = 1e8 + |x - c|^2: float32 resolves 8 near 1e8, so the polish rounds tie on the GPU
    const { exprObjective } = await import('../src/expr/index');
    const f = exprObjective({ expr: '1e8 + (x[0] - 0.3)^2 + (x[1] + 0.2)^2', dim: 2, name: 'offset-bowl' });
    const opts = { method: 'bpm', seed: 2, maxIter: 10, bounds: null, params: { ball: 'l2', shape: 'none', samples: 128, polishSamples: 64, polish: 3, restarts: false, certificate: false }, history: true, oracle: webgpu } as const;
    const [s, r] = [await minimize(f, [2, 2], { ...opts, resident: false }), await minimize(f, [2, 2], { ...opts, resident: true })];
    // step 0 moved on the GPU (float32 sees 1e8 + 8 -> 1e8) and float64 agreed; step 1 tied in
    // float32: from there step by step (float64 re-checks of each polish round), as `s` throughout
    expect(r.history[0].index).toBe(s.history[0].index);
    expect(r.info!.gpu).toMatchObject({ resident: true });
    expect((r.info!.gpu as { readbacks: number }).readbacks).toBeGreaterThan(9 * 2);
    for (const run of [s, r]) {
      expect(run.history.filter((h) => h.improved).length).toBeGreaterThan(3);
      expect(run.fun - 1e8).toBeLessThan(1.5); // from f(x0) = 1e8 + 7.7
    }
  });

  it('plain steps in a full M-norm ball inside a box: resident (round 0 checks the fold against its own ball), the step-by-step path', async () => {
    const ball = { kind: 'mnorm', M: [[2, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 1.5]] };
    const [s, r] = await both('rastrigin', { seed: 6, maxIter: 20, maxEvals: 1 << 20, dim: 3, params: { ball, polish: 0, samples: 512, schedule: 'geometric', decay: 0.8, certificate: false } });
    expect([r.status, r.nit, r.nfev]).toEqual([s.status, s.nit, s.nfev]);
    expect(r.history.map((h) => h.index)).toEqual(s.history.map((h) => h.index));
    expect(r.history.filter((h) => h.improved).length).toBeGreaterThan(2);
    expect(r.info!.gpu).toMatchObject({ resident: true, readbacks: 1 });
  });

  it('runs: 3 — each run is its seed alone, and the runs share each batch', async () => {
    const opts = { method: 'bpm', seed: 21, maxIter: 9, maxEvals: 1 << 20, dim: 3, oracle: webgpu, history: false, params: { certificate: false } } as const;
    const many = await minimize('levy', null, { ...opts, runs: 3, resident: true });
    for (let i = 0; i < 3; i++) {
      const one = await minimize('levy', null, { ...opts, seed: 21 + i, resident: true });
      expect([many.runs![i].nit, many.runs![i].nfev, many.runs![i].fun]).toEqual([one.nit, one.nfev, one.fun]);
    }
    // three first learned steps step by step (11 readbacks each), then the runs' batches together
    expect(readbacks(many)).toBe(3 * 11 + 1);
  });
});
