import wgsl from '../../../shaders/objectives/schwefel.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const schwefel: BuiltinObjective = {
  name: 'schwefel',
  description: '418.9829 d - sum x_i sin(sqrt|x_i|)',
  dims: [1, 1024],
  domain: [-500, 500],
  wgsl,
  js(x) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * Math.sin(Math.sqrt(Math.abs(x[i])));
    return 418.9829 * x.length - s;
  },
  // f* is f at the known minimiser x_i = 420.9687 (about 1.27e-5 d; the 418.9829 constant is rounded).
  minimum(d) {
    const x = fill(d, 420.9687);
    return { fun: schwefel.js(x), x: [x] };
  },
  defaultStart: (d) => fill(d, -300),
};
