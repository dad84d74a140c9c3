import wgsl from '../../shaders/samplers/l2.wgsl?raw';
import type { SampleGenerator } from '../rng/generator.js';
import type { SamplerPlugin } from './plugin.js';

/** Uniform in the Euclidean unit ball: u^(1/d) g/||g||. The CPU backend's hot loop: no allocation. */
export function l2Unit(out: Float64Array, k0: number, k1: number, index: number, gen: SampleGenerator): void {
  const d = out.length;
  const ss = gen.normals(out, k0, k1, index);
  const s = ss > 0 ? gen.radius(k0, k1, index, d) / Math.sqrt(ss) : 0;
  for (let i = 0; i < d; i++) out[i] *= s;
}

export const l2: SamplerPlugin = {
  kind: 'l2',
  description: 'uniform in the Euclidean ball',
  wgsl,
  ball: true,
  streaming: true,
  unit: l2Unit,
  normalScale: (ss, u, k0, k1, index, d, gen) => (ss > 0 ? (u === undefined ? gen.radius(k0, k1, index, d) : gen.radiusOf(u, d)) / Math.sqrt(ss) : 0),
  norm(z) {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += z[i] * z[i];
    return Math.sqrt(s);
  },
};
