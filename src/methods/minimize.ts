import { getGenerator, type GeneratorName } from '../rng/generator.js';
import { STATUS, type BpmHistoryEntry } from './status.js';
import { BroxError } from '../errors.js';
import { createOracle } from '../oracle/create.js';
import { createCpuOracle } from '../oracle/cpu.js';
import { orderValue } from '../oracle/cpu-scan.js';
import { resolveObjective } from '../oracle/inputs.js';
import type { ObjectiveInput, Oracle } from '../oracle/types.js';
import { threefry2x32 } from '../rng/threefry.js';
import { makeYielder } from '../yield.js';
import { checkBounds, checkInside } from '../samplers/bounds.js';
import { checkDim, checkInteger, checkNumber, checkPoint, checkSeed } from '../validate.js';
import type { MinimizeOptions, MinimizeResult, MinimizeStatus } from './minimize-types.js';
import { DEFAULT_METHOD, methodNames, methods } from './registry.js';
import type { MethodContext, ResidentSession, StepReport } from './types.js';

export type { MinimizeOptions, MinimizeResult, MinimizeStatus } from './minimize-types.js';

export const DEFAULT_MAX_EVALS = 2 ** 24;

const MESSAGES: Record<MinimizeStatus, { success: boolean; message: string }> = {
  ...STATUS,
  converged: { success: true, message: "the method's own convergence tolerances were met (a local result unless the method restarts)" },
};

/** Internal: a primitive asked for evaluations the budget no longer has. */
class BudgetSpent extends Error {}

/** Validates every argument of minimize() (BroxError naming it) without opening a backend. */
export function prepareRun(objective: ObjectiveInput, x0?: ArrayLike<number> | null, options: MinimizeOptions & { dim?: number } = {}) {
  if (!options || typeof options !== 'object') throw new BroxError('options', 'must be an object');
  const dimHint = x0 ? x0.length : options.dim !== undefined ? checkDim(options.dim) : undefined;
  const obj = resolveObjective(objective, dimHint);
  const d = obj.dim;
  const name = options.method ?? DEFAULT_METHOD;
  if (typeof name !== 'string' || !Object.hasOwn(methods, name)) throw new BroxError('method', `must be one of ${methodNames().map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(name)}`);
  const method = methods[name];
  const bounds = options.bounds === null ? null : checkBounds(options.bounds ?? (obj.domain ? [obj.domain[0], obj.domain[1]] : undefined), d);
  const seed = checkSeed(options.seed ?? 0, 'seed');
  const generator = getGenerator(options.generator).name as GeneratorName; // checked before any sampling
  const maxEvals = checkInteger(options.maxEvals ?? DEFAULT_MAX_EVALS, 'maxEvals', 2, Number.MAX_SAFE_INTEGER);
  const maxIter = checkInteger(options.maxIter ?? 1e6, 'maxIter', 0, 1e9);
  const fTarget = options.fTarget === undefined || options.fTarget === null ? -Infinity : checkNumber(options.fTarget, 'fTarget', -Number.MAX_VALUE, Number.MAX_VALUE);
  const keep = options.history === undefined || options.history === true ? Infinity : options.history === false ? 0 : checkInteger(options.history, 'history', 0, 1e9);
  if (options.callback !== undefined && typeof options.callback !== 'function') throw new BroxError('callback', 'must be a function');
  if (options.params !== undefined && (options.params === null || typeof options.params !== 'object')) throw new BroxError('params', 'must be an object of method parameters');
  const signal = options.signal;
  if (options.resident !== undefined && typeof options.resident !== 'boolean') throw new BroxError('resident', `must be true or false, got ${String(options.resident)}`);
  if (options.finish64 !== undefined && typeof options.finish64 !== 'boolean') throw new BroxError('finish64', `must be true or false, got ${String(options.finish64)}`);
  if (options.batch !== undefined) checkInteger(options.batch, 'batch', 1, 4096);

  // host-side random numbers for the method's own choices: Threefry keyed by (seed, 0xB0C5)
  let rngCounter = 0;
  const words = new Uint32Array(2);
  const random = (): number => {
    threefry2x32(seed, 0xb0c5, rngCounter++, 0, words);
    return (words[0] * 2 ** 21 + (words[1] >>> 11)) / 2 ** 53;
  };

  let start: Float64Array;
  if (x0 !== undefined && x0 !== null) {
    start = checkPoint(x0, d, 'x0');
    checkInside(start, bounds, 'x0');
  } else {
    if (!bounds) throw new BroxError('x0', 'is required when the run has no bounds (nothing to draw a start from)');
    start = Float64Array.from({ length: d }, (_, i) => bounds.lo[i] + random() * (bounds.hi[i] - bounds.lo[i]));
  }
  const defaults = method.defaults(d, bounds);
  const userParams = { ...(options.samples !== undefined ? { samples: options.samples } : {}), ...(options.params ?? {}) };
  const params = method.params ? method.params(userParams, defaults) : { ...defaults, ...userParams };
  return { obj, d, name, method, bounds, seed, generator, maxEvals, maxIter, fTarget, keep, signal, random, start, params };
}

/**
 * Minimises an objective with one of the registered methods (default DEFAULT_METHOD, registry.ts). The driver owns
 * what every method shares: validation, bounds (default: the objective's usual domain), the start
 * (default: uniform in the bounds from the seed), the evaluation budget, RNG call numbers, the
 * best point seen, history, the callback and the scipy-like result.
 */
export async function minimize(objective: ObjectiveInput, x0?: ArrayLike<number> | null, options: MinimizeOptions & { dim?: number } = {}): Promise<MinimizeResult> {
  const t0 = performance.now();
  const { obj, d, name, method, bounds, seed, generator, maxEvals, maxIter, fTarget, keep, signal, random, start, params } = prepareRun(objective, x0, options);
  if (options.oracle !== undefined && (!options.oracle || typeof options.oracle !== 'object' || ['brox', 'topk', 'moments', 'evaluate'].some((m) => typeof (options.oracle as unknown as Record<string, unknown>)[m] !== 'function'))) {
    throw new BroxError('oracle', 'must be an oracle from createOracle()');
  }
  const oracle = options.oracle ?? (await createOracle({ backend: options.backend ?? 'auto' }));
  // float64 finish: where a method's run asks for it (StepReport.float64), its primitives go to a
  // CPU oracle (float64 twins, the same samples) until it stops asking
  const finish64 = options.finish64 ?? true;
  let cpu64: Oracle | null = null;
  let active: Oracle = oracle;
  let steps64 = 0;
  const useFloat64 = (on: boolean) => {
    if (!finish64 || oracle.backend !== 'webgpu') return;
    if (on) active = cpu64 ??= createCpuOracle('float64 finish');
    else active = oracle;
  };
  let nfev = 0;
  let call = 0;
  let bestX = start;
  let bestF = Infinity;
  let sawValue = false;
  let budgetOn = true;
  const left = () => (budgetOn ? maxEvals - nfev : Infinity);
  const spend = (n: number) => {
    if (n < 1) throw new BudgetSpent();
    return n;
  };
  const seen = (x: ArrayLike<number>, f: number) => {
    if (!budgetOn) return; // finish(): reported in info, never the result
    sawValue = true;
    if (f < bestF) {
      bestF = f;
      bestX = Float64Array.from(x);
    }
  };
  const common = () => ({ seed, generator, call: call++, bounds: bounds ? ([bounds.lo, bounds.hi] as const) : null, signal });
  // Every primitive: samples clipped to the budget, evaluations counted, the best value seen kept.
  const ctx: MethodContext = {
    objective: obj,
    dim: d,
    bounds,
    seed,
    fTarget,
    oracle,
    evalsLeft: left,
    random,
    async brox(x, t, o) {
      const rounds = o.rounds ?? 1;
      const samples = spend(Math.min(o.samples, Math.floor(left() / rounds)));
      const r = await active.brox(obj, x, t, { ...common(), samples, ball: o.ball, rounds, shrink: o.shrink });
      nfev += samples * rounds;
      seen(r.x, r.fun);
      return r;
    },
    async topk(center, t, o) {
      const samples = spend(Math.min(o.samples, left()));
      const r = await active.topk(obj, center, t, { ...common(), samples, k: Math.min(o.k, samples), ball: o.ball });
      nfev += samples;
      if (r.values.length) seen(r.points[0], r.values[0]);
      return r;
    },
    async moments(center, t, o) {
      const samples = spend(Math.min(o.samples, Math.floor(left() / 2)));
      const r = await active.moments(obj, center, t, { ...common(), samples, ball: o.ball, temperature: o.temperature, second: o.second });
      nfev += r.nfev;
      seen(r.best, r.bestFun);
      return r;
    },
    async evaluate(points) {
      if (points.length > left()) throw new BudgetSpent();
      const vals: number[] = [];
      for (let i = 0; i < points.length; i++) {
        vals.push(orderValue(obj.js(points[i])));
        seen(points[i], vals[i]);
      }
      nfev += points.length;
      return vals;
    },
  };

  const history: BpmHistoryEntry[] = [];
  let resident = options.resident ?? true;
  const batch = options.batch ?? 64; // checked in prepareRun
  let ranResident = false;
  let session: ResidentSession<unknown> | null = null;
  // GPU counts over the run, across engine replacements (an owned device lost and re-acquired)
  const counts = { submissions: 0, readbacks: 0, dispatches: 0 };
  let counted = oracle.engine ?? null;
  let base = counted ? { ...counted.counts } : null;
  const tally = () => {
    if (counted && base) for (const k of ['submissions', 'readbacks', 'dispatches'] as const) counts[k] += counted.counts[k] - base[k];
    counted = oracle.engine ?? null;
    base = counted ? { ...counted.counts } : null;
  };
  let status: MinimizeStatus | null = null;
  let nit = 0;
  let info: Record<string, unknown> | undefined;
  try {
    const state = await method.init(ctx, Float64Array.from(start), params);
    if (!sawValue) await ctx.evaluate([start]);
    if (bestF <= fTarget) status = 'target-reached';
    let prev = start;
    let lastEntry: BpmHistoryEntry | null = null;
    const record = (rep: StepReport, used: number, ms: number): BpmHistoryEntry => {
      let step = 0;
      for (let i = 0; i < d; i++) step += (rep.x[i] - prev[i]) ** 2;
      prev = Float64Array.from(rep.x);
      const entry: BpmHistoryEntry = { k: nit, x: Array.from(rep.x), fun: rep.fun, step: Math.sqrt(step), radius: rep.radius, nfev: used || rep.nfev, ms, improved: rep.improved, index: rep.index ?? -1 };
      if (keep > 0) {
        history.push(entry);
        if (history.length > keep) history.shift();
      }
      lastEntry = entry;
      return entry;
    };
    const pause = makeYielder();
    while (status === null) {
      await pause();
      if ((oracle.engine ?? null) !== counted) tally();
      if (signal?.aborted) throw new BroxError('signal', 'the run was aborted', 'ABORTED');
      if (nit >= maxIter) {
        status = 'max-iter';
        break;
      }
      if (left() < 1) {
        status = 'max-evals';
        break;
      }
      // Resident executor (WebGPU): whole batches of generations per submission while the method's
      // resident form takes the state; step by step otherwise (every backend; the reference).
      const form = resident ? method.resident : undefined;
      const engine = oracle.engine;
      if (form && engine && !engine.lost && form.ready(state, d)) {
        session ??= await form.open(engine, { objective: obj, dim: d, bounds, seed, generator, fTarget, batch }, state);
        const gens = Math.min(batch, maxIter - nit, Math.floor(left() / session.population));
        if (gens >= 1) {
          const ts = performance.now();
          const first = call;
          let out;
          try {
            out = await session.run(gens, first);
          } catch (e) {
            // A lost device or GPU error mid-batch: the host state is the last batch's (it is only
            // updated from a readback) and `call` did not advance, so the step-by-step executor
            // redoes the lost generations with the same RNG calls, on the oracle's new device.
            if (!(e instanceof BroxError) || !['DEVICE_LOST', 'GPU_ERROR'].includes(e.code)) throw e;
            session.close();
            session = null;
            resident = false;
            tally();
            continue;
          }
          ranResident = true;
          call += out.generations.length;
          const { reports, reopen } = form.after(ctx, state, out);
          if (reopen) (session.close(), (session = null));
          const ms = (performance.now() - ts) / Math.max(1, reports.length);
          for (const rep of reports) {
            nfev += rep.nfev;
            seen(rep.x, rep.fun);
            nit++;
            if (rep.info) info = rep.info;
            record(rep, 0, ms);
            if (bestF <= fTarget) status = 'target-reached';
            else if (rep.stop) status = rep.stop;
            if (status !== null) break;
          }
          useFloat64(!!reports.at(-1)?.float64);
          if (status === null && options.callback && lastEntry && (await options.callback({ x: Array.from(bestX), fun: bestF, nit, nfev, radius: reports.at(-1)?.radius ?? 0, last: lastEntry })) === true) status = 'callback-stop';
          if (reports.length === 0 && !reopen) (session?.close(), (session = null), (resident = false)); // the GPU made no progress: go on step by step
          continue;
        }
      }
      if (session) (session.close(), (session = null));
      const ts = performance.now();
      const before = nfev;
      let rep;
      try {
        rep = await method.step(ctx, state, nit);
      } catch (e) {
        if (e instanceof BudgetSpent) {
          status = 'max-evals';
          break;
        }
        throw e;
      }
      nit++;
      info = rep.info;
      if (active !== oracle) steps64++;
      useFloat64(!!rep.float64);
      const entry = record(rep, nfev - before, performance.now() - ts);
      if (bestF <= fTarget) status = 'target-reached';
      else if (rep.stop) status = rep.stop;
      else if (options.callback && (await options.callback({ x: Array.from(bestX), fun: bestF, nit, nfev, radius: rep.radius, last: entry })) === true) status = 'callback-stop';
    }
    session?.close();
    session = null;
    if (method.finish) {
      // outside the budget: what the method reports about its end (its evaluations are in info)
      budgetOn = false;
      const used = nfev;
      info = { ...info, ...(await method.finish(ctx, state)) };
      nfev = used;
    }
  } finally {
    session?.close();
    (cpu64 as Oracle | null)?.destroy(); // assigned in useFloat64 (TS narrows it to null here)
    if (!options.oracle) oracle.destroy();
  }
  if (steps64 > 0) info = { ...info, float64: { steps: steps64 } };
  if (oracle.backend === 'webgpu') {
    // the engine's counters over the run (runs sharing one oracle concurrently share them)
    tally();
    info = { ...info, gpu: { ...counts, resident: ranResident } };
  }
  // With a target, only reaching it is success (a fixed point or a converged run above it is not);
  // without one, the status table says (scipy's sense: the method's own criterion was met).
  const { success: stopped, message } = MESSAGES[status];
  const success = Number.isFinite(fTarget) ? status === 'target-reached' : stopped;
  return { x: Array.from(bestX), fun: bestF, nit, nfev, success, status, message, history, backend: oracle.backend, method: name, ms: performance.now() - t0, info };
}
