import wgsl from '../../../shaders/objectives/sphere.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const sphere: BuiltinObjective = {
  name: 'sphere',
  description: 'sum x_i^2',
  dims: [1, 1024],
  domain: [-5.12, 5.12],
  wgsl,
  js(x) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    return s;
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 0)] }),
  defaultStart: (d) => fill(d, 3),
};
