import { BroxError, preview } from '../errors.js';
import { linf } from './linf.js';
import { weightsMap } from './mnorm.js';
import type { SamplerPlugin } from './plugin.js';
import type { LinearMap } from './spec.js';

/**
 * The weighted box {y : max_i sqrt(m_i) |y_i - x_i| <= t}, m a vector of positive weights: the
 * l_inf twin of mnorm's diagonal fast path. y = x + t diag(1/sqrt(m)) z with z uniform in the unit
 * box, so it shares linf's kernel and only the map is its own. With m_i huge off a set of
 * coordinates it is a box in that subspace whose every coordinate is uniform on its segment (an
 * mnorm ball flat off the subspace draws each coordinate from the d-ball's marginal instead, which
 * concentrates near the centre as d grows: std t / sqrt(d + 2)). BPM's coordinate steps use it.
 */
export const mlinf: SamplerPlugin & { prepare(spec: { M?: unknown }, d: number): LinearMap } = {
  ...linf,
  kind: 'mlinf',
  description: 'uniform in the weighted box max_i sqrt(m_i)|y_i - x_i| <= t, m a vector of positive weights',
  prepare(spec, d) {
    const m = spec.M;
    if (!m || typeof m !== 'object' || typeof (m as ArrayLike<unknown>).length !== 'number' || typeof (m as ArrayLike<unknown>)[0] !== 'number') {
      throw new BroxError('ball.M', `must be a vector of ${d} positive numbers (the box's weights)`);
    }
    const v = m as ArrayLike<unknown>;
    if (v.length !== d) throw new BroxError('ball.M', `must have ${d} entries (the dimension), got ${v.length}`);
    return weightsMap(v, (i, w) => `entry ${i} must be a finite number > 0, got ${preview(w)}`);
  },
};
