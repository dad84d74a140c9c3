/**
 * A sampler draws the offsets of one oracle call: uniform points in a ball of some norm, or a
 * Gaussian population. Chosen per call with `ball` (default 'l2'); see src/samplers/registry.ts.
 */
export type SamplerSpec =
  | 'l2'
  | 'linf'
  | 'l1'
  | 'gaussian'
  | { kind: 'l2' | 'linf' | 'l1' }
  /** {y : (y - x)^T M (y - x) <= t^2}; M symmetric positive definite, or its diagonal as a vector. */
  | { kind: 'mnorm'; M: ArrayLike<number> | ArrayLike<ArrayLike<number>> }
  /** {y : max_i sqrt(M_i) |y_i - x_i| <= t}: a box with per-coordinate half-widths t / sqrt(M_i). */
  | { kind: 'mlinf'; M: ArrayLike<number> }
  /**
   * Gaussian population y = x + t * A g, g ~ N(0, I): A = I (plain), diag(diag) (per-coordinate
   * scales), chol(cov) (covariance cov, SPD), or factor (any square A, e.g. B D of CMA-ES).
   */
  | { kind: 'gaussian'; diag?: ArrayLike<number>; cov?: ArrayLike<ArrayLike<number>>; factor?: ArrayLike<ArrayLike<number>> };

/** Box bounds: lo and hi each a number (every coordinate) or an array of length d. */
export type BoundsSpec = readonly [number | ArrayLike<number>, number | ArrayLike<number>];

/** Validated box bounds, one entry per coordinate, lo[i] < hi[i], both finite. */
export interface Bounds {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}
