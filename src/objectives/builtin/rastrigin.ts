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
    for (let i = 0; i < x.length; i++) {
      // cos(2 pi x) = 1 - 2 sin^2(pi r), r = x - round(x) (exact): sin by its Taylor series to
      // degree 21 on |pi r| <= pi/2 (error < 1e-15 absolute), in Estrin's scheme (a shorter chain
      // of dependent operations than Horner's); inlined: CPU workers rebuild js from its text
      const v = x[i];
      const a = Math.PI * (v - Math.round(v));
      const a2 = a * a;
      const a4 = a2 * a2;
      const a8 = a4 * a4;
      const q0 = 1 + a2 * (-1 / 6) + a4 * (1 / 120 + a2 * (-1 / 5040));
      const q1 = 1 / 362880 + a2 * (-1 / 39916800) + a4 * (1 / 6227020800 + a2 * (-1 / 1307674368000));
      const q2 = 1 / 355687428096000 + a2 * (-1 / 121645100408832000) + a4 * (1 / 51090942171709440000);
      const sn = a * (q0 + a8 * (q1 + a8 * q2));
      s += v * v - 10 * (1 - 2 * sn * sn);
    }
    return s;
  },
  minimum: (d) => ({ fun: 0, x: [fill(d, 0)] }),
  defaultStart: (d) => fill(d, 4),
};
