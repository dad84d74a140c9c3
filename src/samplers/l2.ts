import wgsl from '../../shaders/samplers/l2.wgsl?raw';
import type { Generator } from '../rng/generator.js';
import { unitOf } from '../rng/words.js';
import type { SamplerPlugin } from './plugin.js';

/** Uniform in the Euclidean unit ball: u^(1/d) g/||g||. The CPU backend's hot loop: no allocation. */
export function l2Unit(out: Float64Array, k0: number, k1: number, index: number, gen: Generator): void {
  const d = out.length;
  for (let j = 0; 2 * j < d; j++) gen.normalPair(k0, k1, index, j, out, 2 * j);
  let ss = 0;
  for (let i = 0; i < d; i++) ss += out[i] * out[i];
  const u = unitOf(gen.words(k0, k1, index, 1023)[0]);
  const rad = d === 1 ? u : Math.pow(u, 1 / d);
  const s = ss > 0 ? rad / Math.sqrt(ss) : 0;
  for (let i = 0; i < d; i++) out[i] *= s;
}

export const l2: SamplerPlugin = {
  kind: 'l2',
  description: 'uniform in the Euclidean ball',
  wgsl,
  ball: true,
  streaming: true,
  unit: l2Unit,
  norm(z) {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += z[i] * z[i];
    return Math.sqrt(s);
  },
};
