import type { AdapterSummary } from '../gpu/adapter.js';
import type { Objective } from '../objectives/types.js';

export type BackendName = 'webgpu' | 'cpu';
export type BackendChoice = BackendName | 'auto';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'cpu'];

/** An objective object, or the name of a built-in (its dimension is then taken from x). */
export type ObjectiveInput = Objective | string;

export interface BroxOptions {
  /** Samples drawn in the ball (default 2^20). */
  samples?: number;
  /** RNG seed, u32 (default 0). */
  seed?: number;
  /** RNG call counter, u32: BPM passes its iteration number so every step draws fresh samples. */
  call?: number;
  /** First sample index (default 0): the call evaluates samples [offset, offset + samples). Lets a
   *  caller shard one big call over several oracles and still get the same winner. */
  offset?: number;
}

export interface BroxResult {
  /** The best point found: a sample, or the centre itself when no sample was better. */
  x: number[];
  /** f(x), evaluated by the objective's JS twin in float64 (<= f(centre) always). */
  fun: number;
  /** f at the centre (float64). */
  funCenter: number;
  /** Objective evaluations: samples + 1 (the centre). */
  nfev: number;
  /** Index of the winning sample; -1 when the centre won. */
  index: number;
  /** A sample was strictly better than the centre. */
  improved: boolean;
  backend: BackendName;
  /** Wall time of the call, milliseconds. */
  ms: number;
  /** GPU time of the kernels from timestamp queries, ms (WebGPU with 'timestamp-query' only). */
  gpuMs?: number;
}

export interface Oracle {
  readonly backend: BackendName;
  /** The adapter in use (null for the CPU backend). */
  readonly adapterInfo: AdapterSummary | null;
  /** Why this backend was chosen (for 'auto'), in words. */
  readonly reason: string;
  brox(objective: ObjectiveInput, x: ArrayLike<number>, t: number, opts?: BroxOptions): Promise<BroxResult>;
  /** f at each point (WebGPU: float32 arithmetic; CPU: float64). */
  evaluate(objective: ObjectiveInput, points: ArrayLike<ArrayLike<number>>): Promise<number[]>;
  destroy(): void;
  /** Frees what the oracle holds for this objective (its dataset on the GPU); it stays usable. */
  forget?(objective: Objective): void;
  /** GPU-resident BPM steps (WebGPU backend only); bpm() uses it when present. */
  runBpmSteps?(args: ResidentBpmArgs): Promise<ResidentBpmRun>;
}

export interface ResidentBpmArgs {
  objective: Objective;
  x0: Float64Array;
  seed: number;
  samples: number;
  /** Radius of step k (the host's float64 schedule; the GPU gets it rounded to float32). */
  radiusAt: (k: number) => number;
  fTarget: number;
  ftol: number;
  maxSteps: number;
  /** Steps per queue submission (one readback each). */
  batch: number;
  /** Called with each batch's steps and the stop code after them; return true to stop. */
  onBatch?: (steps: ResidentStep[], stop: ResidentBpmRun['stop']) => Promise<boolean> | boolean;
}

export interface ResidentStep {
  k: number;
  /** f at the new centre, float32 as computed on the GPU. */
  fun32: number;
  improved: boolean;
  /** Winning sample index; -1 when the centre stayed. */
  index: number;
  /** The step's best sample even when float32 kept the centre (-1 if none): the host re-checks it. */
  winner: number;
  /** The centre after the step (float32 values). */
  x: number[];
  /** Wall time per step: the batch's time divided among its steps. */
  ms: number;
}

export interface ResidentBpmRun {
  steps: ResidentStep[];
  /** 0 none, 1 fixed point, 2 target reached, 3 ftol. */
  stop: 0 | 1 | 2 | 3;
  gpuMs?: number;
}

export const DEFAULT_SAMPLES = 1 << 20;
