import { BroxError } from '../errors.js';
import { orderValue } from './cpu-scan.js';
import type { BackendName, MomentsResult, MomentsSums } from './types.js';

/** The best sample of a range as a result reports it. */
export interface MomentsBest {
  bestIndex: number;
  best: number[];
  bestFun: number;
}

/**
 * The public fields of a moments result from its sums: one call and a merge of ranges both end
 * here, so they normalise the same way.
 */
export function momentsResult(s: MomentsSums, best: MomentsBest, backend: BackendName, ms: number): MomentsResult {
  const d = s.center.length;
  const mean = s.center.slice();
  let second: number[] | number[][] | null = s.second === 'none' ? null : s.second === 'diag' ? new Array(d).fill(0) : Array.from({ length: d }, () => new Array(d).fill(0));
  if (s.w0 > 0) {
    const mv = s.m1.map((v) => v / s.w0);
    for (let i = 0; i < d; i++) mean[i] += mv[i];
    if (s.second === 'diag') second = mv.map((v, i) => Math.max(0, s.m2![i] / s.w0 - v * v));
    else if (s.second === 'full') {
      const S = second as number[][];
      let e = 0;
      for (let a = 0; a < d; a++)
        for (let b = a; b < d; b++) {
          S[a][b] = S[b][a] = s.full![e++] / s.w0 - mv[a] * mv[b];
          if (a === b) S[a][a] = Math.max(0, S[a][a]);
        }
    }
  }
  const n = s.n;
  return {
    mean,
    second,
    fractionBelowCenter: s.below / s.samples,
    fmin: n > 0 ? s.fmin : NaN,
    fmean: n > 0 ? s.shift + s.sum / n : NaN,
    fstd: n > 0 ? Math.sqrt(Math.max(0, s.sumsq / n - (s.sum / n) ** 2)) : NaN,
    bestIndex: best.bestIndex,
    best: best.best,
    bestFun: best.bestFun,
    tau: s.tau,
    ess: s.w2 > 0 ? (s.w0 * s.w0) / s.w2 : 0,
    nfev: 2 * s.samples,
    backend,
    ms,
    sums: s,
  };
}

const isNum = (v: unknown): v is number => typeof v === 'number';
const isNums = (v: unknown, len: number): v is number[] => Array.isArray(v) && v.length === len && v.every(isNum);
/** `brox serve` writes non-finite numbers as "Infinity" / "-Infinity" / "NaN" (src/cli/output.ts): read them back. */
const fromJson = (v: unknown): unknown => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : Array.isArray(v) ? v.map(fromJson) : v);
const SCALARS = ['offset', 'samples', 'seed', 'call', 't', 'tau', 'fmin', 'n', 'sum', 'sumsq', 'below', 'shift', 'w0', 'w2'] as const;

/** The sums of a result handed to mergeMoments, checked for shape (a result of an older brox has none). */
function sumsOf(r: unknown, argument: string): MomentsSums {
  const raw = (r as { sums?: unknown } | null)?.sums as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object') throw new BroxError(argument, 'must be a result of oracle.moments (or of mergeMoments), with its `sums`');
  const s = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, fromJson(v)])) as unknown as MomentsSums;
  const d = Array.isArray(s.center) ? s.center.length : 0;
  const tri = (d * (d + 1)) / 2;
  const ok =
    d > 0 &&
    isNums(s.center, d) &&
    SCALARS.every((k) => isNum(s[k])) &&
    Number.isInteger(s.offset) && s.offset >= 0 && Number.isInteger(s.samples) && s.samples >= 1 &&
    (s.second === 'none' || s.second === 'diag' || s.second === 'full') &&
    typeof s.relative === 'boolean' &&
    isNums(s.m1, d) &&
    (s.second === 'diag' ? isNums(s.m2, d) : s.m2 === null) &&
    (s.second === 'full' ? isNums(s.full, tri) : s.full === null);
  if (!ok) throw new BroxError(`${argument}.sums`, 'must be the sums of a moments result, unchanged (numbers, arrays of the centre\'s length)');
  const res = r as MomentsResult;
  if (!isNum(res.bestIndex) || !isNums(fromJson(res.best), d) || !isNum(fromJson(res.bestFun))) throw new BroxError(argument, 'must carry bestIndex, best and bestFun (a result of oracle.moments)');
  return s;
}

/** The best sample of a result, non-finite numbers read back from serve's JSON. */
const bestOf = (r: MomentsResult): MomentsBest => ({ bestIndex: r.bestIndex, best: fromJson(r.best) as number[], bestFun: fromJson(r.bestFun) as number });

/**
 * Joins the moments results of two adjacent sample ranges of one population — [o, o + n) and
 * [o + n, o + n + m), in either order — into the result of [o, o + n + m), as one call over the
 * whole range gives it: the same best sample (by the backend's value, ties to the lowest index),
 * counts, value statistics and, up to rounding, the same mean, second moment and ess (exactly the
 * arithmetic of float64 sums on the CPU; float32 partial sums on WebGPU, like one call's).
 *
 * How: each range's weights are anchored at its own minimum, w = exp(-(f - anchor)/tau). The
 * merged anchor is the smaller one, and exp(-(f - lo)/tau) = exp(-(f - hi)/tau) exp(-(hi - lo)/tau),
 * so the other range's weighted sums are scaled by exp(-(hi - lo)/tau) (its w^2 sum by the square;
 * tau = 0: by 0, or 1 on a tie) and added. Value statistics share the shift f(centre), so they add.
 *
 * Refused (BroxError naming the argument): results of a relative temperature (tau = r std f came
 * from each range's own std, so the weights are not the whole population's: run a first round,
 * merge it, and pass r times the merged `fstd` as a number), ranges that are not adjacent (a gap or
 * an overlap would count samples that one call does not), and parts of different populations as
 * far as the sums tell (seed, call, t, centre, tau, second). The result's backend is a's; ms adds.
 * The merged result merges again, so any number of ranges join pairwise, in any tree order.
 */
export function mergeMoments(a: MomentsResult, b: MomentsResult): MomentsResult {
  const A = sumsOf(a, 'a');
  const B = sumsOf(b, 'b');
  if (A.relative || B.relative) {
    throw new BroxError('temperature', `results of a relative temperature do not merge (tau = r std f came from each range's own values); run the ranges with a number: r times the fstd of merged results of a first round`);
  }
  if (A.center.length !== B.center.length || A.center.some((v, i) => !Object.is(v, B.center[i]))) throw new BroxError('b.sums.center', 'must equal a\'s: both parts must come from one population (the same centre)');
  // shift = f(centre): equal whenever the centres are, unless the objectives differ
  for (const k of ['seed', 'call', 't', 'tau', 'second', 'shift'] as const) {
    if (!Object.is(A[k], B[k])) throw new BroxError(`b.sums.${k}`, `must equal a's (${String(A[k])}): both parts must come from one population, got ${String(B[k])}`);
  }
  const [lo, hi] = A.offset <= B.offset ? [A, B] : [B, A];
  const [rlo, rhi] = A.offset <= B.offset ? [a, b] : [b, a];
  if (lo.offset + lo.samples !== hi.offset) {
    throw new BroxError('b.sums.offset', `the ranges must be adjacent, got [${A.offset}, ${A.offset + A.samples}) and [${B.offset}, ${B.offset + B.samples}); ${lo.offset + lo.samples < hi.offset ? 'a gap' : 'an overlap'} would count samples that one call does not`);
  }
  // the best: lower backend value, then lower index (one call's rule); -1 = the range had none
  const loWins = rhi.bestIndex < 0 || (rlo.bestIndex >= 0 && !(orderValue(hi.fmin) < orderValue(lo.fmin)));
  const win = loWins ? rlo : rhi;
  const n = lo.n + hi.n;
  const fmin = loWins ? lo.fmin : hi.fmin;
  // the anchor one call would use (0 without finite values: every weight is then 0 anyway)
  const anchor = n > 0 ? fmin : 0;
  const tau = A.tau;
  const scale = (s: MomentsSums): number => (s.n === 0 || !(s.w0 > 0) ? 0 : s.fmin === anchor ? 1 : tau > 0 ? Math.exp(-(s.fmin - anchor) / tau) : 0);
  const cl = scale(lo);
  const ch = scale(hi);
  const add = (x: number, y: number) => cl * x + ch * y;
  const addSq = (x: number, y: number) => cl * cl * x + ch * ch * y;
  const sums: MomentsSums = {
    offset: lo.offset,
    samples: lo.samples + hi.samples,
    seed: A.seed,
    call: A.call,
    t: A.t,
    center: A.center.slice(),
    second: A.second,
    tau,
    relative: false,
    fmin,
    n,
    sum: lo.sum + hi.sum,
    sumsq: lo.sumsq + hi.sumsq,
    below: lo.below + hi.below,
    shift: A.shift,
    w0: add(lo.w0, hi.w0),
    w2: addSq(lo.w2, hi.w2),
    m1: lo.m1.map((v, i) => add(v, hi.m1[i])),
    m2: lo.m2 ? lo.m2.map((v, i) => add(v, hi.m2![i])) : null,
    full: lo.full ? lo.full.map((v, i) => add(v, hi.full![i])) : null,
  };
  return momentsResult(sums, bestOf(win), a.backend, a.ms + b.ms);
}
