import wgsl from '../../shaders/ball/l2.wgsl?raw';
import { l2Offset } from './l2-sampler.js';
import type { Ball } from './types.js';

/** Uniform in the Euclidean ball: t * u^(1/d) * g/||g||, twin of shaders/ball/l2.wgsl. */
export const l2Ball: Ball = {
  norm: 'l2',
  wgsl,
  offset: l2Offset,
  normOf(v) {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    return Math.sqrt(s);
  },
};
