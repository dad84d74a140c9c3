// The cases of the quality bench: a built-in objective, plain ('base') or shifted-rotated ('sr'),
// at one dimension; each run of a case has a seed that fixes its start, its method seed and (for
// 'sr') its rotation and shift, so every seed is a different instance of the variant.
import { builtins, getObjective, shiftRotate, srRandom, type Objective, type ShiftRotateData } from '../../src/internal';
import type { QualityCase, Variant } from './schema';

/** Success: f - f* <= SUCCESS_REL * max(1, |f*|) (issue 9). */
export const SUCCESS_REL = 1e-3;
export const SUCCESS_RULE = 'f - f* <= 1e-3 * max(1, |f*|), x inside the bounds';

/** Default functions: every built-in but sphere (trivial at every budget). */
export const DEFAULT_FUNCTIONS = Object.keys(builtins).filter((n) => n !== 'sphere');
export const QUICK_FUNCTIONS = ['rastrigin', 'ackley', 'levy', 'styblinski-tang', 'schwefel'];

export interface CaseSpec extends QualityCase {
  /** The objective of seed `s` (the 'sr' variant differs per seed). */
  objective(seed: number): Objective & { transform?: ShiftRotateData };
}

export interface Skipped {
  function: string;
  variant: Variant;
  d: number;
  why: string;
}

const TRANSFORM_NOTE =
  "variant(x) = f(z* + R (x - c)), R Haar-random orthogonal, c uniform in the central 40 % of the box (the variant's minimiser, f* unchanged); 'clamp' clamps z into the base domain and adds |z - clamp(z)|^2 (src/objectives/transform.ts)";

/** Builds the cases for the chosen functions, dimensions and variants; lists what cannot run and why. */
export function buildCases(functions: string[], dims: number[], variants: Variant[]): { cases: CaseSpec[]; skipped: Skipped[] } {
  const cases: CaseSpec[] = [];
  const skipped: Skipped[] = [];
  for (const fn of functions) {
    const b = Object.hasOwn(builtins, fn) ? builtins[fn] : undefined;
    if (!b) throw new Error(`unknown function '${fn}'; built-ins: ${Object.keys(builtins).join(', ')}`);
    for (const d of dims) {
      if (d < b.dims[0] || d > b.dims[1]) {
        for (const variant of variants) skipped.push({ function: fn, variant, d, why: `dimension outside ${b.dims[0]}..${b.dims[1]}` });
        continue;
      }
      const base = getObjective(fn, d);
      const m = base.minimum;
      for (const variant of variants) {
        if (!m) {
          skipped.push({ function: fn, variant, d, why: 'no known global minimum at this dimension' });
          continue;
        }
        if (variant === 'sr' && !m.x?.length) {
          skipped.push({ function: fn, variant, d, why: 'no known minimiser at this dimension: the shifted-rotated variant cannot place it' });
          continue;
        }
        const tol = SUCCESS_REL * Math.max(1, Math.abs(m.fun));
        const first = variant === 'sr' ? shiftRotate(base, 0) : base;
        cases.push({
          id: `${fn}/${variant}/d${d}`,
          function: fn,
          variant,
          d,
          name: variant === 'sr' ? `${fn}@sr<seed>` : fn,
          fStar: m.fun,
          tol,
          bounds: [b.domain[0], b.domain[1]],
          transform: variant === 'sr' ? { outside: (first as ReturnType<typeof shiftRotate>).transform.outside, note: TRANSFORM_NOTE } : null,
          objective: variant === 'sr' ? (seed) => shiftRotate(base, seed) : () => base,
        });
      }
    }
  }
  return { cases, skipped };
}

/**
 * The start of run `seed` at dimension d: uniform in [lo, hi]^d, drawn with the generator of
 * src/objectives/transform.ts on its own stream (seed + 0x5eed0000), so base and 'sr' runs of a
 * seed start at the same point and the start does not depend on the method.
 */
export function startPoint(seed: number, d: number, lo: number, hi: number): number[] {
  const { uniform } = srRandom((seed + 0x5eed0000) >>> 0, d);
  return Array.from({ length: d }, () => lo + (hi - lo) * uniform());
}
