import wgsl from '../../../shaders/objectives/wavy-bowl.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const wavyBowl: BuiltinObjective = {
  name: 'wavy-bowl',
  description: 'ours: sum x_i^2 + 10 sin^2(pi x_i); a local minimum near every integer point',
  dims: [1, 1024],
  domain: [-10, 10],
  wgsl,
  js(x) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i] + 10 * Math.sin(Math.PI * x[i]) ** 2;
    return s;
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 0)] }),
  defaultStart: (d) => fill(d, 4.3),
};
