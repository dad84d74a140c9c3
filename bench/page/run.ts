// One BPM run on the page, reported as a suite case (and streamed to the plots step by step).
import { bpm, minimize, type BpmHistoryEntry, type MethodName, type Objective, type Oracle } from '../../src/internal';
import type { CaseResult } from './results';

export const distToMinimiser = (obj: Objective, x: number[]): number | null => {
  const ms = obj.minimum?.x;
  if (!ms?.length) return null;
  return Math.min(...ms.map((m) => Math.sqrt(m.reduce((s, v, i) => s + (v - x[i]) ** 2, 0))));
};

export interface RunSpec {
  obj: Objective;
  x0: number[];
  radius: number;
  samples: number;
  seed: number;
  maxIter: number;
  gapTarget?: number;
}

export async function runBpm(oracle: Oracle, spec: RunSpec, onStep: (h: BpmHistoryEntry) => void, shouldStop: () => boolean): Promise<CaseResult> {
  const fStar = spec.obj.minimum?.fun;
  const t0 = performance.now();
  let seen = 0;
  const r = await bpm(spec.obj, spec.x0, {
    radius: spec.radius,
    samples: spec.samples,
    seed: spec.seed,
    maxIter: spec.maxIter,
    fTarget: fStar !== undefined && spec.gapTarget !== undefined ? fStar + spec.gapTarget : undefined,
    oracle,
    batch: 5, // a readback every 5 steps keeps the plots moving
    callback: (s) => {
      seen++;
      onStep(s.last);
      return shouldStop();
    },
  });
  // the step that ended the run is in the history but not seen by the callback
  for (const h of r.history.slice(seen)) onStep(h);
  const totalMs = performance.now() - t0;
  return summary(spec, r, fStar, totalMs, r.history.reduce((s, h) => s + h.nfev, 0));
}

/** The result row of a run: rates over the oracle's time (the history's per-step ms). */
function summary(spec: { obj: { name: string; dim: number }; samples: number; radius: number }, r: { history: Array<{ ms: number }>; backend: CaseResult['backend']; nit: number; status: string; fun: number }, fStar: number | undefined, totalMs: number, evals: number): CaseResult {
  const oracleMs = r.history.reduce((s, h) => s + h.ms, 0);
  const sps = oracleMs > 0 ? evals / (oracleMs / 1e3) : 0;
  return {
    objective: spec.obj.name,
    dim: spec.obj.dim,
    samples: spec.samples,
    radius: spec.radius,
    backend: r.backend,
    iterations: r.nit,
    status: r.status,
    fun: r.fun,
    finalGap: fStar !== undefined ? r.fun - fStar : null,
    samplesPerSec: sps,
    coordEvalsPerSec: sps * spec.obj.dim,
    msPerStep: r.nit > 0 ? oracleMs / r.nit : 0,
    totalMs,
  };
}

/** A step of a minimize() run on the page: the history entry and the population its oracle calls returned. */
export interface MethodStep {
  h: BpmHistoryEntry;
  /** Points the step's population calls (topk) returned: the elites of cma-es / cem; empty for the others. */
  population: number[][];
}

export interface MethodRun {
  result: CaseResult;
  message: string;
  nfev: number;
  method: string;
}

/**
 * One minimize() run with any registered method (interactive page): every step streamed with the
 * population the method's topk calls returned (an oracle wrapper records them), and why it stopped.
 */
export async function runMethod(
  oracle: Oracle,
  spec: RunSpec & { method: MethodName; maxEvals: number; params: Record<string, unknown> },
  onStep: (s: MethodStep) => void,
  shouldStop: () => boolean,
): Promise<MethodRun> {
  const fStar = spec.obj.minimum?.fun;
  const t0 = performance.now();
  let population: number[][] = [];
  const topk = async (...args: Parameters<Oracle['topk']>) => {
    const r = await oracle.topk(...args);
    population.push(...r.points);
    return r;
  };
  // every other member read from the oracle itself (its methods bound to it: private state stays reachable)
  const watched = new Proxy(oracle, {
    get(target, key) {
      if (key === 'topk') return topk;
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  let seen = 0;
  const r = await minimize(spec.obj, spec.x0, {
    method: spec.method,
    seed: spec.seed,
    maxIter: spec.maxIter,
    maxEvals: spec.maxEvals,
    fTarget: fStar !== undefined && spec.gapTarget !== undefined ? fStar + spec.gapTarget : undefined,
    params: spec.params,
    oracle: watched,
    callback: ({ last }) => {
      seen = last.k;
      onStep({ h: last, population });
      population = [];
      return shouldStop();
    },
  });
  // the step that ended the run is in the history, not seen by the callback
  for (const h of r.history.filter((e) => e.k > seen)) {
    onStep({ h, population });
    population = [];
  }
  const totalMs = performance.now() - t0;
  return {
    result: summary(spec, r, fStar, totalMs, r.nfev),
    message: r.message,
    nfev: r.nfev,
    method: r.method,
  };
}
