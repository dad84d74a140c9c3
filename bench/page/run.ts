// One BPM run on the page, reported as a suite case (and streamed to the plots step by step).
import { bpm, type BpmHistoryEntry } from '../../src/bpm/bpm';
import type { Objective } from '../../src/objectives/types';
import type { Oracle } from '../../src/oracle/types';
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
  const oracleMs = r.history.reduce((s, h) => s + h.ms, 0);
  const samples = r.history.reduce((s, h) => s + h.nfev, 0);
  const sps = oracleMs > 0 ? samples / (oracleMs / 1e3) : 0;
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
