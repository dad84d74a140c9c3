import { BroxError } from '../errors.js';
import type { Objective } from '../objectives/types.js';
import { checkBroxInputs, checkPopulationInputs, resolveObjective } from './inputs.js';
import type { Oracle } from './types.js';

/**
 * Operations one evaluation of `o` runs, for work limits and first slice sizes: what the objective
 * says (expressions, datasets), else a few per coordinate (built-ins, BBOB, user code).
 */
export const workOf = (o: Objective): number => (typeof o.cost === 'number' && o.cost > 0 ? o.cost : 16 * o.dim + 16);

/** Refuses a call of `evaluations` evaluations of `o` beyond `maxWork` operations, before it runs. */
export function checkWork(o: Objective, evaluations: number, maxWork: number, hint: string, argument = 'samples'): void {
  const work = evaluations * workOf(o);
  if (work > maxWork) {
    throw new BroxError(argument, `${evaluations} evaluations of '${o.name.slice(0, 64)}' (about ${workOf(o)} operations each) are about ${work.toPrecision(3)} operations; at most ${maxWork} per call${hint}`, 'LIMIT');
  }
}

/**
 * The oracle with every brox/topk/moments/evaluate call refused up front when its work (evaluations
 * x operations per evaluation) passes `maxWork`; the counts are the ones the call will run
 * (defaults and refinement rounds included). Optimisers given this oracle are checked call by call.
 * Everything else is the oracle's own (a prototype link, so `engine` and friends still read through).
 */
export function limitWork(oracle: Oracle, maxWork: number, hint = ''): Oracle {
  const limited: Partial<Oracle> = {
    async brox(objective, x, t, opts) {
      const inp = checkBroxInputs(objective, x, t, opts);
      checkWork(inp.objective, inp.samples * inp.rounds + 1, maxWork, hint);
      return oracle.brox(objective, x, t, opts);
    },
    async topk(objective, center, t, opts) {
      const p = checkPopulationInputs(objective, center, t, opts);
      checkWork(p.objective, p.samples, maxWork, hint);
      return oracle.topk(objective, center, t, opts);
    },
    async moments(objective, center, t, opts) {
      const p = checkPopulationInputs(objective, center, t, opts);
      checkWork(p.objective, 2 * p.samples, maxWork, hint);
      return oracle.moments(objective, center, t, opts);
    },
    async evaluate(objective, points, opts) {
      // counted without converting the points (the oracle checks them): a bad objective or points fail there
      const n = points && typeof (points as { length?: unknown }).length === 'number' ? (points as ArrayLike<unknown>).length : 0;
      const first = n > 0 ? (points as ArrayLike<ArrayLike<number>>)[0] : undefined;
      let o: Objective | null = null;
      try {
        o = resolveObjective(objective, first && typeof first.length === 'number' ? first.length : undefined);
      } catch {
        /* reported by the oracle's own checks */
      }
      if (o) checkWork(o, n, maxWork, hint, 'points');
      return oracle.evaluate(objective, points, opts);
    },
  };
  return Object.assign(Object.create(oracle) as Oracle, limited);
}
