import { SLOTS_PER_SAMPLE } from '../rng/counter.js';
import { threefry2x32 } from '../rng/threefry.js';

/**
 * A sampler plug-in: one .wgsl file (shaders/samplers/NAME.wgsl) plus this TS twin, registered with
 * one line in src/samplers/registry.ts. Both draw the *unit* offset z of sample `index` under RNG key
 * (k0, k1) — the point is then x + t * A z, with A the linear map of src/samplers/spec.ts (identity,
 * diagonal or full), moved into the original ball and the bounds by src/samplers/point.ts.
 *
 * WGSL contract (DIM, shaders/rng/threefry.wgsl, shaders/rng/normal.wgsl and trig are in scope):
 *   fn brox_sampler_unit(key: vec2<u32>, lo: u32, hi: u32, z: ptr<function, array<f32, DIM>>)
 *   fn brox_sampler_norm(z: ptr<function, array<f32, DIM>>) -> f32       (0 for unbounded samplers)
 * and, for samplers with `streaming: true`, the form that never holds the whole sample:
 *   fn brox_sampler_scale(key: vec2<u32>, lo: u32, hi: u32) -> f32       z_i = scale * pair_i
 *   fn brox_sampler_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32>   (coordinates 2j, 2j+1)
 * Counter layout (src/rng/counter.ts): (lo, hi * 1024 + slot); slots 0..1022 belong to the sampler,
 * slot 1023 holds the radius uniform of ball samplers.
 */
export interface SamplerPlugin {
  readonly kind: string;
  readonly description: string;
  readonly wgsl: string;
  /** Samples fill a ball of this norm (refinement projects into it); false: a population without a boundary. */
  readonly ball: boolean;
  /** Has the streaming form (brox_sampler_scale / brox_sampler_pair). */
  readonly streaming: boolean;
  /** Writes the unit offset z of sample `index` (0 <= index < 2^53) under key (k0, k1). */
  unit(out: Float64Array, k0: number, k1: number, index: number): void;
  /** Norm of a unit-space offset (the ball is norm <= 1); 0 for unbounded samplers. */
  norm(z: ArrayLike<number>): number;
}

// Shared by the TS twins: Threefry words and their unit floats, no allocation per sample.
export const words = new Uint32Array(2);
export const U_SCALE = 1.1920928955078125e-7; // toUnit, inlined: (bits >>> 9) * 2^-23 + 2^-24
export const U_OFFSET = 5.9604644775390625e-8;
export const unitOf = (bits: number): number => (bits >>> 9) * U_SCALE + U_OFFSET;

export function counterWords(k0: number, k1: number, index: number, slot: number): Uint32Array {
  const lo = index % 4294967296;
  const hi = (index - lo) / 4294967296;
  threefry2x32(k0, k1, lo, (hi * SLOTS_PER_SAMPLE + slot) >>> 0, words); // the counter layout of src/rng/counter.ts
  return words;
}

/** Box-Muller normals 2j, 2j+1 (twin of brox_normal_pair in shaders/rng/normal.wgsl). */
export function normalPair(k0: number, k1: number, index: number, j: number, out: Float64Array, at: number): void {
  const w = counterWords(k0, k1, index, j);
  const r = Math.sqrt(-2 * Math.log(unitOf(w[0])));
  const th = 2 * Math.PI * unitOf(w[1]) - Math.PI; // pi (2u - 1)
  out[at] = r * Math.cos(th);
  if (at + 1 < out.length) out[at + 1] = r * Math.sin(th);
}
