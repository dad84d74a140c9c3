import { RADIUS_SLOT, SLOTS_PER_SAMPLE } from '../rng/counter.js';
import { threefry2x32 } from '../rng/threefry.js';

const words = new Uint32Array(2);
const TWO_PI = 2 * Math.PI;
const U_SCALE = 1.1920928955078125e-7; // toUnit, inlined: (bits >>> 9) * 2^-23 + 2^-24
const U_OFFSET = 5.9604644775390625e-8;

/**
 * Offset y - x of sample `index` in the Euclidean ball of radius t: t * u^(1/d) * g/||g||, twin of
 * shaders/ball/l2.wgsl. Kept free of WGSL imports so CPU worker threads can load it alone; the CPU
 * backend's hot loop, so nothing is allocated per sample.
 */
export function l2Offset(out: Float64Array, t: number, seed: number, call: number, index: number): void {
  const d = out.length;
  const lo = index % 4294967296;
  const hiBase = ((index - lo) / 4294967296) * SLOTS_PER_SAMPLE;
  let ss = 0;
  for (let j = 0; 2 * j < d; j++) {
    threefry2x32(seed, call, lo, (hiBase + j) >>> 0, words);
    const r = Math.sqrt(-2 * Math.log((words[0] >>> 9) * U_SCALE + U_OFFSET));
    const th = TWO_PI * ((words[1] >>> 9) * U_SCALE + U_OFFSET) - Math.PI; // pi (2u - 1)
    const g0 = r * Math.cos(th);
    out[2 * j] = g0;
    ss += g0 * g0;
    if (2 * j + 1 < d) {
      const g1 = r * Math.sin(th);
      out[2 * j + 1] = g1;
      ss += g1 * g1;
    }
  }
  threefry2x32(seed, call, lo, (hiBase + RADIUS_SLOT) >>> 0, words);
  const u = (words[0] >>> 9) * U_SCALE + U_OFFSET;
  const rad = d === 1 ? t * u : t * Math.pow(u, 1 / d);
  const s = ss > 0 ? rad / Math.sqrt(ss) : 0;
  for (let i = 0; i < d; i++) out[i] *= s;
}
