import { BroxError, preview } from '../errors.js';
import { getGenerator, type SampleGenerator } from '../rng/generator.js';
import { cholesky, squareMatrix } from './linalg.js';
import type { SamplerPlugin } from './plugin.js';
import { samplers, samplerKinds } from './registry.js';
import type { SamplerSpec } from './types.js';

/**
 * The linear map A of a call (offset = t A z): none, diagonal (vector a) or full (row-major d x d).
 * `inv` maps an offset back to unit space (for the ball's norm); absent for unbounded samplers.
 */
export type LinearMap =
  | { kind: 'none' }
  | { kind: 'diag'; a: Float64Array; inv: Float64Array | null }
  | { kind: 'full'; a: Float64Array; inv: Float64Array | null };

export interface PreparedSampler {
  plugin: SamplerPlugin;
  map: LinearMap;
  /** Where the random words and normals come from (the `generator` option). */
  gen: SampleGenerator;
  /** Part of the pipeline cache key: the kernel differs by sampler kind, map kind and generator only. */
  key: string;
}

const MAP_CODE = { none: 0, diag: 1, full: 2 } as const;
export const mapCode = (m: LinearMap): number => MAP_CODE[m.kind];

function vector(v: unknown, d: number, argument: string, positive: boolean): Float64Array {
  if (!v || typeof v !== 'object' || (v as ArrayLike<unknown>).length !== d) throw new BroxError(argument, `must be an array of ${d} numbers (the dimension)`);
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const x = (v as ArrayLike<unknown>)[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0)) throw new BroxError(argument, `entry ${i} must be a finite number${positive ? ' > 0' : ''}, got ${preview(x)}`);
    out[i] = x;
  }
  return out;
}

/** Gaussian populations: the map is diag, chol(cov) or a given factor (exactly one of them). */
function gaussianMap(spec: Record<string, unknown>, d: number): LinearMap {
  const given = ['diag', 'cov', 'factor'].filter((k) => spec[k] !== undefined);
  if (given.length > 1) throw new BroxError('ball', `a Gaussian takes one of diag, cov, factor; got ${given.join(' and ')}`);
  if (spec.diag !== undefined) return { kind: 'diag', a: vector(spec.diag, d, 'ball.diag', true), inv: null };
  if (spec.cov !== undefined) return { kind: 'full', a: cholesky(squareMatrix(spec.cov, d, 'ball.cov'), d, 'ball.cov'), inv: null };
  if (spec.factor !== undefined) return { kind: 'full', a: squareMatrix(spec.factor, d, 'ball.factor'), inv: null };
  return { kind: 'none' };
}

/** A short, safe description of any value (no JSON.stringify: bigint and cycles throw). */
function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v.slice(0, 40)}'`;
  if (v && typeof v === 'object') return `an object with kind ${typeof (v as { kind?: unknown }).kind === 'string' ? `'${(v as { kind: string }).kind.slice(0, 40)}'` : 'missing'}`;
  return typeof v;
}

/** Validates a `ball` option for dimension d (BroxError naming `ball` and the allowed kinds) and a `generator` option. */
export function prepareSampler(spec: SamplerSpec | undefined, d: number, generator?: unknown): PreparedSampler {
  const gen = getGenerator(generator);
  const s = (typeof spec === 'string' ? { kind: spec } : spec ?? { kind: 'l2' }) as Record<string, unknown>;
  if (!s || typeof s !== 'object' || typeof s.kind !== 'string' || !Object.hasOwn(samplers, s.kind)) {
    throw new BroxError('ball', `must be one of ${samplerKinds().map((k) => `'${k}'`).join(', ')} or { kind, ... }, got ${describe(spec)}`);
  }
  const plugin = samplers[s.kind];
  let map: LinearMap = { kind: 'none' };
  if (plugin.kind === 'gaussian') map = gaussianMap(s, d);
  else if ('prepare' in plugin && typeof plugin.prepare === 'function') map = (plugin.prepare as (sp: unknown, d: number) => LinearMap)(s, d);
  return { plugin, map, gen, key: `${plugin.kind}/${map.kind}/${gen.name}` };
}

/** v <- A v (A of the map), in place; tmp is scratch of length d. */
export function applyMap(map: LinearMap, v: Float64Array, tmp: Float64Array): void {
  const d = v.length;
  if (map.kind === 'diag') for (let i = 0; i < d; i++) v[i] *= map.a[i];
  else if (map.kind === 'full') {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += map.a[i * d + j] * v[j];
      tmp[i] = s;
    }
    v.set(tmp);
  }
}

/** The ball's norm of an offset v (already divided by t): the plugin's norm of A^{-1} v. */
export function offsetNorm(p: PreparedSampler, v: Float64Array, tmp: Float64Array): number {
  const m = p.map;
  if (m.kind === 'none') return p.plugin.norm(v);
  if (!m.inv) return 0;
  const d = v.length;
  if (m.kind === 'diag') for (let i = 0; i < d; i++) tmp[i] = v[i] * m.inv[i];
  else
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += m.inv[i * d + j] * v[j];
      tmp[i] = s;
    }
  return p.plugin.norm(tmp);
}
