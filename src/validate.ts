import { BroxError, preview } from './errors.js';

export const MIN_DIM = 1;
export const MAX_DIM = 1024;
/** Sample indices are JS numbers; the RNG counter holds indices below 2^54. */
export const MAX_SAMPLES = Number.MAX_SAFE_INTEGER;

/** How a bad value is echoed: strings quoted, everything cut short (errors.ts preview). */
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(preview(v)) : preview(v));

export function checkDim(dim: unknown, lo = MIN_DIM, hi = MAX_DIM, argument = 'dim'): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new BroxError(argument, `must be an integer in [${lo}, ${hi}], got ${show(dim)}`);
  }
  return dim;
}

export function checkRadius(t: unknown, argument = 't'): number {
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
    throw new BroxError(argument, `must be a finite number > 0, got ${show(t)}`);
  }
  return t;
}

/** A point of length `dim` with finite coordinates, copied into a Float64Array. */
export function checkPoint(x: unknown, dim: number, argument = 'x'): Float64Array {
  if (!(Array.isArray(x) || ArrayBuffer.isView(x)) || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new BroxError(argument, `must be an array of ${dim} finite numbers, got ${show(x)}`);
  }
  const a = x as ArrayLike<unknown>;
  if (a.length !== dim) {
    throw new BroxError(argument, `must have length ${dim} (the objective's dimension), got length ${a.length}`);
  }
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new BroxError(argument, `coordinate ${i} must be a finite number, got ${show(v)}`);
    }
    out[i] = v;
  }
  return out;
}

export function checkInteger(v: unknown, argument: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new BroxError(argument, `must be an integer in [${lo}, ${hi}], got ${show(v)}`);
  }
  return v;
}

/** A number in [lo, hi], or (lo, hi] with loOpen. */
export function checkNumber(v: unknown, argument: string, lo: number, hi: number, loOpen = false): number {
  const ok = typeof v === 'number' && !Number.isNaN(v) && (loOpen ? v > lo : v >= lo) && v <= hi;
  if (!ok) throw new BroxError(argument, `must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${show(v)}`);
  return v as number;
}

export const checkSamples = (n: unknown, argument = 'samples'): number => checkInteger(n, argument, 1, MAX_SAMPLES);

/** Seeds are u32 (the RNG key word). */
export const checkSeed = (s: unknown, argument = 'seed'): number => checkInteger(s, argument, 0, 0xffffffff);

export function checkOneOf<T extends string>(v: unknown, allowed: readonly T[], argument: string): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new BroxError(argument, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(v)}`);
  }
  return v as T;
}
