import { BroxError, preview } from '../errors.js';
import { getObjective } from '../objectives/registry.js';
import type { Objective } from '../objectives/types.js';
import { checkDim, checkInteger, checkPoint, checkRadius, checkSamples, checkSeed, MAX_SAMPLES } from '../validate.js';
import { checkBounds, checkInside } from '../samplers/bounds.js';
import { prepareSampler, type PreparedSampler } from '../samplers/spec.js';
import type { Bounds } from '../samplers/types.js';
import { checkNumber } from '../validate.js';
import { DEFAULT_SAMPLES, type BroxOptions, type MomentsOptions, type ObjectiveInput, type PopulationOptions, type TopkOptions } from './types.js';

export function resolveObjective(objective: ObjectiveInput, dimHint: number | undefined, argument = 'objective'): Objective {
  if (typeof objective === 'string') {
    if (dimHint === undefined) throw new BroxError(argument, `a built-in name needs a dimension; got '${preview(objective)}' with no point to take it from`);
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
  sampler: PreparedSampler;
  bounds: Bounds | null;
  rounds: number;
  shrink: number;
  signal?: AbortSignal;
}

/** A number in the open interval (0, 1). */
function checkOpenUnit(v: unknown, argument: string): number {
  if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new BroxError(argument, `must be a number in (0, 1), got ${typeof v === 'number' ? v : typeof v}`);
  return v;
}

/** Largest t times the map's largest entry: keeps every sample inside float32 range on the GPU. */
export const MAX_SCALE = 1e30;

function checkScale(t: number, sampler: PreparedSampler): void {
  const m = sampler.map;
  let a = 1;
  if (m.kind !== 'none') for (let i = 0; i < m.a.length; i++) a = Math.max(a, Math.abs(m.a[i]));
  if (t * a > MAX_SCALE) throw new BroxError('t', `t times the ball's largest scale must be at most ${MAX_SCALE} (float32 range on the GPU), got ${t * a}`);
}

/** Most refinement rounds per call. */
export const MAX_ROUNDS = 64;
/** Largest k of a top-k call. */
export const MAX_TOPK = 4096;

function checkSignal(s: unknown): AbortSignal | undefined {
  if (s === undefined) return undefined;
  if (!s || typeof s !== 'object' || typeof (s as AbortSignal).aborted !== 'boolean' || typeof (s as AbortSignal).throwIfAborted !== 'function') throw new BroxError('signal', 'must be an AbortSignal');
  return s as AbortSignal;
}

export interface PopulationInputs {
  objective: Objective;
  x: Float64Array;
  t: number;
  samples: number;
  /** First sample index: the call covers samples [offset, offset + samples). */
  offset: number;
  seed: number;
  call: number;
  sampler: PreparedSampler;
  bounds: Bounds | null;
  signal?: AbortSignal;
}

/** Validates a population call (topk, moments) before any work is done. */
export function checkPopulationInputs(objective: ObjectiveInput, x: unknown, t: unknown, opts: PopulationOptions | undefined): PopulationInputs {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) throw new BroxError('options', 'must be an object');
  const obj = resolveObjective(objective, lengthOf(x));
  const xs = checkPoint(x, obj.dim, 'center');
  const bounds = checkBounds(opts?.bounds, obj.dim);
  checkInside(xs, bounds, 'center');
  const tt = checkRadius(t, 't');
  const sampler = prepareSampler(opts?.ball, obj.dim, opts?.generator);
  checkScale(tt, sampler);
  const samples = checkSamples(opts?.samples ?? DEFAULT_SAMPLES, 'samples');
  // sample indices stay exact doubles (and counter words) up to 2^53 - 1
  const offset = checkInteger((opts as { offset?: unknown } | undefined)?.offset ?? 0, 'offset', 0, MAX_SAMPLES - samples);
  return {
    objective: obj,
    x: xs,
    t: tt,
    samples,
    offset,
    seed: checkSeed(opts?.seed ?? 0, 'seed'),
    call: checkInteger(opts?.call ?? 0, 'call', 0, 0xffffffff),
    sampler,
    bounds,
    signal: checkSignal(opts?.signal),
  };
}

export function checkTopk(opts: TopkOptions | undefined, samples: number): number {
  return checkInteger(opts?.k ?? 1, 'k', 1, Math.min(MAX_TOPK, samples));
}

export function checkMoments(opts: MomentsOptions | undefined): { temperature: number | { relative: number }; second: 'none' | 'diag' | 'full' } {
  if (!opts || typeof opts !== 'object') throw new BroxError('options', 'must be an object with { temperature }');
  const T = opts.temperature;
  const temperature = typeof T === 'number' ? checkNumber(T, 'temperature', 0, Number.MAX_VALUE) : T && typeof T === 'object' ? { relative: checkNumber((T as { relative: unknown }).relative, 'temperature.relative', 0, Number.MAX_VALUE) } : (() => { throw new BroxError('temperature', 'must be a number >= 0 or { relative: number >= 0 }'); })();
  const second = opts.second ?? 'none';
  if (!['none', 'diag', 'full'].includes(second)) throw new BroxError('second', `must be one of 'none', 'diag', 'full', got ${typeof second === 'string' ? `'${second}'` : typeof second}`);
  return { temperature, second };
}

/** Validates every argument of brox() before any work is done. */
export function checkBroxInputs(objective: ObjectiveInput, x: unknown, t: unknown, opts: BroxOptions | undefined): BroxInputs {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) throw new BroxError('options', 'must be an object');
  const obj = resolveObjective(objective, lengthOf(x));
  const bounds = checkBounds(opts?.bounds, obj.dim);
  const inp: BroxInputs = {
    objective: obj,
    x: checkPoint(x, obj.dim, 'x'),
    t: checkRadius(t, 't'),
    samples: checkSamples(opts?.samples ?? DEFAULT_SAMPLES, 'samples'),
    seed: checkSeed(opts?.seed ?? 0, 'seed'),
    call: checkInteger(opts?.call ?? 0, 'call', 0, 0xffffffff),
    offset: checkInteger(opts?.offset ?? 0, 'offset', 0, MAX_SAMPLES),
    sampler: prepareSampler(opts?.ball, obj.dim, opts?.generator),
    bounds,
    rounds: checkInteger(opts?.rounds ?? 1, 'rounds', 1, MAX_ROUNDS),
    shrink: checkOpenUnit(opts?.shrink ?? 0.25, 'shrink'),
    signal: checkSignal(opts?.signal),
  };

  checkInside(inp.x, bounds, 'x');
  checkScale(inp.t, inp.sampler);
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
