/** f at a point; x has length `dim`. Must be the exact twin of the WGSL `objective`. */
export type ObjectiveFn = (x: ArrayLike<number>) => number;

export interface KnownMinimum {
  /** f* (global minimum value). */
  fun: number;
  /** Known global minimisers, when known (may be several: disconnected minimiser sets). */
  x?: number[][];
}

/**
 * An objective bound to a dimension: WGSL and JS twins of the same function.
 *
 * WGSL contract: `DIM` (u32) is a constant brox defines before the snippet, which defines either
 *   fn objective(x: ptr<function, array<f32, DIM>>) -> f32                      (array form)
 * or the streaming form, which lets brox evaluate samples without storing them (large d):
 *   struct ObjectiveAcc { ... }
 *   fn objective_init() -> ObjectiveAcc
 *   fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32)        (called for i = 0..DIM-1 in order)
 *   fn objective_finish(acc: ObjectiveAcc) -> f32
 * (brox derives the array form from it). The snippet may use the helpers
 * of shaders/math/trig.wgsl (brox_sincos2pi, brox_cos2pi, brox_sinpi, brox_cospi, BROX_PI) and may define
 * its own functions; names starting with `brox_` are reserved.
 */
export interface Objective {
  readonly name: string;
  readonly dim: number;
  readonly wgsl: string;
  readonly js: ObjectiveFn;
  /** Usual search box [lo, hi] in every coordinate. */
  readonly domain?: readonly [number, number];
  readonly minimum?: KnownMinimum | null;
  /**
   * Read-only data for the objective (a dataset): in WGSL it is `brox_data: array<f32>` (a
   * storage buffer); the JS twin reads the same float32 values.
   */
  readonly data?: Float32Array;
  /**
   * Operations one evaluation runs (an upper bound; expressions count every node times its loop
   * iterations, datasets rows x columns). Work limits multiply it by the evaluations of a call;
   * absent: taken as proportional to dim (src/oracle/work.ts).
   */
  readonly cost?: number;
}

/** A registry entry: an objective family valid for a range of dimensions. */
export interface BuiltinObjective {
  readonly name: string;
  readonly description: string;
  readonly dims: readonly [number, number];
  readonly domain: readonly [number, number];
  readonly wgsl: string;
  readonly js: ObjectiveFn;
  /** Known global minimum for dimension d, or null when not known. */
  minimum(d: number): KnownMinimum | null;
  /** Documented default start for CLI runs: away from the minimum, inside the domain. */
  defaultStart(d: number): number[];
}
