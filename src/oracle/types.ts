import type { AdapterSummary } from '../gpu/adapter.js';
import type { GpuEngine } from '../engine/engine.js';
import type { Objective } from '../objectives/types.js';
import type { GeneratorName } from '../rng/generator.js';
import type { BoundsSpec, SamplerSpec } from '../samplers/types.js';

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
  /** Where samples are drawn (default 'l2'): 'l2' | 'linf' | 'l1' | { kind: 'mnorm', M } | Gaussian. */
  ball?: SamplerSpec;
  /**
   * Random generator of the samples (default 'reference': Threefry-2x32-20, Box-Muller). 'lean':
   * Threefry-2x32-13 and a branch-free Box-Muller (docs/generators.md), cheaper per sample on every
   * backend; other samples than 'reference', equally valid, the same on CPU and WebGPU.
   */
  generator?: GeneratorName;
  /** Box [lo, hi]: no sample is evaluated outside it (samples are folded back in, see samplers/bounds.ts); x must lie inside. */
  bounds?: BoundsSpec | null;
  /**
   * Refinement rounds (default 1): round r >= 1 draws `samples` more points in the ball of radius
   * t * shrink^r around the best point so far, mapped back into the original ball and the bounds.
   */
  rounds?: number;
  /** Radius factor per refinement round, in (0, 1) (default 0.25). */
  shrink?: number;
  /** Cancels the call between dispatches/chunks (BroxError code 'ABORTED'). */
  signal?: AbortSignal;
}

/** Options of a population call (topk, moments): the samples of `ball` around a centre at scale t. */
export interface PopulationOptions {
  samples?: number;
  seed?: number;
  call?: number;
  ball?: SamplerSpec;
  /**
   * Random generator of the samples (default 'reference': Threefry-2x32-20, Box-Muller). 'lean':
   * Threefry-2x32-13 and a branch-free Box-Muller (docs/generators.md), cheaper per sample on every
   * backend; other samples than 'reference', equally valid, the same on CPU and WebGPU.
   */
  generator?: GeneratorName;
  bounds?: BoundsSpec | null;
  signal?: AbortSignal;
}

export interface TopkOptions extends PopulationOptions {
  /** How many of the best samples to return, 1..min(samples, 4096) (default 1). */
  k?: number;
  /**
   * First sample index (default 0): the call ranks samples [offset, offset + samples), so a
   * population can be split by index range over calls, devices or processes and the parts' top-k
   * merged by (value, index) into the whole call's top-k.
   */
  offset?: number;
}

export interface TopkResult {
  /** The k best samples, best first: points (float64, regenerated from their indices), values (float64 JS twin). */
  points: number[][];
  values: number[];
  /** Sample indices, in the same order. Ties in value go to the lowest index. */
  indices: number[];
  nfev: number;
  backend: BackendName;
  ms: number;
}

export interface MomentsOptions extends PopulationOptions {
  /**
   * Weights w_i = exp(-(f_i - f_min) / tau). tau = a number, or { relative: r } for tau = r * std(f)
   * over the finite values (tau = 0 or std 0: all weight on the minimum value). A relative
   * temperature takes no `offset` (its std is the whole population's; see mergeMoments).
   */
  temperature: number | { relative: number };
  /**
   * First sample index (default 0): the call weighs samples [offset, offset + samples), drawn as
   * in one big call, and its `sums` merge (mergeMoments) with those of the adjacent ranges into
   * the result of the whole range. Refused with a relative temperature.
   */
  offset?: number;
  /** Second moment: 'none' (default), 'diag', or 'full' (weighted, about the weighted mean). */
  second?: 'none' | 'diag' | 'full';
}

export interface MomentsResult {
  /** Weighted mean of the sample points. */
  mean: number[];
  /** Weighted (co)variance about the mean: a vector ('diag'), a d x d matrix ('full'), or null. */
  second: number[] | number[][] | null;
  /** Fraction of the samples strictly better than f(centre) (float32 comparisons on WebGPU). */
  fractionBelowCenter: number;
  /** Value statistics of the finite samples (NaN/inf excluded), float32 on WebGPU. */
  fmin: number;
  fmean: number;
  fstd: number;
  /** Index of the best sample, its point and float64 value (like brox's winner). */
  bestIndex: number;
  best: number[];
  bestFun: number;
  /** The temperature used, and the effective sample size (sum w)^2 / sum w^2. */
  tau: number;
  ess: number;
  nfev: number;
  backend: BackendName;
  ms: number;
  /**
   * What the result is made of, before normalisation: lets mergeMoments join adjacent ranges.
   * Always set by oracle.moments and mergeMoments (optional only so hand-made results still type).
   */
  sums?: MomentsSums;
}

/**
 * The unnormalised sums behind a MomentsResult, over the samples [offset, offset + samples) of one
 * population (seed, call, centre, t, ball, bounds, generator, objective). Weights are anchored at
 * this range's own minimum: w_i = exp(-(f_i - anchor) / tau), anchor = fmin (the backend's value,
 * float32 on WebGPU) when n > 0, else 0; so a merge rescales the range with the larger minimum by
 * exp(-(its anchor - the smaller) / tau) and adds. Offsets v = y - centre.
 */
export interface MomentsSums {
  offset: number;
  samples: number;
  /** Identity of the population, checked by mergeMoments (the ball, bounds, generator and objective are the caller's to keep equal). */
  seed: number;
  call: number;
  t: number;
  center: number[];
  /** 'none' | 'diag' | 'full': which of m2 / full is kept. */
  second: 'none' | 'diag' | 'full';
  tau: number;
  /** The temperature was { relative }: tau came from this range's own std, so the sums do not merge. */
  relative: boolean;
  /** The backend's value of the range's best sample (float32 on WebGPU; +inf when none is finite). */
  fmin: number;
  /** Finite values: count, sum and sum of squares of (f - shift), count below the centre; shift = f(centre) (0 when not finite). */
  n: number;
  sum: number;
  sumsq: number;
  below: number;
  shift: number;
  /** sum w, sum w^2, sum w v; sum w v_i^2 ('diag') or sum w v_a v_b, upper triangle row-major ('full'), else null. */
  w0: number;
  w2: number;
  m1: number[];
  m2: number[] | null;
  full: number[] | null;
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
  /** Refinement round of the winning sample (0 when the centre won or rounds = 1). */
  round: number;
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
  /** The k best samples of a population call, best first. */
  topk(objective: ObjectiveInput, center: ArrayLike<number>, t: number, opts?: TopkOptions): Promise<TopkResult>;
  /** Softmin-weighted mean (and second moment) of a population call. */
  moments(objective: ObjectiveInput, center: ArrayLike<number>, t: number, opts: MomentsOptions): Promise<MomentsResult>;
  /** f at each point (WebGPU: float32 arithmetic; CPU: float64). */
  evaluate(objective: ObjectiveInput, points: ArrayLike<ArrayLike<number>>, opts?: { signal?: AbortSignal }): Promise<number[]>;
  destroy(): void;
  /** Frees what the oracle holds for this objective (its dataset on the GPU); it stays usable. */
  forget?(objective: Objective): void;
  /** The WebGPU engine behind the oracle (WebGPU backend only): resident method loops run on it. */
  readonly engine?: GpuEngine;
}


export const DEFAULT_SAMPLES = 1 << 20;
