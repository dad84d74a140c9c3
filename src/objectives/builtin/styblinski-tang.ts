import wgsl from '../../../shaders/objectives/styblinski-tang.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const styblinskiTang: BuiltinObjective = {
  name: 'styblinski-tang',
  description: '0.5 sum (x_i^4 - 16 x_i^2 + 5 x_i)',
  dims: [1, 1024],
  domain: [-5, 5],
  wgsl,
  js(x) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] ** 4 - 16 * x[i] ** 2 + 5 * x[i];
    return 0.5 * s;
  },
  minimum: (d) => ({ fun: -39.16616570377142 * d, x: [fill(d, -2.903534)] }),
  defaultStart: (d) => fill(d, 4),
};
