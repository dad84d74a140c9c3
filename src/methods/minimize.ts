import { getGenerator, type GeneratorName } from '../rng/generator.js';
import { BroxError, preview } from '../errors.js';
import { createOracle } from '../oracle/create.js';
import { resolveObjective } from '../oracle/inputs.js';
import type { BackendName, ObjectiveInput } from '../oracle/types.js';
import { threefry2x32 } from '../rng/threefry.js';
import { checkBounds, checkInside } from '../samplers/bounds.js';
import { checkDim, checkInteger, checkNumber, checkPoint, checkSeed } from '../validate.js';
import type { MinimizeOptions, MinimizeResult } from './minimize-types.js';
import { DEFAULT_METHOD, methodNames, methods } from './registry.js';
import { execute } from './executor.js';
import { Run } from './run.js';

export type { MinimizeOptions, MinimizeResult, MinimizeStatus } from './minimize-types.js';

export const DEFAULT_MAX_EVALS = 2 ** 24;
/** Iterations (method steps) when maxIter is not given: the budget usually ends a run first. */
export const DEFAULT_MAX_ITER = 1e6;
/** Most runs of one call (each holds its own state; on WebGPU its own buffers). */
export const MAX_RUNS = 1024;

/** Validates every argument of minimize() (BroxError naming it) without opening a backend. */
export function prepareRun(objective: ObjectiveInput, x0?: ArrayLike<number> | null, options: MinimizeOptions & { dim?: number } = {}) {
  if (!options || typeof options !== 'object') throw new BroxError('options', 'must be an object');
  const dimHint = x0 ? x0.length : options.dim !== undefined ? checkDim(options.dim) : undefined;
  const obj = resolveObjective(objective, dimHint);
  const d = obj.dim;
  const name = options.method ?? DEFAULT_METHOD;
  if (typeof name !== 'string' || !Object.hasOwn(methods, name)) throw new BroxError('method', `must be one of ${methodNames().map((m) => `'${m}'`).join(', ')}, got ${typeof name === 'string' ? JSON.stringify(preview(name)) : preview(name)}`);
  const method = methods[name];
  const bounds = options.bounds === null ? null : checkBounds(options.bounds ?? (obj.domain ? [obj.domain[0], obj.domain[1]] : undefined), d);
  const seed = checkSeed(options.seed ?? 0, 'seed');
  const generator = getGenerator(options.generator).name as GeneratorName; // checked before any sampling
  const maxEvals = checkInteger(options.maxEvals ?? DEFAULT_MAX_EVALS, 'maxEvals', 1, Number.MAX_SAFE_INTEGER);
  const maxIter = checkInteger(options.maxIter ?? DEFAULT_MAX_ITER, 'maxIter', 0, 1e9);
  const fTarget = options.fTarget === undefined || options.fTarget === null ? -Infinity : checkNumber(options.fTarget, 'fTarget', -Number.MAX_VALUE, Number.MAX_VALUE);
  const keep = options.history === undefined || options.history === true ? Infinity : options.history === false ? 0 : checkInteger(options.history, 'history', 0, 1e9);
  if (options.callback !== undefined && typeof options.callback !== 'function') throw new BroxError('callback', 'must be a function');
  if (options.params !== undefined && (options.params === null || typeof options.params !== 'object')) throw new BroxError('params', 'must be an object of method parameters');
  const signal = options.signal;
  if (options.resident !== undefined && typeof options.resident !== 'boolean') throw new BroxError('resident', `must be true or false, got ${preview(options.resident)}`);
  if (options.finish64 !== undefined && typeof options.finish64 !== 'boolean') throw new BroxError('finish64', `must be true or false, got ${preview(options.finish64)}`);
  if (options.batch !== undefined) checkInteger(options.batch, 'batch', 1, 4096);
  const runs = checkInteger(options.runs ?? 1, 'runs', 1, MAX_RUNS);

  let x0Checked: Float64Array | null = null;
  if (x0 !== undefined && x0 !== null) {
    x0Checked = checkPoint(x0, d, 'x0');
    checkInside(x0Checked, bounds, 'x0');
  } else if (!bounds) throw new BroxError('x0', 'is required when the run has no bounds (nothing to draw a start from)');
  const userParams = { ...(options.samples !== undefined ? { samples: options.samples } : {}), ...(options.params ?? {}) };
  /** The method's parameters on a backend: its defaults there (e.g. cma-es's λ on WebGPU), the user's over them. */
  const paramsFor = (backend?: BackendName) => {
    const defaults = method.defaults(d, bounds, backend);
    return method.params ? method.params(userParams, defaults) : { ...defaults, ...userParams };
  };
  const params = paramsFor(); // checked before any backend opens (a default never makes user params invalid)

  /** Run r: seed + r (so run r of a call is the run of seed + r alone), its own host RNG and start. */
  const forRun = (r: number) => {
    const seedR = (seed + r) >>> 0;
    // host-side random numbers for the method's own choices: Threefry keyed by (seed, 0xB0C5)
    let rngCounter = 0;
    const words = new Uint32Array(2);
    const random = (): number => {
      threefry2x32(seedR, 0xb0c5, rngCounter++, 0, words);
      return (words[0] * 2 ** 21 + (words[1] >>> 11)) / 2 ** 53;
    };
    const start = x0Checked ? Float64Array.from(x0Checked) : Float64Array.from({ length: d }, (_, i) => bounds!.lo[i] + random() * (bounds!.hi[i] - bounds!.lo[i]));
    return { seed: seedR, random, start };
  };
  const first = forRun(0);
  return { obj, d, name, method, bounds, seed, generator, maxEvals, maxIter, fTarget, keep, signal, random: first.random, start: first.start, params, paramsFor, runs, forRun };
}

/**
 * Minimises an objective with one of the registered methods (default DEFAULT_METHOD, registry.ts). The driver owns
 * what every method shares: validation, bounds (default: the objective's usual domain), the start
 * (default: uniform in the bounds from the seed), the evaluation budget, RNG call numbers, the
 * best point seen, history, the callback and the scipy-like result (src/methods/run.ts, per run);
 * the executor (src/methods/executor.ts) advances the runs, resident on WebGPU where the method
 * has a resident form, step by step everywhere else.
 *
 * `runs: B` runs B independent runs in one call (seeds seed, seed + 1, ...; each exactly the run of
 * its seed alone); on WebGPU their resident batches share one submission and one readback. The
 * result is the best run's, with `nfev` and `ms` over all runs, and every run in `runs`.
 */
export async function minimize(objective: ObjectiveInput, x0?: ArrayLike<number> | null, options: MinimizeOptions & { dim?: number } = {}): Promise<MinimizeResult> {
  const t0 = performance.now();
  const prep = prepareRun(objective, x0, options);
  if (options.oracle !== undefined && (!options.oracle || typeof options.oracle !== 'object' || ['brox', 'topk', 'moments', 'evaluate'].some((m) => typeof (options.oracle as unknown as Record<string, unknown>)[m] !== 'function'))) {
    throw new BroxError('oracle', 'must be an oracle from createOracle()');
  }
  const oracle = options.oracle ?? (await createOracle({ backend: options.backend ?? 'auto' }));
  const finish64 = options.finish64 ?? true;
  const params = prep.paramsFor(oracle.backend);
  const batch = options.batch ?? 64; // checked in prepareRun
  // GPU counts over the call, across engine replacements (an owned device lost and re-acquired)
  const counts = { submissions: 0, readbacks: 0, dispatches: 0, gpuMs: 0 };
  let counted = oracle.engine ?? null;
  let base = counted ? { ...counted.counts } : null;
  let timed = !!counted?.timer; // the device has timestamp queries
  const tally = () => {
    if (counted && base) for (const k of ['submissions', 'readbacks', 'dispatches', 'gpuMs'] as const) counts[k] += counted.counts[k] - base[k];
    counted = oracle.engine ?? null;
    base = counted ? { ...counted.counts } : null;
    timed ||= !!counted?.timer;
  };
  const runs: Run[] = [];
  let results: MinimizeResult[];
  try {
    for (let r = 0; r < prep.runs; r++) {
      const { seed, random, start } = r === 0 ? { seed: prep.seed, random: prep.random, start: prep.start } : prep.forRun(r);
      const run = new Run({ ...prep, params, seed, random, start, callback: options.callback, index: r, finish64 }, oracle, options.resident ?? true);
      runs.push(run);
      await run.start();
    }
    await execute(runs, oracle, batch, () => {
      if ((oracle.engine ?? null) !== counted) tally();
    });
    results = [];
    for (const run of runs) results.push(await run.end(t0));
  } finally {
    for (const run of runs) run.destroy();
    if (!options.oracle) oracle.destroy();
  }
  if (oracle.backend === 'webgpu') {
    // the engine's counters over the call (calls sharing one oracle concurrently share them)
    tally();
    // gpuMs: the timed GPU work (resident batches, argmin passes); null where the device has no timestamps
    const { gpuMs, ...rest } = counts;
    const gpu = { ...rest, gpuMs: timed ? gpuMs : null, resident: runs.some((r) => r.ranResident) };
    if (prep.runs > 1) return combine(results, t0, gpu);
    results[0].info = { ...results[0].info, gpu };
  }
  return prep.runs === 1 ? results[0] : combine(results, t0, undefined);
}

/** Several runs: the best one's result (lowest f, then lowest index), evaluations and time over all. */
function combine(results: MinimizeResult[], t0: number, gpu: Record<string, unknown> | undefined): MinimizeResult {
  let best = 0;
  for (let i = 1; i < results.length; i++) if (results[i].fun < results[best].fun) best = i;
  const top = results[best];
  const nfev = results.reduce((a, r) => a + r.nfev, 0);
  return { ...top, nfev, ms: performance.now() - t0, info: { ...top.info, ...(gpu ? { gpu } : {}) }, best, runs: results };
}
