import type { Objective } from '../objectives/types.js';
import type { SampleSpec } from '../samplers/point.js';
import type { AdapterSummary } from '../gpu/adapter.js';
import type { BackendName } from './types.js';

/**
 * What a backend does for the oracle: the reductions over the samples of one spec. The CPU twin
 * (src/oracle/cpu.ts) and the WebGPU engine (src/oracle/webgpu.ts) implement the same interface;
 * src/oracle/oracle.ts holds everything above it (validation, refinement rounds, float64 re-checks,
 * temperatures, moments assembly), so both backends share it exactly.
 */
export interface SamplingBackend {
  readonly name: BackendName;
  readonly adapterInfo: AdapterSummary | null;
  readonly reason: string;
  /** Best sample index in [start, end), -1 when none. */
  argmin(spec: SampleSpec, start: number, end: number, signal?: AbortSignal): Promise<{ index: number; gpuMs?: number }>;
  /** The k best of samples [start, end), best first by (value, index). */
  topk(spec: SampleSpec, start: number, end: number, k: number, signal?: AbortSignal): Promise<number[]>;
  /** Finite-value statistics (values minus shift) of samples [start, end) and their best sample index. */
  stats(spec: SampleSpec, start: number, end: number, shift: number, signal?: AbortSignal): Promise<{ bestIndex: number; fmin: number; n: number; sum: number; sumsq: number; below: number }>;
  /** Weighted sums over samples [start, end) (see src/oracle/cpu-scan.ts momentsInRange). */
  moments(spec: SampleSpec, start: number, end: number, fmin: number, tau: number, second: 'none' | 'diag' | 'full', signal?: AbortSignal): Promise<{ w0: number; w2: number; m1: Float64Array; m2: Float64Array | null; full: Float64Array | null }>;
  evaluate(objective: Objective, rows: Float64Array[], signal?: AbortSignal): Promise<number[]>;
  forget?(objective: Objective): void;
  destroy(): void;
}
