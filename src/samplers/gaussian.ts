import wgsl from '../../shaders/samplers/gaussian.wgsl?raw';
import type { SamplerPlugin } from './plugin.js';

/** N(0, I) offsets; with a diagonal or full map (spec.ts) any Gaussian N(x, t^2 A A^T). */
export const gaussian: SamplerPlugin = {
  kind: 'gaussian',
  description: 'Gaussian population N(x, t^2 A A^T) (A: identity, diag or full, from the spec)',
  wgsl,
  ball: false,
  streaming: true,
  unit(out, k0, k1, index, gen) {
    gen.normals(out, k0, k1, index);
  },
  normalScale: () => 1,
  norm: () => 0,
};
