import type { GeneratorName } from '../rng/generator.js';
import type { BpmHistoryEntry } from '../bpm/bpm.js';
import { BroxError, preview } from '../errors.js';
import { MAX_RUNS, minimize, prepareRun } from '../methods/minimize.js';
import { DEFAULT_METHOD, methodNames, methods } from '../methods/registry.js';
import { checkBounds } from '../samplers/bounds.js';
import type { BoundsSpec, SamplerSpec } from '../samplers/types.js';
import { prepareSampler } from '../samplers/spec.js';
import { describeAdapter } from '../gpu/adapter.js';
import { createOracle } from '../oracle/create.js';
import { DEFAULT_SAMPLES, type BackendChoice } from '../oracle/types.js';
import { resolveObjectiveFlags, type ObjectiveFlags } from './objective-flags.js';
import { broxJson, jsonLine, out, progressBar } from './output.js';
import { parseNumber, parseVector } from './parse.js';
import type { MethodName, MinimizeResult } from '../methods/minimize-types.js';
import { checkInteger } from '../validate.js';

export interface CommonFlags extends ObjectiveFlags {
  backend: string;
  threads?: string;
  tune?: boolean;
  json?: boolean;
}

export interface RunFlags extends CommonFlags {
  /** Absent: DEFAULT_METHOD, or bpm when a BPM flag is given (see runMethod). */
  method?: string;
  radius?: string;
  x0?: string;
  samples?: string;
  seed: string;
  generator?: string;
  maxIter?: string;
  maxEvals?: string;
  fTarget?: string;
  ftol?: string;
  radiusDecay?: string;
  radiusMin?: string;
  bounds?: string;
  ball?: string;
  schedule?: string;
  rounds?: string;
  shrink?: string;
  restarts?: boolean;
  params?: string;
  runs?: string;
}

export const openOracle = (f: CommonFlags) =>
  createOracle({ backend: f.backend as BackendChoice, threads: f.threads !== undefined ? parseNumber(f.threads, '--threads') : undefined, tune: !!f.tune });

function parseJson(s: string, option: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new BroxError(option, `must be JSON, got '${preview(s)}' (${(e as Error).message})`);
  }
}

/** "lo,hi" (every coordinate) or "lo1,lo2,...;hi1,hi2,..." (per coordinate), or "none". */
export function parseBounds(s: string, d: number): BoundsSpec | null {
  if (s.trim() === 'none') return null;
  const parts = s.split(';');
  if (parts.length === 1) {
    const v = parseVector(s, '--bounds');
    if (v.length !== 2) throw new BroxError('--bounds', `must be "lo,hi", "lo1,...;hi1,..." or "none", got '${preview(s)}'`);
    return checkBounds([v[0], v[1]], d, '--bounds') && [v[0], v[1]];
  }
  if (parts.length !== 2) throw new BroxError('--bounds', `must be "lo,hi", "lo1,...;hi1,..." or "none", got '${preview(s)}'`);
  const b: BoundsSpec = [parseVector(parts[0], '--bounds'), parseVector(parts[1], '--bounds')];
  checkBounds(b, d, '--bounds');
  return b;
}

/** [lo, hi]^d for a cube, else [lo1, hi1] x ... */
const boxText = (b: BoundsSpec): string =>
  typeof b[0] === 'number' && typeof b[1] === 'number' ? `[${b[0]}, ${b[1]}]^d` : `[${Array.from(b[0] as ArrayLike<number>).join(', ')}] .. [${Array.from(b[1] as ArrayLike<number>).join(', ')}]`;

/** The BPM flags of `brox run`, by the BPM parameter each sets. */
const BPM_FLAGS: Array<[keyof RunFlags, string]> = [
  ['radius', '--radius'],
  ['schedule', '--schedule'],
  ['radiusDecay', '--radius-decay'],
  ['radiusMin', '--radius-min'],
  ['rounds', '--rounds'],
  ['shrink', '--shrink'],
  ['ball', '--ball'],
];

/**
 * Method parameters from the BPM flags and --params (JSON). Each flag's value is checked by BPM's own
 * params() at once, so an error names the flag (--ball, not params.ball); BPM flags with another
 * method are refused (they would be ignored).
 */
export function methodParams(f: RunFlags, d: number, bounds: BoundsSpec | null): Record<string, unknown> {
  let p: Record<string, unknown> = {};
  if (f.params !== undefined) {
    try {
      p = JSON.parse(f.params);
    } catch (e) {
      throw new BroxError('--params', `must be a JSON object, got '${preview(f.params)}' (${(e as Error).message})`);
    }
    if (!p || typeof p !== 'object' || Array.isArray(p)) throw new BroxError('--params', 'must be a JSON object of method parameters');
  }
  const given = BPM_FLAGS.filter(([k]) => f[k] !== undefined).map(([, flag]) => flag);
  if (f.restarts === false) given.push('--no-restarts');
  const method = runMethod(f);
  if (method !== 'bpm') {
    if (given.length) throw new BroxError(given[0], `is a BPM option and --method ${method} has no such parameter; its parameters go in --params (allowed: ${methodKeys(method, d, bounds)})`);
    return p;
  }
  const bpm = methods.bpm;
  const defaults = bpm.defaults(d, checkBounds(bounds, d));
  /** One BPM parameter from a flag, checked now by BPM itself; the error names the flag. */
  const set = (k: string, v: unknown, flag: string) => {
    if (v === undefined) return;
    try {
      bpm.params!({ [k]: v }, defaults);
    } catch (e) {
      if (e instanceof BroxError) throw new BroxError(flag, e.message.replace(/^params\.\w+: /, ''));
      throw e;
    }
    p[k] = v;
  };
  const num = (v: string | undefined, flag: string) => (v === undefined ? undefined : parseNumber(v, flag));
  const radius = num(f.radius, '--radius');
  set('radius', radius, '--radius');
  if (f.radiusDecay !== undefined) {
    if (f.schedule !== undefined && f.schedule !== 'geometric') throw new BroxError('--radius-decay', `sets the geometric schedule; --schedule ${f.schedule} has no decay`);
    p.schedule = 'geometric';
    set('decay', num(f.radiusDecay, '--radius-decay'), '--radius-decay');
  }
  // the floor as a radius (BPM's radiusMin: it replaces minRatio x t0, and wins over --params' radiusMin)
  if (f.radiusMin !== undefined) {
    const floor = parseNumber(f.radiusMin, '--radius-min');
    const t0 = radius ?? (p.radius as number | undefined) ?? defaults.radius;
    if (floor > t0) throw new BroxError('--radius-min', `must be at most the initial radius t0 = ${t0}, got ${floor}`);
    set('radiusMin', floor, '--radius-min');
  }
  set('schedule', f.schedule, '--schedule');
  set('rounds', num(f.rounds, '--rounds'), '--rounds');
  set('shrink', num(f.shrink, '--shrink'), '--shrink');
  set('ball', f.ball, '--ball');
  if (f.restarts === false) p.restarts = false;
  return p;
}

/**
 * The method of `brox run`: --method, else bpm when a BPM flag (--radius, --ball, --no-restarts, ...)
 * is given (those flags were written for BPM, the default before the portfolio), else DEFAULT_METHOD.
 */
export function runMethod(f: RunFlags): string {
  if (f.method !== undefined) return f.method;
  return BPM_FLAGS.some(([k]) => f[k] !== undefined) || f.restarts === false ? 'bpm' : DEFAULT_METHOD;
}

const methodKeys = (name: string, d: number, bounds: BoundsSpec | null): string => {
  const m = methods[name];
  return m ? Object.keys(m.defaults(d, checkBounds(bounds, d))).join(', ') : '?';
};

/**
 * `brox run`: minimize() with a method (default DEFAULT_METHOD, or BPM with BPM flags). Built-ins search their usual domain (the
 * bounds) and stop once f is within 1e-3 max(1, |f*|) of their known minimum unless --f-target
 * says otherwise. Progress lines on stdout, or one JSON object with --json (bar on a TTY stderr).
 */
export async function runCommand(flags: RunFlags): Promise<void> {
  const f = { ...flags, method: runMethod(flags) };
  const { objective, defaultStart } = await resolveObjectiveFlags(f, { objective: 'rastrigin', dim: 2 });
  const d = objective.dim;
  // every argument is checked before a backend opens
  const x0 = f.x0 !== undefined ? parseVector(f.x0, '--x0') : defaultStart;
  const bounds = f.bounds !== undefined ? parseBounds(f.bounds, d) : objective.domain ? ([objective.domain[0], objective.domain[1]] as const) : null;
  const fStar = objective.minimum?.fun;
  const fTarget = f.fTarget !== undefined ? (f.fTarget === 'none' ? undefined : parseNumber(f.fTarget, '--f-target')) : fStar !== undefined ? fStar + 1e-3 * Math.max(1, Math.abs(fStar)) : undefined;
  if (!Object.hasOwn(methods, f.method)) throw new BroxError('--method', `must be one of ${methodNames().join(', ')}, got '${preview(f.method)}'`);
  const params = methodParams(f, d, bounds);
  const maxEvals = f.maxEvals !== undefined ? parseNumber(f.maxEvals, '--max-evals') : undefined;
  const maxIter = f.maxIter !== undefined ? parseNumber(f.maxIter, '--max-iter') : undefined;
  const samples = f.samples !== undefined ? parseNumber(f.samples, '--samples') : undefined;
  const seed = parseNumber(f.seed, '--seed');
  // named by the flag here (minimize() would say `runs`), the range is the library's
  const runs = f.runs !== undefined ? checkInteger(parseNumber(f.runs, '--runs'), '--runs', 1, MAX_RUNS) : 1;
  const many = runs > 1;
  const x0In = x0;
  // everything minimize() checks, checked before the backend opens
  const generator = f.generator as GeneratorName | undefined;
  const run = prepareRun(objective, x0In, { method: f.method as MethodName | undefined, bounds, seed, generator, maxEvals, maxIter, fTarget, samples, params, runs });
  const seedOf = (r: number) => (run.seed + r) >>> 0; // minimize()'s seed of run r
  const oracle = await openOracle(f);
  // evaluations against the budget (runs end on the budget far more often than on the iteration cap); every run has its own
  const bar = f.json ? progressBar(run.maxEvals * runs, f.method) : { tick() {}, stop() {} };
  // several runs: each run's evaluations as its callback last saw them, their sum, the best f of all runs so far
  const runNfev = new Float64Array(runs);
  let totalNfev = 0;
  let bestSeen = Infinity;
  let bestLines = 0;
  const MAX_BEST_LINES = 200;
  let printed = 0;
  let lastK = 0; // last iteration printed
  let seenK = 0; // last iteration the callback saw, and the run's evaluations then (x0 and init included)
  let seenNfev = 0;
  const printIter = (h: BpmHistoryEntry, nfev: number, n: number): number => {
    const rate = h.ms > 0 ? (h.nfev / h.ms) * 1e3 : 0;
    out(`iter ${String(h.k).padStart(4)}  f = ${h.fun.toExponential(6)}  t = ${h.radius.toPrecision(3)}  nfev = ${nfev}  ${h.ms.toFixed(1)} ms  ${(rate / 1e6).toFixed(2)} M samples/s`);
    return n + 1;
  };
  try {
    if (!f.json) {
      out(`brox: ${f.method} on ${objective.name} d=${d}${bounds ? ` in ${boxText(bounds)}` : ''}, backend ${oracle.backend}${many ? `, ${runs} runs (seeds ${seedOf(0)}..${seedOf(runs - 1)})` : ''}`);
      out(`      ${oracle.reason}`);
      // B runs advance round by round, interleaved: one line per iteration of each would be B
      // unreadable streams, so the lines follow the best f over all runs instead
      if (many) out('      a line each time a run beats the best f of all runs so far; nfev: evaluations of all runs');
    }
    const result = await minimize(objective, x0In, {
      method: f.method as MethodName | undefined,
      bounds,
      seed,
      generator,
      maxEvals,
      maxIter,
      fTarget,
      samples,
      params,
      oracle,
      runs,
      // one run: the tail of the history completes the iteration lines; several: not used (see the callback)
      history: f.json || many ? false : 1000,
      callback: ({ last, nfev, fun, radius, run: r }) => {
        if (many) {
          totalNfev += nfev - runNfev[r];
          runNfev[r] = nfev;
          bar.tick(totalNfev, `run ${r}  iter ${last.k}  best f = ${Math.min(bestSeen, fun).toExponential(4)}`);
          // a gain too small to show (7 digits) makes no line: it would repeat the one above
          if (fun < bestSeen && fun.toExponential(6) !== bestSeen.toExponential(6)) {
            if (!f.json && bestLines < MAX_BEST_LINES) out(`run ${String(r).padStart(4)}  iter ${String(last.k).padStart(4)}  f = ${fun.toExponential(6)}  t = ${radius.toPrecision(3)}  nfev = ${totalNfev}`);
            else if (!f.json && bestLines === MAX_BEST_LINES) out(`... (later improvements not printed)`);
            bestLines++;
          }
          bestSeen = Math.min(bestSeen, fun);
          return;
        }
        bar.tick(nfev, `iter ${last.k}  f = ${last.fun.toExponential(4)}`);
        seenK = last.k;
        seenNfev = nfev;
        if (!f.json && last.k <= 200) {
          printed = printIter(last, nfev, printed);
          lastK = last.k;
        }
      },
    });
    bar.stop();
    // the iteration that ended the run is in the history, not seen by the callback
    if (!f.json && !many) {
      const tail = result.history.filter((h) => h.k > seenK);
      // the callback saw no iteration (the first one ended the run): count back from the total
      let nfev = seenK > 0 ? seenNfev : result.nfev - tail.reduce((a, h) => a + h.nfev, 0);
      const cum = new Map<number, number>([[seenK, seenNfev]]);
      for (const h of tail) cum.set(h.k, (nfev += h.nfev));
      // iterations up to 200 not printed yet, and always the last one
      const last = result.history.at(-1);
      const shown = tail.filter((h) => h.k > lastK && h.k <= 200);
      if (last && last.k === result.nit && last.k > lastK && !shown.includes(last)) shown.push(last);
      for (const h of shown) {
        if (h.k > lastK + 1 && lastK >= 200) out(`... (${h.k - lastK - 1} more iterations)`);
        printed = printIter(h, cum.get(h.k)!, printed);
        lastK = h.k;
      }
      if (nfev !== result.nfev && seenK + tail.length === result.nit) out(`(+ ${result.nfev - nfev} evaluations of a step the budget cut short: nfev = ${result.nfev})`);
    }
    const adapter = oracle.adapterInfo;
    if (f.json) {
      const { x, fun, nit, nfev, success, status, message, backend, method, info, ms } = result;
      // several runs: every run (history never kept with --json), and the index of the best
      const perRun = result.runs ? { best: result.best, runs: result.runs.map((r, i) => runJson(r, seedOf(i))) } : {};
      out(jsonLine({ x, fun, nit, nfev, success, status, message, backend, method, info, ms, ...perRun, adapter, reason: oracle.reason }));
    } else {
      out(`status: ${result.status} (${result.message})`);
      out(`f = ${result.fun}${fStar !== undefined ? `  (known f* = ${fStar}, gap ${(result.fun - fStar).toExponential(3)})` : ''}`);
      out(`x = [${result.x.map((v) => v.toPrecision(6)).join(', ')}]`);
      out(`iterations ${result.nit}, evaluations ${result.nfev}${many ? ` over ${runs} runs` : ''}, ${(result.ms / 1e3).toFixed(2)} s, backend ${result.backend}${adapter ? ` on ${describeAdapter(adapter)}` : ''}`);
      if (result.runs) for (const line of runsTable(result.runs, result.best!, seedOf)) out(line);
      const cert = (result.info as { certificate?: { improvedFraction: number; radius: number; samples: number } } | undefined)?.certificate;
      if (cert) out(`certificate: ${(100 * cert.improvedFraction).toFixed(3)}% of ${cert.samples} samples beat the final point at radius ${cert.radius.toPrecision(3)}`);
    }
  } finally {
    bar.stop();
    oracle.destroy();
  }
}

/** One run of `--runs B` in the --json output (the fields of the result, and the run's seed). */
const runJson = (r: MinimizeResult, seed: number) => {
  const { x, fun, nit, nfev, success, status, message, info, ms } = r;
  return { seed, x, fun, nit, nfev, success, status, message, info, ms };
};

/** `--runs B` in text: which run is the best (the result above is its), then one line per run. */
function runsTable(runs: MinimizeResult[], best: number, seedOf: (r: number) => number): string[] {
  const lines = [`best of ${runs.length} runs: run ${best} (seed ${seedOf(best)}), shown above`, `${'run'.padStart(4)}  ${'seed'.padStart(10)}  ${'f'.padEnd(15)}  ${'nfev'.padStart(10)}  status`];
  runs.forEach((r, i) => lines.push(`${String(i).padStart(4)}  ${String(seedOf(i)).padStart(10)}  ${r.fun.toExponential(6).padEnd(15)}  ${String(r.nfev).padStart(10)}  ${r.status}${i === best ? '  (best)' : ''}`));
  return lines;
}

export interface BroxFlags extends CommonFlags {
  x?: string;
  ball?: string;
  bounds?: string;
  rounds?: string;
  shrink?: string;
  radius: string;
  samples?: string;
  seed: string;
  generator?: string;
  call: string;
  offset: string;
}

/** `brox brox`: one oracle call. */
export async function broxCommand(f: BroxFlags): Promise<void> {
  const { objective, defaultStart } = await resolveObjectiveFlags(f, { objective: 'rastrigin', dim: 2 });
  const x = f.x !== undefined ? parseVector(f.x, '--x') : defaultStart;
  const ball = f.ball === undefined ? undefined : f.ball.trim().startsWith('{') ? parseJson(f.ball, '--ball') : (f.ball as SamplerSpec);
  prepareSampler(ball as SamplerSpec | undefined, objective.dim, f.generator); // checked before the backend opens
  const generator = f.generator as GeneratorName | undefined;
  const bounds = f.bounds !== undefined ? parseBounds(f.bounds, objective.dim) : null;
  const oracle = await openOracle(f);
  try {
    const r = await oracle.brox(objective, x, parseNumber(f.radius, '--radius'), {
      samples: f.samples !== undefined ? parseNumber(f.samples, '--samples') : DEFAULT_SAMPLES,
      seed: parseNumber(f.seed, '--seed'),
      generator,
      call: parseNumber(f.call, '--call'),
      offset: parseNumber(f.offset, '--offset'),
      ball: ball as SamplerSpec | undefined,
      bounds,
      rounds: f.rounds !== undefined ? parseNumber(f.rounds, '--rounds') : undefined,
      shrink: f.shrink !== undefined ? parseNumber(f.shrink, '--shrink') : undefined,
    });
    if (f.json) out(jsonLine({ ...broxJson(r), adapter: oracle.adapterInfo }));
    else {
      out(`${r.improved ? `sample ${r.index} beat the centre` : 'no sample beat the centre'}: f = ${r.fun} (centre ${r.funCenter})`);
      out(`x = [${r.x.map((v) => v.toPrecision(6)).join(', ')}]`);
      out(`${r.nfev} evaluations in ${r.ms.toFixed(1)} ms${r.gpuMs !== undefined ? ` (GPU ${r.gpuMs.toFixed(2)} ms)` : ''} on ${r.backend}`);
    }
  } finally {
    oracle.destroy();
  }
}
