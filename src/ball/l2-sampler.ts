import { counterHi, RADIUS_SLOT, splitIndex } from '../rng/counter.js';
import { threefry2x32, toUnit } from '../rng/threefry.js';

const words = new Uint32Array(2);

/**
 * Offset y - x of sample `index` in the Euclidean ball of radius t: t * u^(1/d) * g/||g||, twin of
 * shaders/ball/l2.wgsl. Kept free of WGSL imports so CPU worker threads can load it alone.
 */
export function l2Offset(out: Float64Array, t: number, seed: number, call: number, index: number): void {
  const d = out.length;
  const [lo, hi] = splitIndex(index);
  let ss = 0;
  for (let j = 0; 2 * j < d; j++) {
    threefry2x32(seed, call, lo, counterHi(hi, j), words);
    const r = Math.sqrt(-2 * Math.log(toUnit(words[0])));
    const th = Math.PI * (2 * toUnit(words[1]) - 1);
    const g0 = r * Math.cos(th);
    out[2 * j] = g0;
    ss += g0 * g0;
    if (2 * j + 1 < d) {
      const g1 = r * Math.sin(th);
      out[2 * j + 1] = g1;
      ss += g1 * g1;
    }
  }
  threefry2x32(seed, call, lo, counterHi(hi, RADIUS_SLOT), words);
  const rad = t * Math.pow(toUnit(words[0]), 1 / d);
  const s = ss > 0 ? rad / Math.sqrt(ss) : 0;
  for (let i = 0; i < d; i++) out[i] *= s;
}
