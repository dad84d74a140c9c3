import { BroxError, preview } from '../errors.js';
import { cholesky, invertLower, squareMatrix, transpose } from './linalg.js';
import { l2 } from './l2.js';
import type { SamplerPlugin } from './plugin.js';
import type { LinearMap } from './spec.js';

/**
 * The diagonal map of positive weights m (a = 1/sqrt(m), its inverse sqrt(m)): mnorm's diagonal
 * fast path and mlinf's box; `bad` words the refusal of entry i.
 */
export function weightsMap(m: ArrayLike<unknown>, bad: (i: number, v: unknown) => string): LinearMap {
  const d = m.length;
  const a = new Float64Array(d);
  const inv = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = m[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new BroxError('ball.M', bad(i, v));
    a[i] = 1 / Math.sqrt(v);
    inv[i] = Math.sqrt(v);
  }
  return { kind: 'diag', a, inv };
}

/**
 * The M-norm ball {y : (y - x)^T M (y - x) <= t^2} is the Euclidean ball under A = L^{-T}, where
 * M = L L^T (Cholesky, on the host, once per call): y = x + t L^{-T} z with z uniform in the unit
 * l2 ball. So it shares l2's kernel; what is its own is the map, and ||v||_M = ||L^T v||_2. A
 * diagonal M (given as a vector) is the fast path: A = diag(1/sqrt(m_i)).
 */
export const mnorm: SamplerPlugin & { prepare(spec: { M?: unknown }, d: number): LinearMap } = {
  ...l2,
  kind: 'mnorm',
  description: 'uniform in the M-norm ball (y-x)^T M (y-x) <= t^2, M symmetric positive definite (or its diagonal)',
  prepare(spec, d) {
    const M = spec.M;
    if (!M || typeof M !== 'object' || typeof (M as ArrayLike<unknown>).length !== 'number') {
      throw new BroxError('ball.M', `must be a ${d} x ${d} symmetric positive definite matrix or a vector of ${d} positive numbers`);
    }
    const first = (M as ArrayLike<unknown>)[0];
    if (typeof first === 'number') {
      const m = M as ArrayLike<unknown>;
      if (m.length !== d) throw new BroxError('ball.M', `a diagonal M must have ${d} entries (the dimension), got ${m.length}`);
      return weightsMap(m, (i, v) => `diagonal entry ${i} must be a finite number > 0 (M positive definite), got ${preview(v)}`);
    }
    const L = cholesky(squareMatrix(M, d, 'ball.M'), d, 'ball.M');
    return { kind: 'full', a: transpose(invertLower(L, d), d), inv: transpose(L, d) };
  },
};
