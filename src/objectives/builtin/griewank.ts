import wgsl from '../../../shaders/objectives/griewank.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const griewank: BuiltinObjective = {
  name: 'griewank',
  description: 'sum x_i^2 / 4000 - prod cos(x_i / sqrt(i)) + 1',
  dims: [1, 1024],
  domain: [-600, 600],
  wgsl,
  js(x) {
    let s = 0;
    let p = 1;
    for (let i = 0; i < x.length; i++) {
      s += x[i] * x[i];
      p *= Math.cos(x[i] / Math.sqrt(i + 1));
    }
    return s / 4000 - p + 1;
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 0)] }),
  defaultStart: (d) => fill(d, 300),
};
