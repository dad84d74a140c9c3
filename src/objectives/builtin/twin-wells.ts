import wgsl from '../../../shaders/objectives/twin-wells.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const twinWells: BuiltinObjective = {
  name: 'twin-wells',
  description: 'ours: min(||x + 2||^2, ||x - 3||^2); two disconnected global minimisers',
  dims: [1, 1024],
  domain: [-5, 5],
  wgsl,
  js(x) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < x.length; i++) {
      sa += (x[i] + 2) ** 2;
      sb += (x[i] - 3) ** 2;
    }
    return Math.min(sa, sb);
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, -2), fill(d, 3)] }),
  defaultStart: (d) => fill(d, 0.4),
};
