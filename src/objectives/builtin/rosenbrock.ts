import wgsl from '../../../shaders/objectives/rosenbrock.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const rosenbrock: BuiltinObjective = {
  name: 'rosenbrock',
  description: 'sum 100 (x_{i+1} - x_i^2)^2 + (x_i - 1)^2',
  dims: [1, 1024],
  domain: [-5, 10],
  wgsl,
  js(x) {
    let s = 0;
    for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (x[i] - 1) ** 2;
    return s;
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 1)] }),
  defaultStart: (d) => fill(d, -3),
};
