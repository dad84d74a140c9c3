import { l2Ball } from '../ball/l2';
import type { Ball } from '../ball/types';
import { checkBroxInputs, checkPoints, type BroxInputs } from './inputs';
import { finishBrox, orderValue } from './finish';
import type { BroxOptions, ObjectiveInput, Oracle } from './types';

/** Best sample index over [start, end) of one call, ties to the lowest index; -1 if none. */
export function bestInRange(ball: Ball, inp: BroxInputs, start: number, end: number): { index: number; value: number } {
  const d = inp.x.length;
  const y = new Float64Array(d);
  const f = inp.objective.js;
  let best = Infinity;
  let bi = -1;
  for (let i = start; i < end; i++) {
    ball.offset(y, inp.t, inp.seed, inp.call, i);
    for (let k = 0; k < d; k++) y[k] += inp.x[k];
    const v = orderValue(f(y));
    if (v < best || bi < 0) {
      best = v;
      bi = i;
    }
  }
  return { index: bi, value: best };
}

/** The reference backend: plain TypeScript over the same RNG, sampler and JS twin. */
export function createCpuOracle(reason = 'CPU backend requested'): Oracle {
  const ball = l2Ball;
  return {
    backend: 'cpu',
    adapterInfo: null,
    reason,
    async brox(objective: ObjectiveInput, x: ArrayLike<number>, t: number, opts?: BroxOptions) {
      const t0 = performance.now();
      const inp = checkBroxInputs(objective, x, t, opts);
      const { index } = bestInRange(ball, inp, inp.offset, inp.offset + inp.samples);
      return finishBrox(ball, inp, index, 'cpu', t0);
    },
    async evaluate(objective: ObjectiveInput, points: ArrayLike<ArrayLike<number>>) {
      const { objective: obj, rows } = checkPoints(objective, points);
      return rows.map((r) => obj.js(r));
    },
    destroy() {},
  };
}
