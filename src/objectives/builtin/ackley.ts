import wgsl from '../../../shaders/objectives/ackley.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const ackley: BuiltinObjective = {
  name: 'ackley',
  description: '-20 exp(-0.2 sqrt(mean x_i^2)) - exp(mean cos(2 pi x_i)) + 20 + e',
  dims: [1, 1024],
  domain: [-32.768, 32.768],
  wgsl,
  js(x) {
    let sq = 0;
    let cs = 0;
    for (let i = 0; i < x.length; i++) {
      sq += x[i] * x[i];
      cs += Math.cos(2 * Math.PI * x[i]);
    }
    const n = x.length;
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / n)) - Math.exp(cs / n) + 20 + Math.E;
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 0)] }),
  defaultStart: (d) => fill(d, 20),
};
