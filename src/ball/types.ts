/**
 * A ball shape: how to draw uniform offsets inside it. Each shape has a WGSL twin defining
 *   fn brox_ball_offset(key: vec2<u32>, lo: u32, hi: u32, t: f32, y: ptr<function, array<f32, DIM>>)
 * that writes the same offset for the same (seed, call, index). Other norms (l_inf, l1, M-norm)
 * slot in as one file each.
 */
export interface Ball {
  readonly norm: 'l2';
  readonly wgsl: string;
  /** Writes the offset y - x of sample `index` (0 <= index < 2^53) for radius t into out. */
  offset(out: Float64Array, t: number, seed: number, call: number, index: number): void;
  /** ||v|| in this norm (used by tests and by callers checking feasibility). */
  normOf(v: ArrayLike<number>): number;
}
