import { BroxError, preview } from '../errors.js';
import type { Bounds, BoundsSpec } from './types.js';

/**
 * Box bounds and the rule that keeps samples inside them: each coordinate is *folded* back into
 * [lo, hi] (reflected at the faces as often as needed, a triangle wave). Why folding:
 * - it is 1-Lipschitz per coordinate and fixes every point of the box, so when the centre is in
 *   the box no coordinate moves away from it: a sample of an l2, l1, l_inf or diagonal M-norm ball
 *   stays in that ball (full M-norm: checked, and a sample that left the ball is discarded);
 * - unlike clamping (projection) it puts no probability mass on the faces: the density is the
 *   ball's uniform density where the ball is inside the box, and at most doubled per face near a
 *   face (the part of the ball beyond a face is mirrored onto the part inside).
 * Bounds are validated once at entry (finite, lo < hi); x must lie inside them.
 */
export function checkBounds(spec: BoundsSpec | null | undefined, d: number, argument = 'bounds'): Bounds | null {
  if (spec === undefined || spec === null) return null;
  if (!Array.isArray(spec) || spec.length !== 2) throw new BroxError(argument, 'must be [lo, hi] with lo and hi each a number or an array of d numbers');
  const side = (v: unknown, name: string): Float64Array => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new BroxError(`${argument}.${name}`, `must be finite, got ${v}`);
      return new Float64Array(d).fill(v);
    }
    if (!v || typeof v !== 'object' || (v as ArrayLike<unknown>).length !== d) throw new BroxError(`${argument}.${name}`, `must be a number or an array of ${d} numbers (the dimension)`);
    const out = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const x = (v as ArrayLike<unknown>)[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new BroxError(`${argument}.${name}`, `coordinate ${i} must be a finite number, got ${preview(x)}`);
      out[i] = x;
    }
    return out;
  };
  const lo = side(spec[0], 'lo');
  const hi = side(spec[1], 'hi');
  for (let i = 0; i < d; i++) if (!(lo[i] < hi[i])) throw new BroxError(argument, `lo must be < hi in every coordinate; coordinate ${i} has [${lo[i]}, ${hi[i]}]`);
  return { lo, hi };
}

/** Refuses a point outside the bounds, naming the first offending coordinate. */
export function checkInside(x: ArrayLike<number>, b: Bounds | null, argument: string): void {
  if (!b) return;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= b.lo[i] && x[i] <= b.hi[i])) throw new BroxError(argument, `coordinate ${i} = ${x[i]} is outside the bounds [${b.lo[i]}, ${b.hi[i]}]`);
  }
}

/** Folds v into [lo, hi] (triangle wave); twin of brox_fold in shaders/engine/sample_point.wgsl. */
export function fold(v: number, lo: number, hi: number): number {
  if (v >= lo && v <= hi) return v;
  const w = hi - lo;
  let u = (v - lo) % (2 * w);
  if (u < 0) u += 2 * w;
  const r = u <= w ? lo + u : hi - (u - w);
  return Math.min(hi, Math.max(lo, r));
}

/** The bounds as the GPU sees them: float32, rounded inward so a float32 sample is inside the float64 box. */
export function boundsF32(b: Bounds): { lo: Float32Array; hi: Float32Array } {
  const lo = Float32Array.from(b.lo);
  const hi = Float32Array.from(b.hi);
  for (let i = 0; i < lo.length; i++) {
    if (lo[i] < b.lo[i]) lo[i] = nextUp(lo[i]);
    if (hi[i] > b.hi[i]) hi[i] = nextDown(hi[i]);
  }
  return { lo, hi };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function nextUp(x: number): number {
  f32[0] = x;
  if (x === 0) return 1.4e-45;
  u32[0] += x > 0 ? 1 : -1;
  return f32[0];
}
function nextDown(x: number): number {
  return -nextUp(-x);
}
