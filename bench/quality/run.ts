// The runs of one brox method on one case, one per seed: start, bounds, budget and target as the
// bench fixes them; the gap is judged on the float64 twin at the returned point.
//
// The seeds of a (case, method, budget) run together, as minimize()'s `runs: B` does (one executor
// advancing every run; on WebGPU their resident batches share one submission and one readback).
// minimize({ runs }) itself cannot be called here: its runs share one x0 and one objective, while
// the bench gives every seed its own start (startPoint) and, for 'sr', its own rotation and shift.
// So each seed is prepared exactly as minimize(objective_s, x0_s, { seed: s }) prepares it
// (prepareRun) and the Runs go through minimize's executor together: run s is the run of seed s
// alone (same RNG calls, same steps), which `--sequential` (one minimize() call per seed) checks.
import { Run, execute, minimize, prepareRun, type MethodName, type MinimizeOptions, type MinimizeResult, type Oracle } from '../../src/internal';
import { startPoint, type CaseSpec } from './cases';
import type { QualityRun } from './schema';

export interface RunSpec {
  c: CaseSpec;
  /** A registered method; `label` (default: the method) is what the runs record as their method. */
  method: string;
  label?: string;
  /** minimize()'s `samples` (the population λ of cma-es and cem); default: the method's. */
  samples?: number;
  budget: number;
  seeds: number[];
  oracle: Oracle;
  /** One minimize() call per seed, one after another (the reference for the batched path). */
  sequential?: boolean;
}

/** minimize()'s default generations per resident submission. */
const BATCH = 64;

export async function runSeeds({ c, method, label = method, samples, budget, seeds, oracle, sequential = false }: RunSpec): Promise<QualityRun[]> {
  const [lo, hi] = c.bounds;
  const target = c.fStar + c.tol;
  const setups = seeds.map((seed) => ({ seed, obj: c.objective(seed), x0: startPoint(seed, c.d, lo, hi) }));
  // the first evaluation count at which a run's best is within tolerance (per step: a step's
  // evaluations are counted whole)
  const firstHit: (number | null)[] = seeds.map(() => null);
  const options = (seed: number, i: number) => ({
    method: method as MethodName,
    ...(samples !== undefined ? { samples } : {}),
    bounds: [lo, hi] as [number, number],
    maxEvals: budget,
    fTarget: target,
    seed,
    oracle,
    history: false as const,
    callback: (s: { fun: number; nfev: number }) => {
      if (firstHit[i] === null && s.fun <= target) firstHit[i] = s.nfev;
    },
  });
  const t0 = performance.now();
  let results: (MinimizeResult | Error)[];
  let perRunMs: number[];
  if (sequential) {
    results = [];
    perRunMs = [];
    for (let i = 0; i < setups.length; i++) {
      const t = performance.now();
      try {
        results.push(await minimize(setups[i].obj, setups[i].x0, options(setups[i].seed, i)));
      } catch (e) {
        results.push(e as Error);
      }
      perRunMs.push(performance.now() - t);
    }
  } else {
    results = await together(setups.map((s, i) => ({ obj: s.obj, x0: s.x0, options: options(s.seed, i) })), oracle);
    // the runs share one wall clock: each is charged an equal part of it
    perRunMs = seeds.map(() => (performance.now() - t0) / seeds.length);
  }
  return setups.map(({ seed, obj, x0: _x0 }, i) => {
    const r = results[i];
    const base = { caseId: c.id, method: label, budget, seed, objective: obj.name, ms: perRunMs[i] };
    if (r instanceof Error) {
      return { ...base, fun: null, gap: null, success: false, inBounds: false, nfev: 0, evalsToSuccess: null, nit: null, status: 'error', error: r.stack ?? String(r) };
    }
    const x: number[] = Array.from(r.x as ArrayLike<number>);
    const inBounds = x.length === c.d && x.every((v) => v >= lo && v <= hi);
    const fun = obj.js(x);
    const gap = fun - c.fStar;
    const success = Number.isFinite(gap) && gap <= c.tol && inBounds;
    const hit = success ? (firstHit[i] ?? r.nfev) : null; // null hit: reached in the step that ended the run
    return { ...base, fun: Number.isFinite(fun) ? fun : null, gap: Number.isFinite(gap) ? gap : null, success, inBounds, nfev: r.nfev, evalsToSuccess: hit, nit: r.nit, status: String(r.status) };
  });
}

type Job = { obj: ReturnType<CaseSpec['objective']>; x0: number[]; options: MinimizeOptions };

/**
 * minimize()'s body for B runs whose objectives and starts differ: each prepared as minimize()
 * prepares a single run of its seed, then one executor for all. A run whose setup throws, or a
 * call that throws, is an Error in its place (every run of the call, as minimize() would throw).
 */
async function together(jobs: Job[], oracle: Oracle): Promise<(MinimizeResult | Error)[]> {
  const out: (MinimizeResult | Error)[] = jobs.map(() => new Error('not run'));
  const runs: Run[] = [];
  const index: number[] = [];
  const t0 = performance.now();
  try {
    for (let i = 0; i < jobs.length; i++) {
      try {
        const p = prepareRun(jobs[i].obj, jobs[i].x0, jobs[i].options);
        const run = new Run({ ...p, callback: jobs[i].options.callback, index: i, finish64: true }, oracle, true);
        runs.push(run);
        index.push(i);
        await run.start();
      } catch (e) {
        out[i] = e as Error;
        if (runs.length && index[index.length - 1] === i) {
          runs.pop()!.destroy();
          index.pop();
        }
      }
    }
    // the callback's `run` is the run's index, so each seed records its own first hit
    await execute(runs, oracle, BATCH, () => {});
    for (let k = 0; k < runs.length; k++) out[index[k]] = await runs[k].end(t0);
  } catch (e) {
    for (const i of index) out[i] = e as Error;
  } finally {
    for (const run of runs) run.destroy();
  }
  return out;
}
