import type { GeneratorName } from '../rng/generator.js';
import type { BpmHistoryEntry, BpmStatus } from '../bpm/bpm.js';
import type { BackendChoice, BackendName, Oracle } from '../oracle/types.js';
import type { BoundsSpec } from '../samplers/types.js';

/**
 * The names of src/methods/registry.ts: a new method adds its name here too (test/method-names.test.ts
 * fails until it does). minimize() still checks the name at run time (callers without types).
 */
export type MethodName = 'bpm' | 'cma-es' | 'cem' | 'annealed' | 'random';

/** Why a run stopped: BPM's statuses plus 'converged' (a population method's own tolerances). */
export type MinimizeStatus = BpmStatus | 'converged';

export interface MinimizeOptions {
  /** 'bpm' (default) | 'cem' | 'cma-es' | 'annealed' | 'random' (see src/methods/registry.ts). */
  method?: MethodName;
  /** Box [lo, hi]; default: the objective's usual domain when it has one; null: unbounded. */
  bounds?: BoundsSpec | null;
  /** Evaluation budget, x0 included (default 2^24). */
  maxEvals?: number;
  /** Iterations (method steps), default 10^6 (the budget usually ends a run first). */
  maxIter?: number;
  /** Stop once f <= fTarget. */
  fTarget?: number;
  seed?: number;
  /** Random generator of every oracle call: 'reference' (default) or 'lean' (src/rng/generator.ts). */
  generator?: GeneratorName;
  /** Samples per step (method default when absent). */
  samples?: number;
  /** Method parameters, merged over the method's defaults (e.g. { schedule: 'adaptive', radius: 2 }). */
  params?: Record<string, unknown>;
  oracle?: Oracle;
  backend?: BackendChoice;
  /** Keep per-iteration history: true (default), false, or the number of last entries to keep. */
  history?: boolean | number;
  signal?: AbortSignal;
  callback?: (state: { x: number[]; fun: number; nit: number; nfev: number; radius: number; last: BpmHistoryEntry }) => boolean | void | Promise<boolean | void>;
}

export interface MinimizeResult {
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  success: boolean;
  status: MinimizeStatus;
  message: string;
  history: BpmHistoryEntry[];
  backend: BackendName;
  method: string;
  /** Wall time of the run, ms. */
  ms: number;
  /** What the method adds (BPM: { improvedFraction, radius } of its last step). */
  info?: Record<string, unknown>;
}
