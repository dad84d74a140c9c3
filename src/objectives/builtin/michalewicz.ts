import wgsl from '../../../shaders/objectives/michalewicz.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const michalewicz: BuiltinObjective = {
  name: 'michalewicz',
  description: '-sum sin(x_i) sin(i x_i^2 / pi)^20, m = 10',
  dims: [1, 1024],
  domain: [0, Math.PI],
  wgsl,
  js(x) {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      s += Math.sin(x[i]) * Math.sin(((i + 1) * x[i] * x[i]) / Math.PI) ** 20;
    }
    return -s;
  },
  // Known only for a few dimensions (literature values); null elsewhere.
  minimum(d) {
    if (d === 2) return { fun: -1.80130341, x: [[2.2029055201726, Math.PI / 2]] };
    if (d === 5) return { fun: -4.687658 };
    if (d === 10) return { fun: -9.66015 };
    return null;
  },
  defaultStart: (d) => fill(d, 0.5),
};
