import { BroxError } from '../errors';
import { ackley } from './builtin/ackley';
import { griewank } from './builtin/griewank';
import { levy } from './builtin/levy';
import { michalewicz } from './builtin/michalewicz';
import { rastrigin } from './builtin/rastrigin';
import { rosenbrock } from './builtin/rosenbrock';
import { schwefel } from './builtin/schwefel';
import { sphere } from './builtin/sphere';
import { styblinskiTang } from './builtin/styblinski-tang';
import { twinWells } from './builtin/twin-wells';
import { wavyBowl } from './builtin/wavy-bowl';
import type { BuiltinObjective, Objective } from './types';
import { checkDim } from '../validate';

/** Every built-in objective, by name. */
export const builtins: Readonly<Record<string, BuiltinObjective>> = Object.freeze(
  Object.fromEntries(
    [sphere, rastrigin, ackley, griewank, levy, schwefel, rosenbrock, styblinskiTang, michalewicz, wavyBowl, twinWells].map(
      (o) => [o.name, o],
    ),
  ),
);

export const builtinNames = (): string[] => Object.keys(builtins);

/** A built-in objective bound to dimension `dim`. */
export function getObjective(name: string, dim: number): Objective {
  const b = builtins[name];
  if (!b) {
    throw new BroxError('objective', `unknown objective '${name}'; allowed: ${builtinNames().join(', ')}`);
  }
  checkDim(dim, b.dims[0], b.dims[1]);
  return Object.freeze({ name: b.name, dim, wgsl: b.wgsl, js: b.js, domain: b.domain, minimum: b.minimum(dim) });
}
