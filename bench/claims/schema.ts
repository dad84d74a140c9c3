// The JSON that `npm run bench:claims` writes (bench/results/claims-<date>.json, copied to
// bench/results/claims-latest.json for the page), schema 'brox-claims/1'. Changing a field's meaning
// or removing one bumps the version; adding optional fields does not. test/claims-bench.test.ts and
// the page (bench/page/claims.ts) check files against `checkClaimsReport`.
//
// {
//   schema: 'brox-claims/1',
//   date: 'YYYY-MM-DD', createdAt: ISO time,
//   machine: { cpu: 'model xN', cores, platform, node, backend: 'cpu', threads },
//   elapsedMs,
//
//   // Claim 1: BPM with a constant radius t steps over local minima once t exceeds their spacing.
//   overMinima: {
//     settings: { ts: [t...], seeds: N, samples: N (per oracle call), maxIter, gapTol (solved:
//                 f - f* <= gapTol) },
//     cases: [ { id: 'rastrigin-2' | 'wavy-bowl-1', objective, dim, x0: number[], fStar, spacing
//                (of the local minima) } ],
//     runs: [ { caseId, t, seed, fun, gap (f - f*), status (BpmStatus), steps (BPM iterations),
//               nfev, x: number[], basin (x lies in the global minimiser's basin: every |x_i| < 0.5,
//               i.e. BPM stepped over every local minimum on its way), solved (gap <= gapTol) } ],
//     summary: [ { caseId, t, runs, basin (count), basinRate (basin / runs: the claim's success
//                  rate), solved (count), solvedRate, medianGap, medianSteps,
//                  statuses: { status: count } } ]   // one row per (case, t)
//   },
//
//   // Claim 2: distances to the minimiser set X* never increase on an aligned function; in the
//   // convex case ||x_{k+1} - x*||^2 <= ||x_k - x*||^2 - t^2 while no minimiser is in the ball.
//   distance: {
//     settings: { seeds, samples, maxIter },
//     cases: [ { id, objective, expr (for custom functions, else null), dim, x0, t, minimisers:
//                number[][] (X*), aligned: boolean (a claim is made), convex: boolean } ],
//     runs: [ { caseId, seed, status, steps,
//               dist: number[] (dist(x_k, X*) for k = 0..steps, min over X*),
//               increases (k with dist_{k+1} > dist_k (1 + 1e-12)), maxIncrease, increasesFar
//               (those of them with dist_k > t: no minimiser in the ball around x_k),
//               checks (steps with dist_k > t: no minimiser in the ball), held (checks where
//               dist_{k+1}^2 <= dist_k^2 - t^2 holds), worstMiss (max over checks of
//               (dist_{k+1}^2 - (dist_k^2 - t^2)) / t^2, 0 when none missed), medianStepRatio
//               (median ||x_{k+1} - x_k|| / t over those checks) } ],
//     summary: [ { caseId, runs, increases (total), increasesFar, held, checks, worstMiss } ]
//   },
//
//   // Claim 3: where the sampled fixed point is not optimal, and why.
//   fixedPoint: {
//     // (a) too few samples for d: constant-radius BPM on sphere, ||x0|| = startDist
//     samples: {
//       settings: { objective: 'sphere', t, startDist, sampleSizes: [N...], dims: [d...], seeds,
//                   maxIter, certSamples (samples of the certificate call) },
//       runs: [ { d, samples, seed, status, steps, gap (f - 0), dist (||x||), fraction
//                 (moments(..., { temperature: 0, samples: certSamples }).fractionBelowCenter at
//                 the final point, radius t: > 0 means the fixed point was an artefact) } ],
//       summary: [ { d, samples, runs, medianGap, medianDist, medianFraction, artefacts
//                    (runs with fraction > 0), fixedPoints (runs that stopped as 'fixed-point') } ]
//     },
//     // (b) t too small: wavy-bowl d = 1 from x0 stops at a local minimum
//     radius: {
//       settings: { objective: 'wavy-bowl', dim: 1, x0, t, samples, maxIter, certSamples,
//                   probeTs: [t...] },
//       stop: { x, fun, status, steps, localMin: { x, fun } (the exact local minimiser nearest
//               the stop point, by Newton's method on f') },
//       probes: [ { t, fraction (at the stop point, radius t), bestFun (best certificate sample),
//                   improvement (stop.fun - bestFun),
//                   continued: { fun, x, status, steps } (BPM from the stop point with radius t) } ]
//     }
//   }
// }

export const CLAIMS_SCHEMA = 'brox-claims/1';

export interface ClaimsMachine {
  cpu: string;
  cores: number;
  platform: string;
  node: string;
  backend: 'cpu' | 'webgpu';
  threads: number;
}

export interface OverMinimaCase {
  id: string;
  objective: string;
  dim: number;
  x0: number[];
  fStar: number;
  spacing: number;
}

export interface OverMinimaRun {
  caseId: string;
  t: number;
  seed: number;
  fun: number;
  gap: number;
  status: string;
  steps: number;
  nfev: number;
  x: number[];
  basin: boolean;
  solved: boolean;
}

export interface OverMinimaRow {
  caseId: string;
  t: number;
  runs: number;
  basin: number;
  basinRate: number;
  solved: number;
  solvedRate: number;
  medianGap: number;
  medianSteps: number;
  statuses: Record<string, number>;
}

export interface DistanceCase {
  id: string;
  objective: string;
  expr: string | null;
  dim: number;
  x0: number[];
  t: number;
  minimisers: number[][];
  aligned: boolean;
  convex: boolean;
}

export interface DistanceRun {
  caseId: string;
  seed: number;
  status: string;
  steps: number;
  dist: number[];
  increases: number;
  maxIncrease: number;
  increasesFar: number;
  checks: number;
  held: number;
  worstMiss: number;
  medianStepRatio: number | null;
}

export interface DistanceRow {
  caseId: string;
  runs: number;
  increases: number;
  increasesFar: number;
  held: number;
  checks: number;
  worstMiss: number;
}

export interface SamplesRun {
  d: number;
  samples: number;
  seed: number;
  status: string;
  steps: number;
  gap: number;
  dist: number;
  fraction: number;
}

export interface SamplesRow {
  d: number;
  samples: number;
  runs: number;
  medianGap: number;
  medianDist: number;
  medianFraction: number;
  artefacts: number;
  fixedPoints: number;
}

export interface RadiusProbe {
  t: number;
  fraction: number;
  bestFun: number;
  improvement: number;
  continued: { fun: number; x: number[]; status: string; steps: number };
}

export interface ClaimsReport {
  schema: typeof CLAIMS_SCHEMA;
  date: string;
  createdAt: string;
  machine: ClaimsMachine;
  elapsedMs: number;
  overMinima: {
    settings: { ts: number[]; seeds: number; samples: number; maxIter: number; gapTol: number };
    cases: OverMinimaCase[];
    runs: OverMinimaRun[];
    summary: OverMinimaRow[];
  };
  distance: {
    settings: { seeds: number; samples: number; maxIter: number };
    cases: DistanceCase[];
    runs: DistanceRun[];
    summary: DistanceRow[];
  };
  fixedPoint: {
    samples: {
      settings: { objective: 'sphere'; t: number; startDist: number; sampleSizes: number[]; dims: number[]; seeds: number; maxIter: number; certSamples: number };
      runs: SamplesRun[];
      summary: SamplesRow[];
    };
    radius: {
      settings: { objective: 'wavy-bowl'; dim: 1; x0: number[]; t: number; samples: number; maxIter: number; certSamples: number; probeTs: number[] };
      stop: { x: number[]; fun: number; status: string; steps: number; localMin: { x: number[]; fun: number } };
      probes: RadiusProbe[];
    };
  };
}

const STATUSES = ['fixed-point', 'target-reached', 'ftol', 'max-iter', 'max-evals', 'callback-stop'];
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isInteger(v);
const isVec = (v: unknown, n?: number): v is number[] => Array.isArray(v) && v.every(isNum) && (n === undefined || v.length === n);
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Problems with a report, in words ([] when it conforms). */
export function checkClaimsReport(r: unknown): string[] {
  const errs: string[] = [];
  if (!isObj(r)) return ['not an object'];
  const o = r as unknown as ClaimsReport;
  if (o.schema !== CLAIMS_SCHEMA) errs.push(`schema is ${JSON.stringify(o.schema)}`);
  if (typeof o.date !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(o.date)) errs.push('date');
  if (typeof o.createdAt !== 'string' || Number.isNaN(Date.parse(o.createdAt))) errs.push('createdAt');
  const m = o.machine;
  if (!isObj(m) || typeof m.cpu !== 'string' || !isInt(m.cores) || typeof m.platform !== 'string' || typeof m.node !== 'string' || !['cpu', 'webgpu'].includes(m.backend) || !isInt(m.threads)) errs.push('machine');
  if (!isNum(o.elapsedMs)) errs.push('elapsedMs');

  // claim 1
  const om = o.overMinima;
  if (!isObj(om) || !isObj(om.settings) || !Array.isArray(om.cases) || !Array.isArray(om.runs) || !Array.isArray(om.summary)) errs.push('overMinima');
  else {
    const s = om.settings;
    if (!isVec(s.ts) || !s.ts.length || !isInt(s.seeds) || s.seeds < 1 || !isInt(s.samples) || !isInt(s.maxIter) || !isNum(s.gapTol)) errs.push('overMinima.settings');
    else {
      om.cases.forEach((c, i) => {
        if (!isObj(c) || typeof c.id !== 'string' || typeof c.objective !== 'string' || !isInt(c.dim) || !isVec(c.x0, c.dim) || !isNum(c.fStar) || !isNum(c.spacing)) errs.push(`overMinima.cases[${i}]`);
      });
      const ids = om.cases.map((c) => c.id);
      const want = om.cases.length * s.ts.length * s.seeds;
      if (om.runs.length !== want) errs.push(`overMinima.runs: ${om.runs.length}, want ${want}`);
      om.runs.forEach((u, i) => {
        const bad = (w: string) => errs.push(`overMinima.runs[${i}].${w}`);
        if (!isObj(u)) return bad('(not an object)');
        if (!ids.includes(u.caseId)) bad('caseId');
        if (!s.ts.includes(u.t)) bad('t');
        if (!isInt(u.seed) || u.seed < 0) bad('seed');
        for (const k of ['fun', 'gap'] as const) if (!isNum(u[k])) bad(k);
        if (!STATUSES.includes(u.status)) bad('status');
        if (!isInt(u.steps) || u.steps < 0 || u.steps > s.maxIter) bad('steps');
        if (!isInt(u.nfev) || u.nfev < 1) bad('nfev');
        const c = om.cases.find((q) => q.id === u.caseId);
        if (!isVec(u.x, c?.dim)) bad('x');
        if (typeof u.basin !== 'boolean') bad('basin');
        if (typeof u.solved !== 'boolean' || (isNum(u.gap) && u.solved !== u.gap <= s.gapTol)) bad('solved');
      });
      if (om.summary.length !== om.cases.length * s.ts.length) errs.push(`overMinima.summary: ${om.summary.length} rows, want ${om.cases.length * s.ts.length}`);
      om.summary.forEach((u, i) => {
        const bad = (w: string) => errs.push(`overMinima.summary[${i}].${w}`);
        if (!isObj(u)) return bad('(not an object)');
        if (!ids.includes(u.caseId) || !s.ts.includes(u.t)) bad('key');
        if (u.runs !== s.seeds) bad('runs');
        for (const [n, r] of [['basin', 'basinRate'], ['solved', 'solvedRate']] as const) {
          if (!isInt(u[n]) || u[n] < 0 || u[n] > u.runs) bad(n);
          else if (!isNum(u[r]) || Math.abs(u[r] - u[n] / u.runs) > 1e-12) bad(r);
        }
        const group = om.runs.filter((q) => q?.caseId === u.caseId && q.t === u.t);
        if (group.filter((q) => q.basin).length !== u.basin || group.filter((q) => q.solved).length !== u.solved) bad('counts (do not match the runs)');
        if (!isNum(u.medianGap) || !isNum(u.medianSteps)) bad('medians');
        if (!isObj(u.statuses) || Object.values(u.statuses).reduce((a: number, v) => a + (v as number), 0) !== u.runs) bad('statuses');
      });
    }
  }

  // claim 2
  const di = o.distance;
  if (!isObj(di) || !isObj(di.settings) || !Array.isArray(di.cases) || !Array.isArray(di.runs) || !Array.isArray(di.summary)) errs.push('distance');
  else {
    const s = di.settings;
    if (!isInt(s.seeds) || s.seeds < 1 || !isInt(s.samples) || !isInt(s.maxIter)) errs.push('distance.settings');
    di.cases.forEach((c, i) => {
      if (!isObj(c) || typeof c.id !== 'string' || typeof c.objective !== 'string' || !(c.expr === null || typeof c.expr === 'string') || !isInt(c.dim) || !isVec(c.x0, c.dim) || !isNum(c.t) || !Array.isArray(c.minimisers) || !c.minimisers.length || !c.minimisers.every((p) => isVec(p, c.dim)) || typeof c.aligned !== 'boolean' || typeof c.convex !== 'boolean') errs.push(`distance.cases[${i}]`);
    });
    const ids = di.cases.map((c) => c.id);
    if (di.runs.length !== di.cases.length * s.seeds) errs.push(`distance.runs: ${di.runs.length}, want ${di.cases.length * s.seeds}`);
    di.runs.forEach((u, i) => {
      const bad = (w: string) => errs.push(`distance.runs[${i}].${w}`);
      if (!isObj(u)) return bad('(not an object)');
      if (!ids.includes(u.caseId)) bad('caseId');
      if (!isInt(u.seed)) bad('seed');
      if (!STATUSES.includes(u.status)) bad('status');
      if (!isInt(u.steps) || u.steps < 0 || u.steps > s.maxIter) bad('steps');
      if (!isVec(u.dist) || u.dist.length !== u.steps + 1) bad('dist');
      if (!isInt(u.increases) || u.increases < 0 || !isNum(u.maxIncrease) || !isInt(u.increasesFar) || u.increasesFar < 0 || u.increasesFar > u.increases) bad('increases');
      if (isVec(u.dist) && isInt(u.increases) && u.dist.filter((d, k) => k > 0 && d > u.dist[k - 1] * (1 + 1e-12)).length !== u.increases) bad('increases (do not match dist)');
      if (!isInt(u.checks) || !isInt(u.held) || u.held < 0 || u.held > u.checks || u.checks > u.steps) bad('checks/held');
      if (!isNum(u.worstMiss) || u.worstMiss < 0) bad('worstMiss');
      if (!(u.medianStepRatio === null || isNum(u.medianStepRatio))) bad('medianStepRatio');
    });
    if (di.summary.length !== di.cases.length) errs.push('distance.summary: one row per case');
    di.summary.forEach((u, i) => {
      if (!isObj(u) || !ids.includes(u.caseId) || u.runs !== s.seeds || !isInt(u.increases) || !isInt(u.increasesFar) || !isInt(u.held) || !isInt(u.checks) || !isNum(u.worstMiss)) errs.push(`distance.summary[${i}]`);
    });
  }

  // claim 3
  const fp = o.fixedPoint;
  if (!isObj(fp) || !isObj(fp.samples) || !isObj(fp.radius)) errs.push('fixedPoint');
  else {
    const sa = fp.samples;
    const s = sa.settings;
    if (!isObj(s) || s.objective !== 'sphere' || !isNum(s.t) || !isNum(s.startDist) || !Array.isArray(s.sampleSizes) || !s.sampleSizes.every(isInt) || !Array.isArray(s.dims) || !s.dims.every(isInt) || !isInt(s.seeds) || !isInt(s.maxIter) || !isInt(s.certSamples)) errs.push('fixedPoint.samples.settings');
    else if (!Array.isArray(sa.runs) || !Array.isArray(sa.summary)) errs.push('fixedPoint.samples');
    else {
      const want = s.sampleSizes.length * s.dims.length * s.seeds;
      if (sa.runs.length !== want) errs.push(`fixedPoint.samples.runs: ${sa.runs.length}, want ${want}`);
      sa.runs.forEach((u, i) => {
        const bad = (w: string) => errs.push(`fixedPoint.samples.runs[${i}].${w}`);
        if (!isObj(u)) return bad('(not an object)');
        if (!s.dims.includes(u.d) || !s.sampleSizes.includes(u.samples)) bad('key');
        if (!STATUSES.includes(u.status) || !isInt(u.steps)) bad('status/steps');
        if (!isNum(u.gap) || u.gap < 0 || !isNum(u.dist) || u.dist < 0) bad('gap/dist');
        if (!isNum(u.fraction) || u.fraction < 0 || u.fraction > 1) bad('fraction');
      });
      if (sa.summary.length !== s.sampleSizes.length * s.dims.length) errs.push('fixedPoint.samples.summary: one row per (d, samples)');
      sa.summary.forEach((u, i) => {
        if (!isObj(u) || !s.dims.includes(u.d) || !s.sampleSizes.includes(u.samples) || u.runs !== s.seeds || !isNum(u.medianGap) || !isNum(u.medianDist) || !isNum(u.medianFraction) || !isInt(u.artefacts) || !isInt(u.fixedPoints)) errs.push(`fixedPoint.samples.summary[${i}]`);
      });
    }
    const ra = fp.radius;
    const rs = ra.settings;
    if (!isObj(rs) || rs.objective !== 'wavy-bowl' || rs.dim !== 1 || !isVec(rs.x0, 1) || !isNum(rs.t) || !isInt(rs.samples) || !isInt(rs.maxIter) || !isInt(rs.certSamples) || !isVec(rs.probeTs)) errs.push('fixedPoint.radius.settings');
    else {
      if (!isObj(ra.stop) || !isVec(ra.stop.x, 1) || !isNum(ra.stop.fun) || !STATUSES.includes(ra.stop.status) || !isInt(ra.stop.steps) || !isObj(ra.stop.localMin) || !isVec(ra.stop.localMin.x, 1) || !isNum(ra.stop.localMin.fun)) errs.push('fixedPoint.radius.stop');
      if (!Array.isArray(ra.probes) || ra.probes.length !== rs.probeTs.length) errs.push('fixedPoint.radius.probes');
      else
        ra.probes.forEach((p, i) => {
          if (!isObj(p) || p.t !== rs.probeTs[i] || !isNum(p.fraction) || p.fraction < 0 || p.fraction > 1 || !isNum(p.bestFun) || !isNum(p.improvement) || !isObj(p.continued) || !isNum(p.continued.fun) || !isVec(p.continued.x, 1) || !STATUSES.includes(p.continued.status) || !isInt(p.continued.steps)) errs.push(`fixedPoint.radius.probes[${i}]`);
        });
    }
  }
  return errs;
}
