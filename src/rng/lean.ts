import wgsl from '../../shaders/rng/lean.wgsl?raw';
import type { Generator } from './generator.js';
import { threefry2x32r13 } from './threefry.js';
import { unitOf, words } from './words.js';

function leanWords(k0: number, k1: number, index: number, slot: number): Uint32Array {
  const lo = index % 4294967296;
  const hi = (index - lo) / 4294967296;
  threefry2x32r13(k0, k1, lo, (hi * 1024 + slot) >>> 0, words);
  return words;
}

const HALF_PI = 1.5707963267948966;
const SIGN = [1, 1, -1, -1]; // sin < 0 for q in {2, 3}
const CSIGN = [1, -1, -1, 1]; // cos < 0 for q in {1, 2}

/**
 * (sin a, cos a) of the angle in a word, a = (q + f) pi/2: q the top two bits, f in (-1/2, 1/2)
 * from the next 23 bits (exact, as in f32). The same Taylor polynomials as the WGSL twin, in float64.
 */
export function leanSinCos(bits: number, out: { s: number; c: number }): void {
  const z = (((bits >>> 7) & 0x7fffff) * 1.1920928955078125e-7 - 0.49999994039535522) * HALF_PI;
  const z2 = z * z;
  const s = z * (1 + z2 * (-1.6666666666666666e-1 + z2 * (8.333333333333333e-3 + z2 * (-1.984126984126984e-4 + z2 * 2.7557319223985893e-6))));
  const c = 1 + z2 * (-0.5 + z2 * (4.1666666666666664e-2 + z2 * (-1.388888888888889e-3 + z2 * 2.48015873015873e-5)));
  const q = bits >>> 30;
  const odd = q & 1;
  out.s = (odd ? c : s) * SIGN[q];
  out.c = (odd ? s : c) * CSIGN[q];
}
const sc = { s: 0, c: 0 };

/**
 * Threefry-2x32-13 and a Box-Muller without round() or divergent branches (docs/generators.md).
 * Twin of shaders/rng/lean.wgsl; samples differ from the reference generator's (other words).
 */
export const lean: Generator = {
  name: 'lean',
  description: 'Threefry-2x32-13 (passes BigCrush, Salmon et al. SC11), branch-free Box-Muller, one log per sample in the norm pass',
  wgsl,
  words: leanWords,
  normalPair(k0, k1, index, j, out, at) {
    const w = leanWords(k0, k1, index, j);
    const r = Math.sqrt(-2 * Math.log(unitOf(w[0])));
    leanSinCos(w[1], sc);
    out[at] = r * sc.c;
    if (at + 1 < out.length) out[at + 1] = r * sc.s;
  },
};
