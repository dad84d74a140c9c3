import wgsl from '../../shaders/rng/lean.wgsl?raw';
import type { SampleGenerator } from './generator.js';
import { leanNormalsView, wasmSimdAvailable } from '../wasm/lean-normals.js';
import { RADIUS_SLOT, SLOTS_PER_SAMPLE } from './counter.js';
import { threefry2x32r13 } from './threefry.js';
import { unitOf, words } from './words.js';

function leanWords(k0: number, k1: number, index: number, slot: number): Uint32Array {
  const lo = index >>> 0; // ToUint32: index mod 2^32 for integers below 2^53, without fmod
  const hi = (index - lo) / 4294967296;
  threefry2x32r13(k0, k1, lo, (hi * SLOTS_PER_SAMPLE + slot) >>> 0, words); // src/rng/counter.ts
  return words;
}

const HALF_PI = 1.5707963267948966;

/** u^(1/d) as exp(log(u) / d): the same value as pow to a few ulp, at a third of its cost in V8. */
const leanRadiusOf = (u: number, d: number): number => (d === 1 ? u : d === 2 ? Math.sqrt(u) : Math.exp(Math.log(u) / d));

/**
 * (sin a, cos a) of the angle in a word, a = (q + f) pi/2: q the top two bits, f in (-1/2, 1/2)
 * from the next 23 bits (exact, as in f32). The same Taylor polynomials as the WGSL twin, in
 * float64; the quarter-turn rotation without branches, exact like the WGSL selects: swap through
 * a 2-slot table on odd q, signs as 1 - 2 bit.
 */
export function leanSinCos(bits: number, out: { s: number; c: number }): void {
  const z = (((bits >>> 7) & 0x7fffff) * 1.1920928955078125e-7 - 0.49999994039535522) * HALF_PI;
  const z2 = z * z;
  sc2[0] = z * (1 + z2 * (-1.6666666666666666e-1 + z2 * (8.333333333333333e-3 + z2 * (-1.984126984126984e-4 + z2 * 2.7557319223985893e-6))));
  sc2[1] = 1 + z2 * (-0.5 + z2 * (4.1666666666666664e-2 + z2 * (-1.388888888888889e-3 + z2 * 2.48015873015873e-5)));
  const q = bits >>> 30;
  const odd = q & 1;
  out.s = sc2[odd] * (1 - (q & 2)); // sin < 0 for q in {2, 3}
  out.c = sc2[odd ^ 1] * (1 - 2 * ((q ^ (q >>> 1)) & 1)); // cos < 0 for q in {1, 2}
}
const sc = { s: 0, c: 0 };
const sc2 = new Float64Array(2);

/** Box-Muller of one pair of words into out[at] = r cos a and, if it fits below last, out[at + 1] = r sin a. */
function leanPair(x0: number, x1: number, out: Float64Array, at: number, last: number): void {
  const r = Math.sqrt(-2 * Math.log(unitOf(x0)));
  leanSinCos(x1, sc);
  out[at] = r * sc.c;
  if (at + 1 < last) out[at + 1] = r * sc.s;
}

/**
 * All normals of one sample, pair by pair (where WebAssembly SIMD runs, the CPU scans use
 * src/wasm/lean-normals.wat instead; this is its reference). The sum of squares is of the values
 * written (as the WGSL whole-sample form), so ||z|| <= 1 to rounding; the polynomials'
 * sin^2 + cos^2 = 1 only to 3e-8.
 */
function leanNormals(out: Float64Array, k0: number, k1: number, index: number): number {
  const d = out.length;
  let ss = 0;
  for (let j = 0; 2 * j < d; j++) {
    const w = leanWords(k0, k1, index, j);
    leanPair(w[0], w[1], out, 2 * j, d);
    ss += out[2 * j] * out[2 * j];
    if (2 * j + 1 < d) ss += out[2 * j + 1] * out[2 * j + 1];
  }
  return ss;
}

/**
 * Threefry-2x32-13 and a Box-Muller without round() or divergent branches (docs/generators.md).
 * Twin of shaders/rng/lean.wgsl; samples differ from the reference generator's (other words).
 */
export const lean: SampleGenerator = {
  name: 'lean',
  description: 'Threefry-2x32-13 (passes BigCrush, Salmon et al. SC11), branch-free Box-Muller, one log per sample in the norm pass',
  wgsl,
  words: leanWords,
  normalPair(k0, k1, index, j, out, at) {
    const w = leanWords(k0, k1, index, j);
    leanPair(w[0], w[1], out, at, out.length);
  },
  normals: leanNormals,
  // WebAssembly SIMD where the runtime has it (src/wasm/lean-normals.wat; the same numbers to
  // ~1e-16, test/wasm-lean.test.ts), decided on first use; elsewhere the CPU draws sample by sample
  normalsBlock: leanNormalsView,
  hasBlocks: wasmSimdAvailable,
  radius(k0, k1, index, d) {
    return leanRadiusOf(unitOf(leanWords(k0, k1, index, RADIUS_SLOT)[0]), d);
  },
  radiusOf: leanRadiusOf,
};
