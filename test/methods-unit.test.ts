import { describe, expect, it } from 'vitest';
import { BroxError } from '../src/errors';
import { annealed } from '../src/methods/annealed';
import { cem } from '../src/methods/cem';
import { cmaEs, strategy } from '../src/methods/cma-es';
import { matVec, symmetricEigen } from '../src/methods/linalg';
import { randomSearch, samplingCube } from '../src/methods/random';
import type { Method, MethodContext, StepReport } from '../src/methods/types';
import type { Objective } from '../src/objectives/types';
import type { BroxResult, MomentsResult, TopkResult } from '../src/oracle/types';
import { fold } from '../src/samplers/bounds';
import type { Bounds, SamplerSpec } from '../src/samplers/types';

/**
 * Unit tests of the population methods against a plain-TS fake of the engine (seeded samples,
 * folding into the bounds as the engine does), before and independently of the real oracles.
 */

type Fn = (x: ArrayLike<number>) => number;

/** mulberry32, as in test/helpers.ts (copied: that module pulls in the GPU stack). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sphere: Fn = (x) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
};
/** Ill-conditioned ellipsoid, condition 1e6 (the tutorial's f_elli). */
const ellipsoid: Fn = (x) => {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += 10 ** ((6 * i) / (n - 1)) * x[i] * x[i];
  return s;
};
const rastrigin: Fn = (x) => {
  let s = 10 * x.length;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i] - 10 * Math.cos(2 * Math.PI * x[i]);
  return s;
};
const rosenbrock: Fn = (x) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};

interface Fake extends MethodContext {
  used: number;
  calls: number;
}

/** A MethodContext over f with seeded Gaussian/uniform samples; throws when a call exceeds the budget. */
function fakeContext(f: Fn, dim: number, bounds: Bounds | null, seed: number, maxEvals = Infinity): Fake {
  const rnd = mulberry32(seed);
  const host = mulberry32(seed ^ 0x9e3779b9);
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - rnd();
    const v = rnd();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const offset = (ball: SamplerSpec | undefined): number[] => {
    const spec = (typeof ball === 'string' ? { kind: ball } : ball ?? { kind: 'l2' }) as { kind: string; diag?: ArrayLike<number>; factor?: ArrayLike<ArrayLike<number>> };
    const z = Array.from({ length: dim }, normal);
    if (spec.kind === 'gaussian') {
      if (spec.diag) return z.map((v, i) => v * spec.diag![i]);
      if (spec.factor) return Array.from({ length: dim }, (_, i) => z.reduce((s, v, j) => s + spec.factor![i][j] * v, 0));
      return z;
    }
    if (spec.kind === 'linf') return z.map(() => 2 * rnd() - 1);
    if (spec.kind === 'l2') {
      const n = Math.hypot(...z);
      const r = rnd() ** (1 / dim);
      return z.map((v) => (v / n) * r);
    }
    throw new Error(`fake context: ball ${spec.kind} not faked`);
  };
  const spend = (n: number): void => {
    if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`fake context: bad sample count ${n}`);
    if (ctx.used + n > maxEvals) throw new Error(`budget exceeded: ${ctx.used} + ${n} > ${maxEvals}`);
    ctx.used += n;
    ctx.calls++;
  };
  const population = (center: ArrayLike<number>, t: number, ball: SamplerSpec | undefined, samples: number): { x: number[]; f: number }[] => {
    spend(samples);
    const out: { x: number[]; f: number }[] = [];
    for (let s = 0; s < samples; s++) {
      const o = offset(ball);
      const x = o.map((v, i) => center[i] + t * v);
      if (bounds) for (let i = 0; i < dim; i++) x[i] = fold(x[i], bounds.lo[i], bounds.hi[i]);
      out.push({ x, f: f(x) });
    }
    return out;
  };
  const ctx: Fake = {
    objective: { name: 'fake', dim, wgsl: '', js: f } as Objective,
    dim,
    bounds,
    seed,
    generator: 'reference',
    fTarget: -Infinity,
    oracle: null as never,
    used: 0,
    calls: 0,
    evalsLeft: () => maxEvals - ctx.used,
    random: host,
    async brox(x, t, opts): Promise<BroxResult> {
      const pop = population(x, t, opts.ball, opts.samples);
      const fc = f(x);
      ctx.used++;
      let bi = -1;
      for (let i = 0; i < pop.length; i++) if (pop[i].f < (bi < 0 ? fc : pop[bi].f)) bi = i;
      return { x: bi < 0 ? Array.from(x) : pop[bi].x, fun: bi < 0 ? fc : pop[bi].f, funCenter: fc, nfev: opts.samples + 1, index: bi, round: 0, improved: bi >= 0, backend: 'cpu', ms: 0 };
    },
    async topk(center, t, opts): Promise<TopkResult> {
      if (!(opts.k >= 1 && opts.k <= Math.min(opts.samples, 4096))) throw new Error(`fake context: k = ${opts.k} out of range`);
      const pop = population(center, t, opts.ball, opts.samples).map((p, i) => ({ ...p, i }));
      pop.sort((a, b) => (a.f === b.f ? a.i - b.i : Number.isNaN(a.f) ? 1 : Number.isNaN(b.f) ? -1 : a.f - b.f));
      const top = pop.slice(0, opts.k);
      return { points: top.map((p) => p.x), values: top.map((p) => p.f), indices: top.map((p) => p.i), nfev: opts.samples, backend: 'cpu', ms: 0 };
    },
    async moments(center, t, opts): Promise<MomentsResult> {
      // The engine evaluates every sample twice (statistics pass, then weights pass): nfev = 2N.
      spend(opts.samples);
      const pop = population(center, t, opts.ball, opts.samples);
      const fin = pop.filter((p) => Number.isFinite(p.f));
      const fmin = Math.min(...fin.map((p) => p.f));
      const fmean = fin.reduce((s, p) => s + p.f, 0) / fin.length;
      const fstd = Math.sqrt(fin.reduce((s, p) => s + (p.f - fmean) ** 2, 0) / fin.length);
      const tau = typeof opts.temperature === 'number' ? opts.temperature : opts.temperature.relative * fstd;
      const w = fin.map((p) => (tau > 0 ? Math.exp(-(p.f - fmin) / tau) : p.f === fmin ? 1 : 0));
      const W = w.reduce((a, b) => a + b, 0);
      const mean = new Array<number>(dim).fill(0);
      fin.forEach((p, i) => p.x.forEach((v, j) => (mean[j] += (w[i] / W) * v)));
      let bi = 0;
      for (let i = 1; i < pop.length; i++) if (pop[i].f < pop[bi].f) bi = i;
      const fc = f(center);
      return { mean, second: null, fractionBelowCenter: pop.filter((p) => p.f < fc).length / pop.length, fmin, fmean, fstd, bestIndex: bi, best: pop[bi].x, bestFun: pop[bi].f, tau, ess: W ** 2 / w.reduce((a, b) => a + b * b, 0), nfev: 2 * opts.samples, backend: 'cpu', ms: 0 };
    },
    async evaluate(points) {
      spend(points.length);
      return Array.from(points, (p) => f(p));
    },
  };
  return ctx;
}

interface Run {
  fun: number;
  x: number[];
  nfev: number;
  steps: number;
  stop?: StepReport['stop'];
  last: StepReport;
  /** Evaluations when f first reached the target (Infinity if never). */
  evalsToTarget: number;
}

/** A minimal driver: steps until the method stops, the budget ends, or f <= target; checks nfev honesty. */
async function drive<P, S>(m: Method<P, S>, ctx: Fake, x0: number[], opts: { params?: Record<string, unknown>; target?: number; maxSteps?: number } = {}): Promise<Run> {
  const d = m.defaults(ctx.dim, ctx.bounds);
  const p = m.params ? m.params(opts.params ?? {}, d) : d;
  const st = await m.init(ctx, Float64Array.from(x0), p);
  let nfev = 0;
  let rep: StepReport | null = null;
  let evalsToTarget = Infinity;
  let k = 0;
  const maxSteps = opts.maxSteps ?? 1e7;
  for (; k < maxSteps; k++) {
    if (ctx.evalsLeft() <= 0) break;
    const before = ctx.used;
    rep = await m.step(ctx, st, k);
    expect(rep.nfev).toBe(ctx.used - before);
    nfev += rep.nfev;
    expect(rep.radius).toBeGreaterThan(0);
    if (opts.target !== undefined && rep.fun <= opts.target && evalsToTarget === Infinity) {
      evalsToTarget = nfev;
      k++;
      break;
    }
    if (rep.stop) {
      k++;
      break;
    }
  }
  expect(nfev).toBe(ctx.used);
  return { fun: rep!.fun, x: Array.from(rep!.x), nfev, steps: k, stop: rep!.stop, last: rep!, evalsToTarget };
}

const box = (d: number, lo: number, hi: number): Bounds => ({ lo: new Float64Array(d).fill(lo), hi: new Float64Array(d).fill(hi) });
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];
const log = (...a: unknown[]): void => console.log('[methods-unit]', ...a);

describe('linalg: symmetric Jacobi eigensolver', () => {
  it('decomposes random symmetric matrices to rounding (A v = lambda v, V orthonormal)', () => {
    const rnd = mulberry32(11);
    for (const d of [1, 2, 5, 13, 30]) {
      const A = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) A[i * d + j] = A[j * d + i] = 2 * rnd() - 1;
      const { values, vectors } = symmetricEigen(A, d);
      for (let k = 1; k < d; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
      for (let k = 0; k < d; k++) {
        const v = Array.from({ length: d }, (_, i) => vectors[i * d + k]);
        const Av = matVec(A, v, d);
        for (let i = 0; i < d; i++) expect(Math.abs(Av[i] - values[k] * v[i])).toBeLessThan(1e-12);
        for (let l = 0; l < d; l++) {
          let dot = 0;
          for (let i = 0; i < d; i++) dot += v[i] * vectors[i * d + l];
          expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('keeps tiny eigenvalues of an ill-conditioned matrix (relative accuracy)', () => {
    const d = 6;
    // Q diag(10^-k) Q^T with Q a rotation from Householder: eigenvalues 1 .. 1e-10.
    const u = [1, 2, -1, 0.5, 3, -2];
    const nu = Math.hypot(...u);
    const Q = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Q[i * d + j] = (i === j ? 1 : 0) - (2 * u[i] * u[j]) / (nu * nu);
    const lam = [1, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10];
    const A = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) A[i * d + j] += Q[i * d + k] * lam[k] * Q[j * d + k];
    const { values } = symmetricEigen(A, d);
    const want = [...lam].sort((a, b) => a - b);
    for (let k = 0; k < d; k++) expect(Math.abs(values[k] - want[k])).toBeLessThan(1e-15);
  });
});

describe('cma-es', () => {
  it('strategy parameters are the tutorial defaults (n = 10: lambda 10, mu 5, mu_eff 3.1673)', () => {
    const s = strategy(10, 4 + Math.floor(3 * Math.log(10)));
    expect(s.lambda).toBe(10);
    expect(s.mu).toBe(5);
    expect(s.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    // w'_i = ln 5.5 - ln i (i <= 5): (sum w')^2 / sum w'^2 = 3.73625^2 / 4.40740 = 3.16730 (by hand).
    expect(s.mueff).toBeCloseTo(3.1673, 4);
    expect(s.cs).toBeCloseTo((3.1673 + 2) / (10 + 3.1673 + 5), 4);
    expect(s.c1).toBeCloseTo(2 / (11.3 ** 2 + 3.1673), 5);
    expect(s.chiN).toBeCloseTo(3.0847, 4); // E||N(0, I_10)|| = sqrt(2) Gamma(5.5) / Gamma(5)
    expect(cmaEs.defaults(10, null).popsize).toBe(10);
    expect(cmaEs.defaults(5, box(5, -5.12, 5.12)).sigma0).toBeCloseTo(0.3 * 10.24, 12);
  });

  it('sphere d = 10: reaches 1e-8 in a few thousand evaluations (tutorial: ~1500-2000)', async () => {
    const counts: number[] = [];
    for (const seed of [1, 2, 3]) {
      const ctx = fakeContext(sphere, 10, null, seed, 1e5);
      const r = await drive(cmaEs, ctx, new Array(10).fill(1), { target: 1e-8, params: { sigma0: 0.5, restarts: false } });
      counts.push(r.evalsToTarget);
    }
    log('cma-es sphere d=10 evals to 1e-8:', counts);
    for (const c of counts) expect(c).toBeLessThan(2000);
  });

  it('ellipsoid d = 10 (condition 1e6): learns the covariance and reaches 1e-8', async () => {
    const counts: number[] = [];
    for (const seed of [1, 2, 3]) {
      const ctx = fakeContext(ellipsoid, 10, null, seed, 1e5);
      const r = await drive(cmaEs, ctx, new Array(10).fill(1), { target: 1e-8, params: { sigma0: 0.5, restarts: false } });
      counts.push(r.evalsToTarget);
    }
    log('cma-es ellipsoid d=10 evals to 1e-8:', counts);
    // Hansen's tutorial / pycma: about 6000-7000 evaluations at n = 10.
    for (const c of counts) expect(c).toBeLessThan(9000);
  });

  it('rosenbrock d = 10 reaches 1e-8 (needs the rank-one path and sigma control)', async () => {
    const ctx = fakeContext(rosenbrock, 10, null, 5, 1e5);
    const r = await drive(cmaEs, ctx, new Array(10).fill(0), { target: 1e-8, params: { sigma0: 0.5, restarts: false } });
    log('cma-es rosenbrock d=10 evals to 1e-8:', r.evalsToTarget);
    expect(r.evalsToTarget).toBeLessThan(12000);
  });

  it('rastrigin d = 5 with restarts (BIPOP by default): global minimum within 1e6 evaluations for most seeds', async () => {
    const d = 5;
    const b = box(d, -5.12, 5.12);
    let solved = 0;
    const used: number[] = [];
    const seeds = [1, 2, 3, 4, 5];
    for (const seed of seeds) {
      const start = mulberry32(seed + 100);
      const x0 = Array.from({ length: d }, () => -5.12 + 10.24 * start());
      const ctx = fakeContext(rastrigin, d, b, seed, 1e6);
      const r = await drive(cmaEs, ctx, x0, { target: 1e-8 });
      used.push(r.evalsToTarget);
      if (r.fun <= 1e-8) solved++;
      for (const v of r.x) expect(v >= -5.12 && v <= 5.12).toBe(true);
    }
    log(`cma-es restarts rastrigin d=5: ${solved}/${seeds.length} solved to 1e-8, evals:`, used);
    expect(solved).toBeGreaterThanOrEqual(4);
  });

  it('without restarts stops with "converged" at a local minimum of rastrigin; with restarts keeps going', async () => {
    const d = 5;
    const b = box(d, -5.12, 5.12);
    const noRestart = await drive(cmaEs, fakeContext(rastrigin, d, b, 7, 1e6), new Array(d).fill(3), { params: { restarts: false } });
    expect(noRestart.stop).toBe('converged');
    expect(noRestart.nfev).toBeLessThan(1e5);
    const withRestart = await drive(cmaEs, fakeContext(rastrigin, d, b, 7, 3e4), new Array(d).fill(3));
    expect(withRestart.last.info?.restarts as number).toBeGreaterThan(0);
    expect(withRestart.nfev).toBe(3e4); // the budget was spent to the last evaluation
    expect(withRestart.fun).toBeLessThanOrEqual(noRestart.fun);
  });

  it("restartStrategy 'bipop' (default): small-population runs interleaved, spending at most what the large runs spent (Hansen 2009)", async () => {
    const d = 5;
    const b = box(d, -5.12, 5.12);
    const r = await drive(cmaEs, fakeContext(rastrigin, d, b, 4, 3e5), new Array(d).fill(3));
    const info = r.last.info as { runStops: string[]; evalsLarge: number; evalsSmall: number };
    const small = info.runStops.filter((s) => / small: /.test(s)).map((s) => Number(/lambda=(\d+)/.exec(s)![1]));
    const large = info.runStops.filter((s) => / large: /.test(s)).map((s) => Number(/lambda=(\d+)/.exec(s)![1]));
    log('cma-es bipop rastrigin d=5 runs:', info.runStops.length, 'small lambdas', small, 'large', large);
    expect(small.length).toBeGreaterThan(0);
    expect(large.slice(0, 4)).toEqual([8, 16, 32, 64].slice(0, Math.min(4, large.length))); // IPOP doubling of the large runs
    for (const l of small) expect(l).toBeGreaterThanOrEqual(8); // lambda_def (lambda_l / 2 lambda_def)^(U^2) >= lambda_def
    // a small run starts only while the small runs spent less than the large ones (first run not counted),
    // and spends at most half the last large run's evaluations
    expect(info.evalsSmall).toBeGreaterThan(0);
    expect(info.evalsSmall).toBeLessThanOrEqual(1.5 * info.evalsLarge);
    expect(r.nfev).toBe(3e5);
  });

  it("restartStrategy 'ipop': every restart doubles the population, no small runs", async () => {
    const d = 5;
    const r = await drive(cmaEs, fakeContext(rastrigin, d, box(d, -5.12, 5.12), 4, 2e5), new Array(d).fill(3), { params: { restartStrategy: 'ipop' } });
    const stops = (r.last.info as { runStops: string[] }).runStops;
    const lambdas = stops.map((s) => Number(/lambda=(\d+)/.exec(s)![1]));
    expect(lambdas.length).toBeGreaterThan(1);
    lambdas.forEach((l, i) => expect(l).toBe(8 * 2 ** i));
    expect(() => cmaEs.params!({ restartStrategy: 'bipopp' }, cmaEs.defaults(d, null))).toThrow(/params\.restartStrategy/);
  });

  it('a run ends on MaxIter, 100 + 50 (n + 3)^2 / sqrt(lambda) generations (the per-run cap of Hansen 2009)', async () => {
    // sphere with the value/step tolerances off: the run would go on until sigma underflows
    const r = await drive(cmaEs, fakeContext(sphere, 2, null, 1, 1e6), [1, 1], { params: { restarts: false, tolFun: 0, tolX: 0, sigma0: 1 } });
    expect(r.stop).toBe('converged');
    expect((r.last.info as { runStops: string[] }).runStops).toEqual(['lambda=6 large: maxiter']);
    expect(r.nfev).toBe(6 * Math.ceil(100 + (50 * 25) / Math.sqrt(6)));
  });

  it('a state the sampler cannot draw from (non-finite covariance) ends the run and restarts, never an error or a NaN', async () => {
    const d = 4;
    const ctx = fakeContext(rastrigin, d, box(d, -5, 5), 2, 5e4);
    const p = cmaEs.params!({}, cmaEs.defaults(d, ctx.bounds));
    const st = await cmaEs.init(ctx, Float64Array.from([1, 1, 1, 1]), p);
    await cmaEs.step(ctx, st, 0);
    st.run.C[1] = st.run.C[d] = Infinity; // as an overflow would leave it
    st.run.eigenGen = -1e9; // decomposed at the next step
    const rep = await cmaEs.step(ctx, st, 1);
    expect(rep.nfev).toBe(0);
    expect(st.runStops[0]).toMatch(/numeric/);
    expect(st.restarts).toBe(1);
    for (let k = 2; k < 50; k++) {
      const next = await cmaEs.step(ctx, st, k);
      expect(Number.isFinite(next.fun)).toBe(true);
      for (const v of Array.from(next.x)) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('never exceeds the budget, shrinks the last generation, and is deterministic per seed', async () => {
    const b = box(3, -2, 2);
    const a = await drive(cmaEs, fakeContext(rastrigin, 3, b, 3, 1237), [1, 1, 1]);
    const c = await drive(cmaEs, fakeContext(rastrigin, 3, b, 3, 1237), [1, 1, 1]);
    expect(a.nfev).toBe(1237);
    expect(c.fun).toBe(a.fun);
    expect(c.x).toEqual(a.x);
  });

  it('validates its parameters, naming them', () => {
    const d = cmaEs.defaults(4, null);
    expect(() => cmaEs.params!({ sigma0: -1 }, d)).toThrow(/params\.sigma0/);
    expect(() => cmaEs.params!({ popsize: 1.5 }, d)).toThrow(BroxError);
    expect(() => cmaEs.params!({ popsize: 1 }, d)).toThrow(/params\.popsize/);
    expect(() => cmaEs.params!({ restarts: 'yes' }, d)).toThrow(/params\.restarts/);
    expect(() => cmaEs.params!({ sigma: 1 }, d)).toThrow(/params\.sigma/);
    expect(cmaEs.params!({ popsize: 20 }, d).popsize).toBe(20);
    expect(cmaEs.params!({ samples: 24 }, d).popsize).toBe(24);
    expect(() => cmaEs.params!({ samples: 24, popsize: 20 }, d)).toThrow(/params\.samples/);
  });
});

describe('cem', () => {
  it('sphere d = 10: converges to 1e-8 and restarts after its deviations collapse', async () => {
    const ctx = fakeContext(sphere, 10, box(10, -5, 5), 1, 3e5);
    const r = await drive(cem, ctx, new Array(10).fill(3), { target: 1e-8 });
    log('cem sphere d=10 evals to 1e-8:', r.evalsToTarget);
    expect(r.evalsToTarget).toBeLessThan(2e5);
  });

  for (const d of [2, 5]) {
    it(`rastrigin d = ${d}: global minimum (gap <= 1e-3) for most seeds within 1e6 evaluations`, async () => {
      const b = box(d, -5.12, 5.12);
      let solved = 0;
      const used: number[] = [];
      const seeds = [1, 2, 3, 4, 5];
      for (const seed of seeds) {
        const start = mulberry32(seed + 200);
        const x0 = Array.from({ length: d }, () => -5.12 + 10.24 * start());
        const r = await drive(cem, fakeContext(rastrigin, d, b, seed, 1e6), x0, { target: 1e-3 });
        used.push(r.evalsToTarget);
        if (r.fun <= 1e-3) solved++;
      }
      log(`cem rastrigin d=${d}: ${solved}/${seeds.length}, evals to 1e-3:`, used);
      expect(solved).toBeGreaterThanOrEqual(4);
    });
  }

  it('budget, determinism and parameter checks', async () => {
    const b = box(2, -1, 3);
    const a = await drive(cem, fakeContext(sphere, 2, b, 9, 2345), [2, 2]);
    const c = await drive(cem, fakeContext(sphere, 2, b, 9, 2345), [2, 2]);
    expect(a.nfev).toBe(2345);
    expect(c.x).toEqual(a.x);
    const d = cem.defaults(2, b);
    expect(d.sigma0).toEqual([2, 2]);
    expect(() => cem.params!({ rho: 0 }, d)).toThrow(/params\.rho/);
    expect(() => cem.params!({ alpha: 1.5 }, d)).toThrow(/params\.alpha/);
    expect(() => cem.params!({ samples: 1e6, rho: 0.5 }, d)).toThrow(/params\.rho/);
    expect(() => cem.params!({ sigma0: [1, -1] }, d)).toThrow(/params\.sigma0\[1\]/);
  });
});

describe('annealed (DIDA-style)', () => {
  it('sphere d = 10: the anneal drives the mean to the minimiser', async () => {
    const ctx = fakeContext(sphere, 10, box(10, -5, 5), 1, 1e6);
    const r = await drive(annealed, ctx, new Array(10).fill(3), { params: { restarts: false } });
    log('annealed sphere d=10 final f:', r.fun, 'evals', r.nfev, 'stop', r.stop);
    expect(r.stop).toBe('converged');
    expect(r.fun).toBeLessThan(1e-6);
  });

  for (const d of [2, 5]) {
    it(`rastrigin d = ${d}: global minimum (gap <= 1e-3) for most seeds within 1e6 evaluations`, async () => {
      const b = box(d, -5.12, 5.12);
      let solved = 0;
      const fs: number[] = [];
      const seeds = [1, 2, 3, 4, 5];
      for (const seed of seeds) {
        const start = mulberry32(seed + 300);
        const x0 = Array.from({ length: d }, () => -5.12 + 10.24 * start());
        const r = await drive(annealed, fakeContext(rastrigin, d, b, seed, 1e6), x0, { target: 1e-3 });
        fs.push(r.fun);
        if (r.fun <= 1e-3) solved++;
      }
      log(`annealed rastrigin d=${d}: ${solved}/${seeds.length}, best f:`, fs);
      expect(solved).toBeGreaterThanOrEqual(4);
    });
  }

  it('plans the anneal from the budget: sigma falls from sigma0 to sigmaMin, spending exactly the budget', async () => {
    const ctx = fakeContext(sphere, 3, box(3, -1, 1), 4, 100 * 2 * 1024 + 1);
    const radii: number[] = [];
    const m = { ...annealed, step: async (c: MethodContext, s: Parameters<typeof annealed.step>[1], k: number) => {
      const r = await annealed.step(c, s, k);
      radii.push(r.radius);
      return r;
    } };
    const r = await drive(m, ctx, [0.5, 0.5, 0.5], { params: { restarts: false } });
    const p = annealed.defaults(3, box(3, -1, 1));
    expect(radii.length).toBe(100);
    expect(radii[0]).toBeCloseTo(p.sigma0, 12);
    expect(radii[99]).toBeCloseTo(p.sigmaMin, 12);
    for (let i = 1; i < radii.length; i++) expect(radii[i]).toBeLessThan(radii[i - 1]);
    expect(r.nfev).toBe(100 * 2 * 1024 + 1);
    expect(r.stop).toBe('converged');
  });

  it('parameter checks', () => {
    const d = annealed.defaults(2, null);
    expect(() => annealed.params!({ sigmaMin: 2 * d.sigma0 }, d)).toThrow(/params\.sigmaMin/);
    expect(() => annealed.params!({ samples: 1 }, d)).toThrow(/params\.samples/);
    expect(() => annealed.params!({ lambda0: 0 }, d)).toThrow(/params\.lambda0/);
  });
});

describe('random search', () => {
  it('refuses to run without bounds', () => {
    const ctx = fakeContext(sphere, 2, null, 1, 100);
    expect(() => randomSearch.init(ctx, new Float64Array(2), randomSearch.defaults(2, null))).toThrow(/^bounds:/);
  });

  it('samples the box uniformly: exactly for cubes, within the documented factor otherwise', async () => {
    expect(samplingCube(box(3, -1, 2), 101)).toMatchObject({ T: 1.5, exact: true });
    expect(samplingCube({ lo: Float64Array.of(0, 0), hi: Float64Array.of(3, 1) }, 101)).toMatchObject({ T: 1.5, exact: true }); // ratio 3 is odd
    const odd = samplingCube({ lo: Float64Array.of(0, 0), hi: Float64Array.of(2, 1) }, 101);
    expect(odd.exact).toBe(false);
    expect(odd.T).toBe(101);
    // Histogram of the second coordinate (width 1, h = 0.5, T / h = 202) folded from U[c - T, c + T].
    const rnd = mulberry32(5);
    const bins = new Array(10).fill(0);
    const n = 2e6;
    for (let i = 0; i < n; i++) {
      const v = fold(0.5 + odd.T * (2 * rnd() - 1), 0, 1);
      bins[Math.min(9, Math.floor(v * 10))]++;
    }
    const ratio = Math.max(...bins) / Math.min(...bins);
    expect(ratio).toBeLessThan(1.02);
    // The mapping is exact on a cube: the same test with T = h.
    const cube = new Array(10).fill(0);
    for (let i = 0; i < n; i++) cube[Math.min(9, Math.floor(fold(0.5 + 0.5 * (2 * rnd() - 1), 0, 1) * 10))]++;
    expect(Math.max(...cube) / Math.min(...cube)).toBeLessThan(1.01);
  });

  it('finds the best of its samples, within budget; every sample in the box', async () => {
    const b: Bounds = { lo: Float64Array.of(-1, -3), hi: Float64Array.of(2, 1) };
    const ctx = fakeContext(sphere, 2, b, 2, 100000 + 17);
    const r = await drive(randomSearch, ctx, [1, 1], { params: { samples: 4096 } });
    expect(r.nfev).toBe(100017);
    // E[min of N uniform samples of |x|^2 in a box of area 12] ~ 12 / (pi N) ~ 4e-5.
    expect(r.fun).toBeLessThan(1e-3);
    expect(r.x[0] >= -1 && r.x[0] <= 2 && r.x[1] >= -3 && r.x[1] <= 1).toBe(true);
    expect(() => randomSearch.params!({ oversize: 4 }, randomSearch.defaults(2, b))).toThrow(/params\.oversize/);
  });
});

describe('all four methods on rastrigin d = 5 at 3e5 evaluations (summary)', () => {
  it('reports the median gap per method (information; the per-method tests hold the assertions)', async () => {
    const d = 5;
    const b = box(d, -5.12, 5.12);
    const rows: string[] = [];
    for (const [name, m] of [['cma-es', cmaEs], ['cem', cem], ['annealed', annealed], ['random', randomSearch]] as const) {
      const gaps: number[] = [];
      for (const seed of [11, 12, 13]) {
        const start = mulberry32(seed);
        const x0 = Array.from({ length: d }, () => -5.12 + 10.24 * start());
        const r = await drive(m as Method<unknown, unknown>, fakeContext(rastrigin, d, b, seed, 3e5), x0, { target: 1e-3 });
        gaps.push(r.fun);
      }
      rows.push(`${name}: median gap ${median(gaps).toExponential(2)} (${gaps.map((g) => g.toExponential(1)).join(', ')})`);
    }
    log('\n' + rows.join('\n'));
    expect(rows.length).toBe(4);
  });
});

describe('bpm: coordinate orders', () => {
  it('each order is a permutation of 0..d-1, a pure function of (key, shuffle): the resident form lays a batch out ahead', async () => {
    const { coordOrder, nextCoord } = await import('../src/methods/bpm');
    const a = coordOrder(12345, 0, 7);
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(coordOrder(12345, 0, 7)).toEqual(a);
    const orders = Array.from({ length: 20 }, (_, n) => coordOrder(12345, n, 7).join());
    expect(new Set(orders).size).toBeGreaterThan(15); // 7! = 5040 orders: 20 draws nearly all distinct
    // the cursor: every coordinate once per order; a copy planned ahead gives what the run then takes
    const run = { order: [] as number[], pos: 0, shuffles: 0, orderKey: 99 };
    const plan = { ...run, order: [] as number[] };
    const ahead = Array.from({ length: 17 }, () => nextCoord(plan, 5));
    const taken = Array.from({ length: 17 }, () => nextCoord(run, 5));
    expect(taken).toEqual(ahead);
    for (let i = 0; i < 15; i += 5) expect([...taken.slice(i, i + 5)].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
