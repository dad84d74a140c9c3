// One run of one brox method on one case: start, bounds, budget and target as the bench fixes
// them; the gap is judged on the float64 twin at the returned point.
import { minimize } from '../../src/methods/minimize';
import type { Oracle } from '../../src/oracle/types';
import { startPoint, type CaseSpec } from './cases';
import type { QualityRun } from './schema';
import type { MethodName } from '../../src/methods/minimize-types.js';

export interface RunSpec {
  c: CaseSpec;
  method: string;
  budget: number;
  seed: number;
  oracle: Oracle;
}

export async function runOne({ c, method, budget, seed, oracle }: RunSpec): Promise<QualityRun> {
  const obj = c.objective(seed);
  const [lo, hi] = c.bounds;
  const x0 = startPoint(seed, c.d, lo, hi);
  const target = c.fStar + c.tol;
  let firstHit: number | null = null;
  const base = { caseId: c.id, method, budget, seed, objective: obj.name };
  const t0 = performance.now();
  try {
    const r = await minimize(obj, x0, {
      method: method as MethodName,
      bounds: [lo, hi],
      maxEvals: budget,
      fTarget: target,
      seed,
      oracle,
      history: false,
      // the first evaluation count at which the method's best is within tolerance (per step:
      // a step's evaluations are counted whole)
      callback: (s: { fun: number; nfev: number }) => {
        if (firstHit === null && s.fun <= target) firstHit = s.nfev;
      },
    });
    const ms = performance.now() - t0;
    const x: number[] = Array.from(r.x as ArrayLike<number>);
    const inBounds = x.length === c.d && x.every((v) => v >= lo && v <= hi);
    const fun = obj.js(x);
    const gap = fun - c.fStar;
    const success = Number.isFinite(gap) && gap <= c.tol && inBounds;
    if (success && firstHit === null) firstHit = r.nfev; // reached in the step that ended the run
    return {
      ...base,
      fun: Number.isFinite(fun) ? fun : null,
      gap: Number.isFinite(gap) ? gap : null,
      success,
      inBounds,
      nfev: r.nfev,
      evalsToSuccess: success ? firstHit : null,
      nit: r.nit,
      status: String(r.status),
      ms,
    };
  } catch (e) {
    return {
      ...base,
      fun: null,
      gap: null,
      success: false,
      inBounds: false,
      nfev: 0,
      evalsToSuccess: null,
      nit: null,
      status: 'error',
      ms: performance.now() - t0,
      error: (e as Error)?.stack ?? String(e),
    };
  }
}
