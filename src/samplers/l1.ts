import wgsl from '../../shaders/samplers/l1.wgsl?raw';
import { unitOf } from '../rng/words.js';
import type { SamplerPlugin } from './plugin.js';

/** Uniform in the l1 unit ball: sign_i e_i / (e_1 + ... + e_{d+1}), e ~ Exp(1). */
export const l1: SamplerPlugin = {
  kind: 'l1',
  description: 'uniform in the l1 ball (cross-polytope)',
  wgsl,
  ball: true,
  streaming: true,
  unit(out, k0, k1, index, gen) {
    const d = out.length;
    let s = 0;
    for (let j = 0; 2 * j < d + 1; j++) {
      const w = gen.words(k0, k1, index, j);
      const a = -Math.log(unitOf(w[0]));
      const b = -Math.log(unitOf(w[1]));
      s += a;
      if (2 * j < d) out[2 * j] = w[0] & 1 ? -a : a;
      if (2 * j + 1 < d + 1) {
        s += b;
        if (2 * j + 1 < d) out[2 * j + 1] = w[1] & 1 ? -b : b;
      }
    }
    for (let i = 0; i < d; i++) out[i] /= s;
  },
  norm(z) {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += Math.abs(z[i]);
    return s;
  },
};
