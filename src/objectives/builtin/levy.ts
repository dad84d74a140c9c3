import wgsl from '../../../shaders/objectives/levy.wgsl?raw';
import type { BuiltinObjective } from '../types.js';
import { fill } from './fill.js';

export const levy: BuiltinObjective = {
  name: 'levy',
  description: 'Levy function, w_i = 1 + (x_i - 1)/4',
  dims: [1, 1024],
  domain: [-10, 10],
  wgsl,
  js(x) {
    const d = x.length;
    const w = (v: number) => 1 + (v - 1) / 4;
    let s = Math.sin(Math.PI * w(x[0])) ** 2;
    for (let i = 0; i < d - 1; i++) {
      const wi = w(x[i]);
      s += (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2);
    }
    const wd = w(x[d - 1]);
    return s + (wd - 1) ** 2 * (1 + Math.sin(2 * Math.PI * wd) ** 2);
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 1)] }),
  defaultStart: (d) => fill(d, -7),
};
