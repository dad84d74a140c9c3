import wgsl from '../../shaders/samplers/linf.wgsl?raw';
import { unitOf } from '../rng/words.js';
import type { SamplerPlugin } from './plugin.js';

export const linf: SamplerPlugin = {
  kind: 'linf',
  description: 'uniform in the l_inf ball (a box of half-width t)',
  wgsl,
  ball: true,
  streaming: true,
  unit(out, k0, k1, index, gen) {
    for (let j = 0; 2 * j < out.length; j++) {
      const w = gen.words(k0, k1, index, j);
      out[2 * j] = 2 * unitOf(w[0]) - 1;
      if (2 * j + 1 < out.length) out[2 * j + 1] = 2 * unitOf(w[1]) - 1;
    }
  },
  norm(z) {
    let m = 0;
    for (let i = 0; i < z.length; i++) m = Math.max(m, Math.abs(z[i]));
    return m;
  },
};
