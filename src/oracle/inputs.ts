import { BroxError } from '../errors.js';
import { getObjective } from '../objectives/registry.js';
import type { Objective } from '../objectives/types.js';
import { checkDim, checkInteger, checkPoint, checkRadius, checkSamples, checkSeed, MAX_SAMPLES } from '../validate.js';
import { DEFAULT_SAMPLES, type BroxOptions, type ObjectiveInput } from './types.js';

export function resolveObjective(objective: ObjectiveInput, dimHint: number | undefined, argument = 'objective'): Objective {
  if (typeof objective === 'string') {
    if (dimHint === undefined) throw new BroxError(argument, `a built-in name needs a dimension; got '${objective}' with no point to take it from`);
    return getObjective(objective, dimHint);
  }
  if (!objective || typeof objective !== 'object' || typeof objective.js !== 'function' || typeof objective.wgsl !== 'string') {
    throw new BroxError(argument, 'must be a built-in name or an objective from getObjective()/defineObjective()');
  }
  checkDim(objective.dim, 1, 1024, `${argument}.dim`);
  return objective;
}

const lengthOf = (x: unknown): number | undefined =>
  x !== null && typeof x === 'object' && typeof (x as ArrayLike<number>).length === 'number' ? (x as ArrayLike<number>).length : undefined;

export interface BroxInputs {
  objective: Objective;
  x: Float64Array;
  t: number;
  samples: number;
  seed: number;
  call: number;
  offset: number;
}

/** Validates every argument of brox() before any work is done. */
export function checkBroxInputs(objective: ObjectiveInput, x: unknown, t: unknown, opts: BroxOptions | undefined): BroxInputs {
  const obj = resolveObjective(objective, lengthOf(x));
  const inp: BroxInputs = {
    objective: obj,
    x: checkPoint(x, obj.dim, 'x'),
    t: checkRadius(t, 't'),
    samples: checkSamples(opts?.samples ?? DEFAULT_SAMPLES, 'samples'),
    seed: checkSeed(opts?.seed ?? 0, 'seed'),
    call: checkInteger(opts?.call ?? 0, 'call', 0, 0xffffffff),
    offset: checkInteger(opts?.offset ?? 0, 'offset', 0, MAX_SAMPLES),
  };
  if (inp.offset + inp.samples > MAX_SAMPLES) {
    throw new BroxError('offset', `offset + samples must stay below 2^53, got ${inp.offset} + ${inp.samples}`);
  }
  return inp;
}

export function checkPoints(objective: ObjectiveInput, points: unknown): { objective: Objective; rows: Float64Array[] } {
  if (!Array.isArray(points) && !ArrayBuffer.isView(points)) {
    throw new BroxError('points', 'must be an array of points (arrays of numbers)');
  }
  const list = points as ArrayLike<unknown>;
  const obj = resolveObjective(objective, list.length > 0 ? lengthOf(list[0]) : undefined);
  const rows: Float64Array[] = [];
  for (let r = 0; r < list.length; r++) rows.push(checkPoint(list[r], obj.dim, `points[${r}]`));
  return { objective: obj, rows };
}
