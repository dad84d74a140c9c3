import { bpm, type BpmHistoryEntry } from '../bpm/bpm.js';
import { describeAdapter } from '../gpu/adapter.js';
import { createOracle } from '../oracle/create.js';
import { DEFAULT_SAMPLES, type BackendChoice } from '../oracle/types.js';
import { resolveObjectiveFlags, type ObjectiveFlags } from './objective-flags.js';
import { broxJson, out, progressBar } from './output.js';
import { parseNumber, parseVector } from './parse.js';

export interface CommonFlags extends ObjectiveFlags {
  backend: string;
  threads?: string;
  tune?: boolean;
  json?: boolean;
}

export interface RunFlags extends CommonFlags {
  radius: string;
  x0?: string;
  samples?: string;
  seed: string;
  maxIter: string;
  maxEvals?: string;
  fTarget?: string;
  ftol?: string;
  radiusDecay?: string;
  radiusMin?: string;
}

export const openOracle = (f: CommonFlags) =>
  createOracle({ backend: f.backend as BackendChoice, threads: f.threads !== undefined ? parseNumber(f.threads, '--threads') : undefined, tune: !!f.tune });

/** `brox run`: BPM. Progress lines on stdout, or one JSON object with --json (bar on a TTY stderr). */
export async function runCommand(f: RunFlags): Promise<void> {
  const { objective, defaultStart } = await resolveObjectiveFlags(f, { objective: 'rastrigin', dim: 2 });
  const x0 = f.x0 !== undefined ? parseVector(f.x0, '--x0') : defaultStart;
  const oracle = await openOracle(f);
  const maxIter = parseNumber(f.maxIter, '--max-iter');
  const bar = f.json ? progressBar(maxIter, 'BPM') : { tick() {}, stop() {} };
  let printed = 0;
  let nfevSoFar = 1;
  const printIter = (h: BpmHistoryEntry, n: number): number => {
    nfevSoFar += h.nfev;
    const rate = h.ms > 0 ? (h.nfev / h.ms) * 1e3 : 0;
    out(`iter ${String(h.k).padStart(4)}  f = ${h.fun.toExponential(6)}  step = ${h.step.toFixed(4)}  nfev = ${nfevSoFar}  ${h.ms.toFixed(1)} ms  ${(rate / 1e6).toFixed(2)} M samples/s`);
    return n + 1;
  };
  try {
    const samples = f.samples !== undefined ? parseNumber(f.samples, '--samples') : DEFAULT_SAMPLES;
    if (!f.json) {
      out(`brox: BPM on ${objective.name} d=${objective.dim}, radius ${f.radius}, ${samples} samples/call, backend ${oracle.backend}`);
      out(`      ${oracle.reason}`);
    }
    const result = await bpm(objective, x0, {
      radius: parseNumber(f.radius, '--radius'),
      samples,
      seed: parseNumber(f.seed, '--seed'),
      maxIter,
      maxEvals: f.maxEvals !== undefined ? parseNumber(f.maxEvals, '--max-evals') : undefined,
      fTarget: f.fTarget !== undefined ? parseNumber(f.fTarget, '--f-target') : undefined,
      ftol: f.ftol !== undefined ? parseNumber(f.ftol, '--ftol') : undefined,
      radiusDecay: f.radiusDecay !== undefined ? parseNumber(f.radiusDecay, '--radius-decay') : undefined,
      radiusMin: f.radiusMin !== undefined ? parseNumber(f.radiusMin, '--radius-min') : undefined,
      oracle,
      callback: ({ last }) => {
        bar.tick(last.k, `f = ${last.fun.toExponential(4)}`);
        if (!f.json) printed = printIter(last, printed);
      },
    });
    bar.stop();
    // the iteration that ended the run is in the history, not seen by the callback
    if (!f.json) for (const h of result.history.slice(printed)) printed = printIter(h, printed);
    const adapter = oracle.adapterInfo;
    if (f.json) {
      const { x, fun, nit, nfev, success, status, message, backend } = result;
      out(JSON.stringify({ x, fun, nit, nfev, success, status, message, backend, adapter, reason: oracle.reason }));
    } else {
      const fStar = objective.minimum?.fun;
      out(`status: ${result.status} (${result.message})`);
      out(`f = ${result.fun}${fStar !== undefined ? `  (known f* = ${fStar}, gap ${(result.fun - fStar).toExponential(3)})` : ''}`);
      out(`x = [${result.x.map((v) => v.toPrecision(6)).join(', ')}]`);
      out(`iterations ${result.nit}, evaluations ${result.nfev}, backend ${result.backend}${adapter ? ` on ${describeAdapter(adapter)}` : ''}`);
    }
  } finally {
    bar.stop();
    oracle.destroy();
  }
}

export interface BroxFlags extends CommonFlags {
  x?: string;
  radius: string;
  samples?: string;
  seed: string;
  call: string;
  offset: string;
}

/** `brox brox`: one oracle call. */
export async function broxCommand(f: BroxFlags): Promise<void> {
  const { objective, defaultStart } = await resolveObjectiveFlags(f, { objective: 'rastrigin', dim: 2 });
  const x = f.x !== undefined ? parseVector(f.x, '--x') : defaultStart;
  const oracle = await openOracle(f);
  try {
    const r = await oracle.brox(objective, x, parseNumber(f.radius, '--radius'), {
      samples: f.samples !== undefined ? parseNumber(f.samples, '--samples') : DEFAULT_SAMPLES,
      seed: parseNumber(f.seed, '--seed'),
      call: parseNumber(f.call, '--call'),
      offset: parseNumber(f.offset, '--offset'),
    });
    if (f.json) out(JSON.stringify({ ...broxJson(r), adapter: oracle.adapterInfo }));
    else {
      out(`${r.improved ? `sample ${r.index} beat the centre` : 'no sample beat the centre'}: f = ${r.fun} (centre ${r.funCenter})`);
      out(`x = [${r.x.map((v) => v.toPrecision(6)).join(', ')}]`);
      out(`${r.nfev} evaluations in ${r.ms.toFixed(1)} ms${r.gpuMs !== undefined ? ` (GPU ${r.gpuMs.toFixed(2)} ms)` : ''} on ${r.backend}`);
    }
  } finally {
    oracle.destroy();
  }
}
