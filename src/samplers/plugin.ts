import type { SampleGenerator } from '../rng/generator.js';

/**
 * A sampler plug-in: one .wgsl file (shaders/samplers/NAME.wgsl) plus this TS twin, registered with
 * one line in src/samplers/registry.ts. Both draw the *unit* offset z of sample `index` under RNG key
 * (k0, k1) — the point is then x + t * A z, with A the linear map of src/samplers/spec.ts (identity,
 * diagonal or full), moved into the original ball and the bounds by src/samplers/point.ts.
 *
 * Randomness comes only from the call's generator (src/rng/generator.ts): in WGSL
 * brox_sample_words(key, lo, hi, slot), brox_normal_pair(key, lo, hi, j) and brox_normal_sumsq(key, lo, hi);
 * in TS the `gen` argument of unit(). So every sampler runs on every generator.
 *
 * WGSL contract (DIM, the generator's functions, brox_to_unit and trig are in scope):
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
  /** Writes the unit offset z of sample `index` (0 <= index < 2^53) under key (k0, k1), drawn from `gen`. */
  unit(out: Float64Array, k0: number, k1: number, index: number, gen: SampleGenerator): void;
  /**
   * Samplers whose unit offset is the generator's normals times a scalar (l2: u^(1/d)/||g||,
   * Gaussian: 1): that scalar, from the normals' sum of squares ss and, when the block carried
   * it, the sample's radius uniform u -- what unit() multiplies by. Lets the CPU draw normals in blocks.
   */
  normalScale?(ss: number, u: number | undefined, k0: number, k1: number, index: number, d: number, gen: SampleGenerator): number;
  /** Norm of a unit-space offset (the ball is norm <= 1); 0 for unbounded samplers. */
  norm(z: ArrayLike<number>): number;
}
