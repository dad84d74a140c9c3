// The three experiments of `npm run bench:claims`, each on a given oracle (the CPU backend by
// default: deterministic for a seed, whatever the thread count). Every BPM run here is the direct
// form `bpm(objective, x0, { radius, samples, seed, maxIter, oracle })` with a constant radius (the
// papers' setting), the l2 ball and no bounds, so what is measured is the method the papers analyse
// with the one approximation brox makes: the ball minimiser replaced by the best of N uniform samples.
import { bpm, exprObjective, getObjective, type BpmResult, type Objective, type Oracle } from '../../src/internal';
import type { DistanceCase, DistanceRow, DistanceRun, OverMinimaCase, OverMinimaRow, OverMinimaRun, RadiusProbe, SamplesRow, SamplesRun } from './schema';

export const median = (v: number[]): number => {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

const dist = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};
const distToSet = (x: ArrayLike<number>, set: number[][]): number => Math.min(...set.map((p) => dist(x, p)));
const fill = (d: number, v: number): number[] => Array.from({ length: d }, () => v);

// ---------------------------------------------------------------------------------------------
// Claim 1: stepping over local minima once t exceeds their spacing.

export const OVER_MINIMA_CASES: OverMinimaCase[] = [
  // rastrigin: local minima near every integer point (spacing 1), global minimum 0 at the origin
  { id: 'rastrigin-2', objective: 'rastrigin', dim: 2, x0: [4, 4], fStar: 0, spacing: 1 },
  // wavy-bowl (ours): x^2 + 10 sin^2(pi x), a local minimum near every integer (spacing 1)
  { id: 'wavy-bowl-1', objective: 'wavy-bowl', dim: 1, x0: [4.3], fStar: 0, spacing: 1 },
];

export interface OverMinimaSettings {
  ts: number[];
  seeds: number;
  samples: number;
  maxIter: number;
  gapTol: number;
}

export async function overMinima(oracle: Oracle, s: OverMinimaSettings, cases: OverMinimaCase[], progress: (msg: string) => void): Promise<{ runs: OverMinimaRun[]; summary: OverMinimaRow[] }> {
  const runs: OverMinimaRun[] = [];
  const summary: OverMinimaRow[] = [];
  for (const c of cases) {
    const obj = getObjective(c.objective, c.dim);
    for (const t of s.ts) {
      const group: OverMinimaRun[] = [];
      for (let seed = 0; seed < s.seeds; seed++) {
        const r = await bpm(obj, c.x0, { radius: t, samples: s.samples, seed, maxIter: s.maxIter, oracle, history: false });
        const gap = r.fun - c.fStar;
        group.push({
          caseId: c.id, t, seed, fun: r.fun, gap, status: r.status, steps: r.nit, nfev: r.nfev, x: r.x,
          // the global minimiser's basin: the nearest integer point (local minimum) is the origin
          basin: r.x.every((v) => Math.abs(v) < 0.5),
          solved: gap <= s.gapTol,
        });
      }
      runs.push(...group);
      const statuses: Record<string, number> = {};
      for (const g of group) statuses[g.status] = (statuses[g.status] ?? 0) + 1;
      const basin = group.filter((g) => g.basin).length;
      const solved = group.filter((g) => g.solved).length;
      summary.push({
        caseId: c.id, t, runs: group.length, basin, basinRate: basin / group.length, solved, solvedRate: solved / group.length,
        medianGap: median(group.map((g) => g.gap)), medianSteps: median(group.map((g) => g.steps)), statuses,
      });
      progress(`claim 1: ${c.id} t=${t}: ${basin}/${group.length} end in the global basin, ${solved}/${group.length} reach f - f* <= ${s.gapTol}, median gap ${median(group.map((g) => g.gap)).toExponential(2)}`);
    }
  }
  return { runs, summary };
}

/** The smallest t of the sweep from which every larger t ends in the global basin in at least `rate` of the runs (null if none). */
export function transitionT(rows: OverMinimaRow[], caseId: string, rate = 0.9): number | null {
  const r = rows.filter((u) => u.caseId === caseId).sort((a, b) => a.t - b.t);
  let at: number | null = null;
  for (let i = r.length - 1; i >= 0 && r[i].basinRate >= rate; i--) at = r[i].t;
  return at;
}

// ---------------------------------------------------------------------------------------------
// Claim 2: distances to the minimiser set never increase on an aligned function.

/** The ill-conditioned quadratic of claim 2 (condition 10), an expression objective: sum 10^(i/(n-1)) (x_i - 1)^2. */
export const QUADRATIC_EXPR = 'sum(i, 10^(i/(n-1)) * (x[i] - 1)^2)';

export function distanceCases(): { spec: DistanceCase; obj: Objective }[] {
  const d2 = (v: number) => [v, v];
  const quad = exprObjective({ expr: QUADRATIC_EXPR, dim: 2, name: 'quadratic' });
  return [
    { spec: { id: 'sphere-2', objective: 'sphere', expr: null, dim: 2, x0: [3, 4], t: 0.5, minimisers: [d2(0)], aligned: true, convex: true }, obj: getObjective('sphere', 2) },
    { spec: { id: 'sphere-10', objective: 'sphere', expr: null, dim: 10, x0: fill(10, 1.5), t: 0.5, minimisers: [fill(10, 0)], aligned: true, convex: true }, obj: getObjective('sphere', 10) },
    { spec: { id: 'quadratic-2', objective: 'quadratic', expr: QUADRATIC_EXPR, dim: 2, x0: [-3, 4], t: 0.5, minimisers: [d2(1)], aligned: true, convex: true }, obj: quad },
    // minimiser set {(-2, -2), (3, 3)}: disconnected; aligned (f is the squared distance to the set)
    { spec: { id: 'twin-wells-2', objective: 'twin-wells', expr: null, dim: 2, x0: [0.4, 0.6], t: 0.5, minimisers: [d2(-2), d2(3)], aligned: true, convex: false }, obj: getObjective('twin-wells', 2) },
    // contrast, no claim: rastrigin is not aligned; BPM still wins here (t = 1.5), but dist may go up
    { spec: { id: 'rastrigin-2 (contrast)', objective: 'rastrigin', expr: null, dim: 2, x0: [4, 4], t: 1.5, minimisers: [d2(0)], aligned: false, convex: false }, obj: getObjective('rastrigin', 2) },
  ];
}

export interface DistanceSettings {
  seeds: number;
  samples: number;
  maxIter: number;
}

/** Per-step distances of one run and the checks of claim 2. */
export function distanceRun(caseId: string, seed: number, spec: DistanceCase, r: BpmResult): DistanceRun {
  const xs = [spec.x0, ...r.history.map((h) => h.x)];
  const ds = xs.map((x) => distToSet(x, spec.minimisers));
  const t = spec.t;
  let increases = 0;
  let increasesFar = 0;
  let maxIncrease = 0;
  let checks = 0;
  let held = 0;
  let worstMiss = 0;
  const ratios: number[] = [];
  for (let k = 0; k + 1 < ds.length; k++) {
    const up = ds[k + 1] - ds[k];
    if (ds[k + 1] > ds[k] * (1 + 1e-12)) {
      increases++;
      if (ds[k] > t) increasesFar++;
    }
    maxIncrease = Math.max(maxIncrease, up);
    if (ds[k] > t) {
      // no minimiser inside the ball around x_k: the exact oracle gives dist_{k+1}^2 <= dist_k^2 - t^2
      checks++;
      const miss = (ds[k + 1] ** 2 - (ds[k] ** 2 - t * t)) / (t * t);
      if (miss <= 1e-12) held++;
      else worstMiss = Math.max(worstMiss, miss);
      ratios.push(dist(xs[k + 1], xs[k]) / t);
    }
  }
  return { caseId, seed, status: r.status, steps: r.nit, dist: ds, increases, maxIncrease, increasesFar, checks, held, worstMiss, medianStepRatio: ratios.length ? median(ratios) : null };
}

export async function distance(oracle: Oracle, s: DistanceSettings, progress: (msg: string) => void): Promise<{ cases: DistanceCase[]; runs: DistanceRun[]; summary: DistanceRow[] }> {
  const cases = distanceCases();
  const runs: DistanceRun[] = [];
  const summary: DistanceRow[] = [];
  for (const { spec, obj } of cases) {
    const group: DistanceRun[] = [];
    for (let seed = 0; seed < s.seeds; seed++) {
      const r = await bpm(obj, spec.x0, { radius: spec.t, samples: s.samples, seed, maxIter: s.maxIter, oracle });
      group.push(distanceRun(spec.id, seed, spec, r));
    }
    runs.push(...group);
    const row: DistanceRow = {
      caseId: spec.id, runs: group.length,
      increases: group.reduce((a, g) => a + g.increases, 0),
      increasesFar: group.reduce((a, g) => a + g.increasesFar, 0),
      held: group.reduce((a, g) => a + g.held, 0),
      checks: group.reduce((a, g) => a + g.checks, 0),
      worstMiss: Math.max(0, ...group.map((g) => g.worstMiss)),
    };
    summary.push(row);
    progress(`claim 2: ${spec.id}: ${row.increases} increases of dist(x_k, X*) (${row.increasesFar} with no minimiser in the ball); t^2 decrease held ${row.held}/${row.checks}, worst miss ${row.worstMiss.toPrecision(3)} t^2`);
  }
  return { cases: cases.map((c) => c.spec), runs, summary };
}

// ---------------------------------------------------------------------------------------------
// Claim 3: where the sampled fixed point is not optimal, and why.

export interface SamplesSettings {
  t: number;
  startDist: number;
  sampleSizes: number[];
  dims: number[];
  seeds: number;
  maxIter: number;
  certSamples: number;
}

/** Seed of the certificate calls: independent of every BPM step's samples. */
const CERT_SEED = 0x5eed;

/** (a) too few samples for d: sphere, constant t, from ||x0|| = startDist; certificate at the stop point. */
export async function fewSamples(oracle: Oracle, s: SamplesSettings, progress: (msg: string) => void): Promise<{ runs: SamplesRun[]; summary: SamplesRow[] }> {
  const runs: SamplesRun[] = [];
  const summary: SamplesRow[] = [];
  for (const d of s.dims) {
    const obj = getObjective('sphere', d);
    const x0 = fill(d, s.startDist / Math.sqrt(d));
    for (const n of s.sampleSizes) {
      const group: SamplesRun[] = [];
      for (let seed = 0; seed < s.seeds; seed++) {
        const r = await bpm(obj, x0, { radius: s.t, samples: n, seed, maxIter: s.maxIter, oracle, history: false });
        const cert = await oracle.moments(obj, r.x, s.t, { temperature: 0, samples: s.certSamples, seed: CERT_SEED + seed, call: 0 });
        group.push({ d, samples: n, seed, status: r.status, steps: r.nit, gap: r.fun, dist: Math.sqrt(r.x.reduce((a, v) => a + v * v, 0)), fraction: cert.fractionBelowCenter });
      }
      runs.push(...group);
      const row: SamplesRow = {
        d, samples: n, runs: group.length,
        medianGap: median(group.map((g) => g.gap)), medianDist: median(group.map((g) => g.dist)), medianFraction: median(group.map((g) => g.fraction)),
        artefacts: group.filter((g) => g.fraction > 0).length, fixedPoints: group.filter((g) => g.status === 'fixed-point').length,
      };
      summary.push(row);
      progress(`claim 3a: sphere d=${d} N=${n}: median gap ${row.medianGap.toExponential(2)}, certificate fraction ${row.medianFraction.toExponential(2)} (${row.artefacts}/${row.runs} > 0)`);
    }
  }
  return { runs, summary };
}

export interface RadiusSettings {
  x0: number[];
  t: number;
  samples: number;
  maxIter: number;
  certSamples: number;
  probeTs: number[];
}

/** (b) t too small: wavy-bowl d = 1 stops at a local minimum; larger balls around that point see better points. */
/** The local minimiser of wavy-bowl (d = 1) nearest x: Newton's method on f'(x) = 2x + 10 pi sin(2 pi x). */
export function wavyLocalMin(x: number): number {
  let z = Math.round(x) - Math.round(x) / (1 + 10 * Math.PI ** 2); // the linearised root next to the integer
  for (let i = 0; i < 50; i++) z -= (2 * z + 10 * Math.PI * Math.sin(2 * Math.PI * z)) / (2 + 20 * Math.PI ** 2 * Math.cos(2 * Math.PI * z));
  return z;
}

export async function smallRadius(oracle: Oracle, s: RadiusSettings, progress: (msg: string) => void): Promise<{ stop: { x: number[]; fun: number; status: string; steps: number; localMin: { x: number[]; fun: number } }; probes: RadiusProbe[] }> {
  const obj = getObjective('wavy-bowl', 1);
  const r = await bpm(obj, s.x0, { radius: s.t, samples: s.samples, seed: 0, maxIter: s.maxIter, oracle, history: false });
  const xl = [wavyLocalMin(r.x[0])];
  const stop = { x: r.x, fun: r.fun, status: r.status, steps: r.nit, localMin: { x: xl, fun: obj.js(xl) } };
  const probes: RadiusProbe[] = [];
  for (const t of s.probeTs) {
    const cert = await oracle.moments(obj, r.x, t, { temperature: 0, samples: s.certSamples, seed: CERT_SEED, call: 0 });
    const c = await bpm(obj, r.x, { radius: t, samples: s.samples, seed: 1, maxIter: s.maxIter, oracle, history: false });
    probes.push({ t, fraction: cert.fractionBelowCenter, bestFun: cert.bestFun, improvement: r.fun - cert.bestFun, continued: { fun: c.fun, x: c.x, status: c.status, steps: c.nit } });
    progress(`claim 3b: wavy-bowl stop x=${r.x[0].toFixed(4)} f=${r.fun.toFixed(4)}; radius ${t}: fraction below centre ${cert.fractionBelowCenter.toExponential(2)}, best sample ${(r.fun - cert.bestFun).toExponential(2)} lower, BPM from there ends at f=${c.fun.toExponential(2)}`);
  }
  return { stop, probes };
}
