import { BroxError, preview } from '../errors.js';
import { ackley } from './builtin/ackley.js';
import { griewank } from './builtin/griewank.js';
import { levy } from './builtin/levy.js';
import { michalewicz } from './builtin/michalewicz.js';
import { rastrigin } from './builtin/rastrigin.js';
import { rosenbrock } from './builtin/rosenbrock.js';
import { schwefel } from './builtin/schwefel.js';
import { sphere } from './builtin/sphere.js';
import { styblinskiTang } from './builtin/styblinski-tang.js';
import { twinWells } from './builtin/twin-wells.js';
import { wavyBowl } from './builtin/wavy-bowl.js';
import type { BuiltinObjective, Objective } from './types.js';
import { checkDim } from '../validate.js';
import { bbob, parseBbobName } from './bbob/index.js';

/** Every built-in objective, by name. */
export const builtins: Readonly<Record<string, BuiltinObjective>> = Object.freeze(
  Object.fromEntries(
    [sphere, rastrigin, ackley, griewank, levy, schwefel, rosenbrock, styblinskiTang, michalewicz, wavyBowl, twinWells].map(
      (o) => [o.name, o],
    ),
  ),
);

export const builtinNames = (): string[] => Object.keys(builtins);

/** A built-in objective bound to dimension `dim` (also `bbob-f<fid>-i<instance>`: src/objectives/bbob/). */
export function getObjective(name: string, dim: number): Objective {
  const bb = typeof name === 'string' ? parseBbobName(name) : null;
  if (bb) return bbob(bb[0], dim, bb[1]);
  const b = Object.hasOwn(builtins, name) ? builtins[name] : undefined;
  if (!b) {
    throw new BroxError('objective', `unknown objective '${preview(name)}'; allowed: ${builtinNames().join(', ')}, or bbob-f<1..24>-i<instance>`);
  }
  checkDim(dim, b.dims[0], b.dims[1]);
  return Object.freeze({ name: b.name, dim, wgsl: b.wgsl, js: b.js, domain: b.domain, minimum: b.minimum(dim) });
}
