import type { Ball } from '../ball/types.js';
import type { BroxInputs } from './inputs.js';
import type { BackendName, BroxResult } from './types.js';

import { orderValue } from './cpu-scan.js';

export { orderValue };

/** Regenerates sample `index` of a call in float64: the same point on every backend. */
export function samplePoint(ball: Ball, inp: Pick<BroxInputs, 'x' | 't' | 'seed' | 'call'>, index: number, out = new Float64Array(inp.x.length)): Float64Array {
  ball.offset(out, inp.t, inp.seed, inp.call, index);
  for (let i = 0; i < out.length; i++) out[i] += inp.x[i];
  return out;
}

/**
 * Both backends end here: the winner is regenerated from its index and it replaces the centre only
 * when the float64 JS twin says it is strictly better, so fun <= f(centre) holds exactly.
 */
export function finishBrox(ball: Ball, inp: BroxInputs, winner: number, backend: BackendName, t0: number): BroxResult {
  const funCenter = orderValue(inp.objective.js(inp.x));
  let x: Float64Array = inp.x;
  let fun = funCenter;
  let index = -1;
  if (winner >= 0) {
    const y = samplePoint(ball, inp, winner);
    const fy = orderValue(inp.objective.js(y));
    if (fy < funCenter) {
      x = y;
      fun = fy;
      index = winner;
    }
  }
  return { x: Array.from(x), fun, funCenter, nfev: inp.samples + 1, index, improved: index >= 0, backend, ms: performance.now() - t0 };
}
