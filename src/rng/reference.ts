import wgsl from '../../shaders/rng/reference.wgsl?raw';
import type { SampleGenerator } from './generator.js';
import { threefry2x32 } from './threefry.js';
import { RADIUS_SLOT, SLOTS_PER_SAMPLE } from './counter.js';
import { unitOf, words } from './words.js';

function referenceWords(k0: number, k1: number, index: number, slot: number): Uint32Array {
  const lo = index >>> 0; // ToUint32: index mod 2^32 for integers below 2^53, without fmod
  const hi = (index - lo) / 4294967296;
  threefry2x32(k0, k1, lo, (hi * SLOTS_PER_SAMPLE + slot) >>> 0, words); // the counter layout of src/rng/counter.ts
  return words;
}

/** Box-Muller normals 2j, 2j+1 of sample `index` into out[at], out[at + 1] (the second if it fits). */
function referenceNormalPair(k0: number, k1: number, index: number, j: number, out: Float64Array, at: number): void {
  const w = referenceWords(k0, k1, index, j);
  const r = Math.sqrt(-2 * Math.log(unitOf(w[0])));
  const th = 2 * Math.PI * unitOf(w[1]) - Math.PI; // pi (2u - 1)
  out[at] = r * Math.cos(th);
  if (at + 1 < out.length) out[at + 1] = r * Math.sin(th);
}

const referenceRadiusOf = (u: number, d: number): number => (d === 1 ? u : Math.pow(u, 1 / d));

/** Threefry-2x32-20 and Box-Muller with log, sqrt, sin, cos. Twin of shaders/rng/reference.wgsl. */
export const reference: SampleGenerator = {
  name: 'reference',
  description: 'Threefry-2x32-20, Box-Muller (log, sqrt, sin/cos): the reference every other generator is measured against',
  wgsl,
  words: referenceWords,
  normalPair: referenceNormalPair,
  normals(out, k0, k1, index) {
    const d = out.length;
    for (let j = 0; 2 * j < d; j++) referenceNormalPair(k0, k1, index, j, out, 2 * j);
    let ss = 0;
    for (let i = 0; i < d; i++) ss += out[i] * out[i];
    return ss;
  },
  radius(k0, k1, index, d) {
    return referenceRadiusOf(unitOf(referenceWords(k0, k1, index, RADIUS_SLOT)[0]), d);
  },
  radiusOf: referenceRadiusOf,
};
