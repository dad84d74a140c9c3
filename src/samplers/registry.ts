import { gaussian } from './gaussian.js';
import { l1 } from './l1.js';
import { l2 } from './l2.js';
import { linf } from './linf.js';
import { mlinf } from './mlinf.js';
import { mnorm } from './mnorm.js';
import type { SamplerPlugin } from './plugin.js';

/** Every sampler, by kind. A new sampler: shaders/samplers/NAME.wgsl + src/samplers/NAME.ts + one line here. */
export const samplers: Readonly<Record<string, SamplerPlugin>> = Object.freeze({
  l2,
  linf,
  mnorm,
  gaussian,
  l1,
  mlinf,
});

export const samplerKinds = (): string[] => Object.keys(samplers);
