import { BroxError, preview } from '../errors.js';
import { objectiveForms } from './forms.js';
import { checkDim } from '../validate.js';
import type { KnownMinimum, Objective, ObjectiveFn } from './types.js';

export interface DefineObjectiveOptions {
  name: string;
  dim: number;
  /** WGSL defining `fn objective(x: ptr<function, array<f32, DIM>>) -> f32` (see Objective). */
  wgsl: string;
  /** The float64 twin of the WGSL. */
  js: ObjectiveFn;
  domain?: [number, number];
  minimum?: KnownMinimum | null;
}

/** A user objective. Its WGSL is compiled on first use; compile errors point into `wgsl`. */
export function defineObjective(o: DefineObjectiveOptions): Objective {
  if (!o || typeof o !== 'object') throw new BroxError('objective', 'must be an object { name, dim, wgsl, js }');
  if (typeof o.name !== 'string' || !/^[A-Za-z][\w.-]{0,63}$/.test(o.name)) {
    throw new BroxError('name', `must be 1-64 characters of letters, digits, '_', '.', '-', starting with a letter; got ${typeof o.name === 'string' ? JSON.stringify(preview(o.name)) : preview(o.name)}`);
  }
  checkDim(o.dim);
  const forms = typeof o.wgsl === 'string' ? objectiveForms(o.wgsl) : { array: false, streaming: false };
  if (!forms.array && !forms.streaming) {
    throw new BroxError('wgsl', 'must be WGSL source defining fn objective(x: ptr<function, array<f32, DIM>>) -> f32, or the streaming form (objective_init / objective_term / objective_finish)');
  }
  if (typeof o.js !== 'function') throw new BroxError('js', 'must be a function (x: number[]) => number, the twin of the WGSL');
  if (o.domain !== undefined && !(Array.isArray(o.domain) && o.domain.length === 2 && o.domain[0] < o.domain[1])) {
    throw new BroxError('domain', `must be [lo, hi] with lo < hi, got ${preview(o.domain)}`);
  }
  return Object.freeze({ name: o.name, dim: o.dim, wgsl: o.wgsl, js: o.js, domain: o.domain, minimum: o.minimum ?? null });
}
