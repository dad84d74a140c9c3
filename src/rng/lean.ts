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
 * from the next 23 bits (exact, as in f32). The same Taylor polynomials as the WGSL twin, in float64.
 */
export function leanSinCos(bits: number, out: { s: number; c: number }): void {
  const z = (((bits >>> 7) & 0x7fffff) * 1.1920928955078125e-7 - 0.49999994039535522) * HALF_PI;
  const z2 = z * z;
  const s = z * (1 + z2 * (-1.6666666666666666e-1 + z2 * (8.333333333333333e-3 + z2 * (-1.984126984126984e-4 + z2 * 2.7557319223985893e-6))));
  const c = 1 + z2 * (-0.5 + z2 * (4.1666666666666664e-2 + z2 * (-1.388888888888889e-3 + z2 * 2.48015873015873e-5)));
  const q = bits >>> 30;
  const odd = q & 1;
  out.s = q & 2 ? -(odd ? c : s) : odd ? c : s; // sin < 0 for q in {2, 3}
  out.c = (q ^ (q >>> 1)) & 1 ? -(odd ? s : c) : odd ? s : c; // cos < 0 for q in {1, 2}
}
const sc = { s: 0, c: 0 };
const sc2 = new Float64Array(2);

/**
 * All normals of one sample: Threefry-2x32-13 inlined (key schedule once per sample, no word
 * buffer), then lean Box-Muller per pair. The sum of squares is of the values written (as the
 * WGSL whole-sample form), so ||z|| <= 1 to rounding; the polynomials' sin^2 + cos^2 = 1 only to
 * 3e-8. The CPU backend's hot loop: keep it allocation- and call-free.
 */
function leanNormals(out: Float64Array, k0: number, k1: number, index: number): number {
  return leanNormalsAt(out, 0, out.length, k0, k1, index);
}

/** leanNormals into out[off .. off + d). */
export function leanNormalsAt(out: Float64Array, off: number, d: number, k0: number, k1: number, index: number): number {
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (0x1bd11bda ^ ks0 ^ ks1) >>> 0;
  const lo = index >>> 0; // ToUint32: index mod 2^32 for integers below 2^53, without fmod
  const base = ((index - lo) / 4294967296) * SLOTS_PER_SAMPLE;
  const c0 = (lo + ks0) | 0;
  let ss = 0;
  const last = off + d;
  for (let j = 0, at = off; at < last; j++, at += 2) {
    let x0 = c0;
    let x1 = (((base + j) >>> 0) + ks1) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + ks1) | 0; x1 = (x1 + ks2 + 1) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
    x0 = (x0 + ks2) | 0; x1 = (x1 + ks0 + 2) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + ks0) | 0; x1 = (x1 + ks1 + 3) | 0;
    x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
    const r = Math.sqrt(-2 * Math.log((x0 >>> 9) * 1.1920928955078125e-7 + 5.9604644775390625e-8));
    const z = (((x1 >>> 7) & 0x7fffff) * 1.1920928955078125e-7 - 0.49999994039535522) * HALF_PI;
    const z2 = z * z;
    const s = z * (1 + z2 * (-1.6666666666666666e-1 + z2 * (8.333333333333333e-3 + z2 * (-1.984126984126984e-4 + z2 * 2.7557319223985893e-6))));
    const c = 1 + z2 * (-0.5 + z2 * (4.1666666666666664e-2 + z2 * (-1.388888888888889e-3 + z2 * 2.48015873015873e-5)));
    // rotate by q quarter turns without branches (random q would defeat the branch predictor):
    // swap through a 2-slot table on odd q, signs as 1 - 2 bit, exact like the WGSL selects
    const q = x1 >>> 30;
    const odd = q & 1;
    sc2[0] = s;
    sc2[1] = c;
    const cv = sc2[odd ^ 1] * (1 - 2 * ((q ^ (q >>> 1)) & 1));
    const a = r * cv;
    out[at] = a;
    ss += a * a;
    if (at + 1 < last) {
      const b = r * sc2[odd] * (1 - (q & 2));
      out[at + 1] = b;
      ss += b * b;
    }
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
    const r = Math.sqrt(-2 * Math.log(unitOf(w[0])));
    leanSinCos(w[1], sc);
    out[at] = r * sc.c;
    if (at + 1 < out.length) out[at + 1] = r * sc.s;
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
