import wgsl from '../../../shaders/objectives/rastrigin.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const rastrigin: BuiltinObjective = {
  name: 'rastrigin',
  description: '10 d + sum (x_i^2 - 10 cos(2 pi x_i))',
  dims: [1, 1024],
  domain: [-5.12, 5.12],
  wgsl,
  js(x) {
    let s = 10 * x.length;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i] - 10 * Math.cos(2 * Math.PI * x[i]);
    return s;
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 0)] }),
  defaultStart: (d) => fill(d, 4),
};
