import type { GeneratorName } from '../rng/generator.js';
import type { BpmHistoryEntry, BpmStatus } from './status.js';
import type { BackendChoice, BackendName, Oracle } from '../oracle/types.js';
import type { BoundsSpec } from '../samplers/types.js';

/**
 * The names of src/methods/registry.ts: a new method adds its name here too (test/method-names.test.ts
 * fails until it does). minimize() still checks the name at run time (callers without types).
 */
export type MethodName = 'bpm' | 'cma-es' | 'cem' | 'annealed' | 'random' | 'portfolio';

/** Why a run stopped: BPM's statuses plus 'converged' (a population method's own tolerances). */
export type MinimizeStatus = BpmStatus | 'converged';

export interface MinimizeOptions {
  /** 'portfolio' (default: CMA-ES with BIPOP restarts + BPM coordinate sweeps) | 'bpm' | 'cem' | 'cma-es' | 'annealed' | 'random' (see src/methods/registry.ts). */
  method?: MethodName;
  /** Box [lo, hi]; default: the objective's usual domain when it has one; null: unbounded. */
  bounds?: BoundsSpec | null;
  /** Evaluation budget, x0 included (default 2^24). */
  maxEvals?: number;
  /** Iterations (method steps), default 10^6 (the budget usually ends a run first). */
  maxIter?: number;
  /** Stop once f <= fTarget. */
  fTarget?: number | null;
  seed?: number;
  /** Random generator of every oracle call: 'reference' (default) or 'lean' (src/rng/generator.ts). */
  generator?: GeneratorName;
  /** Samples per step (method default when absent). */
  samples?: number;
  /** Method parameters, merged over the method's defaults (e.g. { schedule: 'adaptive', radius: 2 }). */
  params?: Record<string, unknown>;
  oracle?: Oracle;
  /**
   * WebGPU: run methods that have a resident form (cma-es) on the GPU, `batch` generations per
   * submission with one readback each (default true); false: step by step, one submission and
   * readback per primitive call. The CPU backend always goes step by step.
   */
  resident?: boolean;
  /** Generations per submission of the resident executor (default 64). */
  batch?: number;
  /**
   * WebGPU: when a method's run reaches float32's resolution (cma-es: its values or steps can no
   * longer be told apart in float32) the run goes on with float64 evaluations on the CPU, the same
   * samples (default true); info.float64.steps counts those steps.
   */
  finish64?: boolean;
  /**
   * Independent runs in one call (default 1, at most 1024): run r has seed `seed + r` and is exactly
   * the run of that seed alone (x0 shared when given, else its own start from its seed). On WebGPU
   * the runs' resident batches share one submission and one readback. The result is the best run's
   * (its `x`, `fun`, `status`, ...) with `nfev` and `ms` over all runs; `runs` holds every run and
   * `best` its index.
   */
  runs?: number;
  backend?: BackendChoice;
  /** Keep per-iteration history: true (default), false, or the number of last entries to keep. */
  history?: boolean | number;
  signal?: AbortSignal;
  /**
   * Called after each step of each run, except a step that itself ends the run; `run` is the run's
   * index. Returning true stops that run. Resident runs call it for each generation of a batch once
   * the batch is back (a stop there drops the batch's later generations).
   */
  callback?: (state: { x: number[]; fun: number; nit: number; nfev: number; radius: number; last: BpmHistoryEntry; run: number }) => boolean | void | Promise<boolean | void>;
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
  /** runs > 1: every run's result, and the index of the best one (the result's own fields). */
  runs?: MinimizeResult[];
  best?: number;
}
