import type { GpuEngine } from '../engine/engine.js';
import type { GeneratorName } from '../rng/generator.js';
import type { Bounds, SamplerSpec } from '../samplers/types.js';
import type { Objective } from '../objectives/types.js';
import type { BackendName, BroxResult, MomentsResult, Oracle, TopkResult } from '../oracle/types.js';

/**
 * How a method sees the engine: the objective, bounds and seed are fixed for the run; every
 * primitive call gets the next RNG `call` number from the driver, so a run's samples depend only
 * on (seed, call, index) and the same seed gives the same run on every backend.
 */
export interface MethodContext {
  readonly objective: Objective;
  readonly dim: number;
  /** The run's box (every sample stays inside it); null when unbounded. */
  readonly bounds: Bounds | null;
  readonly seed: number;
  /** The random generator of every primitive call (resident forms regenerate samples with it). */
  readonly generator: GeneratorName;
  /** The run's target (-Infinity when none): the driver stops there; resident forms stop there on the GPU. */
  readonly fTarget: number;
  readonly oracle: Oracle;
  /** Evaluations left in the run's budget (maxEvals minus what was used); Infinity when none. */
  evalsLeft(): number;
  /** Best of `samples` points of the ball around x (or x itself): the broximal step. */
  brox(x: ArrayLike<number>, t: number, opts: { ball?: SamplerSpec; samples: number; rounds?: number; shrink?: number }): Promise<BroxResult>;
  /** The k best of `samples` points drawn around `center` at scale t, best first (float64 values). */
  topk(center: ArrayLike<number>, t: number, opts: { ball: SamplerSpec; samples: number; k: number }): Promise<TopkResult>;
  /** Softmin-weighted moments of `samples` points drawn around `center` at scale t. */
  moments(center: ArrayLike<number>, t: number, opts: { ball: SamplerSpec; samples: number; temperature: number | { relative: number }; second?: 'none' | 'diag' | 'full' }): Promise<MomentsResult>;
  /** f at points (float64 JS twin on the host; counts against the budget). */
  evaluate(points: ArrayLike<ArrayLike<number>>): Promise<number[]>;
  /** A seeded host-side uniform generator in [0, 1) for the method's own choices (restarts). */
  random(): number;
}

/** What one step of a method reports; the driver keeps the best point seen, the history and the budget. */
export interface StepReport {
  /** The method's current point and f there (float64). */
  x: ArrayLike<number>;
  fun: number;
  /** Objective evaluations this step used (the primitives' nfev summed). */
  nfev: number;
  /** Radius (BPM) or step size sigma (population methods) of this step. */
  radius: number;
  /** The step found a strictly better point than the method's previous one. */
  improved: boolean;
  /** Winning sample index (-1 when none); informational. */
  index?: number;
  /** The method wants to stop: 'fixed-point' (BPM certificate) or 'converged' (its own tolerances). */
  stop?: 'fixed-point' | 'converged' | 'ftol' | 'max-evals';
  /** Extra fields the method wants in the result (e.g. BPM's certificate). */
  info?: Record<string, unknown>;
  /**
   * The method's current run needs float64 evaluations from the next step on (float32 values can
   * no longer rank its samples); false or absent: the run's own backend. On WebGPU the driver then
   * sends the primitives to a CPU oracle (same samples: counter-based RNG) until the flag drops.
   */
  float64?: boolean;
}

/** What a resident form sees: the run's fixed inputs and the executor's batch size. */
export interface ResidentContext {
  readonly objective: Objective;
  readonly dim: number;
  readonly bounds: Bounds | null;
  readonly seed: number;
  readonly generator: GeneratorName;
  /** Stop on the GPU once the best float32 value is <= fTarget (the host re-checks in float64). */
  readonly fTarget: number;
  /** Most generations per submission. */
  readonly batch: number;
}

/** One batch of a resident session: what each generation did, the GPU's stop code, its best point. */
export interface ResidentBatch<G> {
  generations: G[];
  /** 0: none; the method's own codes otherwise. */
  halt: number;
  best: { x: Float64Array; f32: number };
}

/**
 * A method's state living on the GPU, opened from the host state. A batch of `gens` generations
 * (RNG calls firstCall, firstCall + 1, ...: as the step-by-step executor numbers them, one per
 * primitive call: one per generation unless the form's `after` says otherwise) is encoded into a command encoder that the executor shares between the sessions of many
 * runs, then read back from one mapped buffer: one submission and one readback per batch for all
 * of them (src/methods/resident-batch.ts). `decode` leaves the host state updated.
 */
export interface ResidentSession<G> {
  /** Evaluations per generation. */
  readonly population: number;
  /**
   * What one generation costs the device, in evaluations (default: population): the executor sizes
   * the first, untimed batch by it (a rank pass of O(population^2) comparisons counts).
   */
  readonly work?: number;
  /** Bytes a batch of `gens` generations copies out (a multiple of 4). */
  readBytes(gens: number): number;
  /** Present where the session's generations may run fused with other runs' (src/methods/fused-group.ts). */
  readonly fuse?: FusablePart;
  /** Writes the batch's inputs (queue writes), encodes its passes and the copy of its results into `read` at `offset`. */
  encode(enc: GPUCommandEncoder, gens: number, firstCall: number, read: GPUBuffer, offset: number): void;
  /** The batch from the mapped bytes at `offset` (the same gens and firstCall as encode). */
  decode(bytes: ArrayBuffer, offset: number, gens: number, firstCall: number): ResidentBatch<G>;
  close(): void;
}

/**
 * What a session gives a fused group: the runs of a batch whose sessions share `key` advance in one
 * dispatch per kernel (workgroup rows or workgroups per run) on group buffers that hold every run's
 * state, method state, geometry, population and history at a stride; the group copies each run's
 * buffers in before and out after, so each session stays the owner of its run.
 */
export interface FusablePart {
  /** Equal keys: the same kernels, uniforms and extras (method, objective, sampler, d, population, parameters). */
  readonly key: string;
  readonly seed: number;
  readonly population: number;
  /** Most generations of one batch (the session's history buffer). */
  readonly batch: number;
  /** The queue writes of a batch starting at `firstCall` (state, sampling and method uniforms), as encode() makes them. */
  prepare(firstCall: number): void;
  /** The run's own buffers and the bytes of each that the group copies. */
  readonly state: GPUBuffer;
  readonly stateBytes: number;
  readonly mstate: GPUBuffer;
  readonly mstateBytes: number;
  geom(): GPUBuffer;
  readonly geomBytes: number;
  readonly hist: GPUBuffer;
  readonly histFloats: number;
  /** Resources the group binds from its first member (equal across the group by the key), fetched per batch. */
  shared(): Record<string, GPUBindingResource | GPUBuffer | null>;
  /** The fused kernels: population pass, rank pass (if the method ranks), tell. */
  pipelines(): Promise<{ pop: GPUComputePipeline; rank: GPUComputePipeline | null; tell: GPUComputePipeline }>;
  /** The copies of encode()'s end: the run's results into `read` at `offset`. */
  copyOut(enc: GPUCommandEncoder, gens: number, read: GPUBuffer, offset: number): void;
}

/**
 * The resident form of a method (WebGPU): its kernels (shaders/methods/NAME.wgsl) behind a session,
 * and what the host does between batches with the GPU's stop code (restart, hand-over, stop).
 */
export interface ResidentForm<S, G = unknown> {
  /** Whether the state's current run can go resident now (dimension, population, precision; the engine's limits when given). */
  ready(st: S, dim: number, engine?: GpuEngine): boolean;
  /** At most this many generations in the next batch (absent: the executor's limits only), e.g. the steps left of the portfolio's BPM share. */
  limit?(st: S): number;
  open(engine: GpuEngine, ctx: ResidentContext, st: S): Promise<ResidentSession<G>>;
  /**
   * After a batch: one StepReport per generation (the driver's history and budget), and whether
   * the session must be reopened (a restart changed the run) or ended (the method stops). `used`:
   * the generations the host took (default all); fewer hands the rest over to step by step, which
   * redoes them with the same RNG calls (the session must then be reopened). `calls`: the RNG calls
   * the used generations took, where a generation takes more than one (default: `used`).
   */
  after(ctx: MethodContext, st: S, batch: ResidentBatch<G>): { reports: StepReport[]; reopen: boolean; used?: number; calls?: number };
  /**
   * The run ended at `last` (a callback stop, a target or stop float64 saw first), before the batch's later generations
   * that `after` already applied: put the state back there, as finish() and info must see it.
   */
  rewind?(st: S, last: StepReport): void;
}

export interface Method<P = Record<string, unknown>, S = unknown> {
  readonly name: string;
  readonly description: string;
  /**
   * Default parameters for dimension d, the run's bounds and the backend it evaluates on (absent:
   * the CPU's; a default may differ where a generation costs differently, e.g. cma-es's λ on
   * WebGPU); cite where each comes from beside it.
   */
  defaults(dim: number, bounds: Bounds | null, backend?: BackendName): P;
  /** Checks user parameters (BroxError naming the option) merged over the defaults. */
  params?(user: Record<string, unknown>, defaults: P): P;
  init(ctx: MethodContext, x0: Float64Array, params: P): S | Promise<S>;
  step(ctx: MethodContext, state: S, k: number): Promise<StepReport>;
  /** The GPU-resident form (optional): the resident executor runs it on WebGPU, step() everywhere else. */
  readonly resident?: ResidentForm<S, any>;
  /** After the run: extra result fields (e.g. BPM's certificate). Its evaluations are reported in info, outside the budget. */
  finish?(ctx: MethodContext, state: S): Promise<Record<string, unknown>>;
}
