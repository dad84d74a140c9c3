import { bpm } from '../bpm/bpm';
import { describeAdapter } from '../gpu/adapter';
import { builtins, getObjective } from '../objectives/registry';
import { createOracle } from '../oracle/create';
import { DEFAULT_SAMPLES, type BackendChoice } from '../oracle/types';
import { parseNumber, parseVector } from './parse';

export interface RunFlags {
  objective: string;
  dim: string;
  radius: string;
  x0?: string;
  samples?: string;
  seed: string;
  maxIter: string;
  maxEvals?: string;
  fTarget?: string;
  ftol?: string;
  backend: string;
  json?: boolean;
}


export async function runCommand(f: RunFlags, out: (line: string) => void): Promise<void> {
  const dim = parseNumber(f.dim, '--dim');
  const objective = getObjective(f.objective, dim);
  const x0 = f.x0 !== undefined ? parseVector(f.x0, '--x0') : builtins[f.objective].defaultStart(dim);
  const oracle = await createOracle({ backend: f.backend as BackendChoice });
  try {
    const samples = f.samples !== undefined ? parseNumber(f.samples, '--samples') : DEFAULT_SAMPLES;
    if (!f.json) {
      out(`brox: BPM on ${objective.name} d=${dim}, radius ${f.radius}, ${samples} samples/call, backend ${oracle.backend}`);
      out(`      ${oracle.reason}`);
    }
    const result = await bpm(objective, x0, {
      radius: parseNumber(f.radius, '--radius'),
      samples,
      seed: parseNumber(f.seed, '--seed'),
      maxIter: parseNumber(f.maxIter, '--max-iter'),
      maxEvals: f.maxEvals !== undefined ? parseNumber(f.maxEvals, '--max-evals') : undefined,
      fTarget: f.fTarget !== undefined ? parseNumber(f.fTarget, '--f-target') : undefined,
      ftol: f.ftol !== undefined ? parseNumber(f.ftol, '--ftol') : undefined,
      oracle,
      callback: f.json
        ? undefined
        : ({ last, nfev }) => {
            const rate = last.ms > 0 ? (last.nfev / last.ms) * 1e3 : 0;
            out(`iter ${String(last.k).padStart(4)}  f = ${last.fun.toExponential(6)}  step = ${last.step.toFixed(4)}  nfev = ${nfev}  ${last.ms.toFixed(1)} ms  ${(rate / 1e6).toFixed(2)} M samples/s`);
          },
    });
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
    oracle.destroy();
  }
}
