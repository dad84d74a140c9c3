// The refinement bench's test functions: each an objective (WGSL array form + float64 JS twin, its
// coefficients generated into both texts as constants) with its TRUE ball minimiser, computed in
// float64 from the same (float32-rounded) coefficients the WGSL uses.
//
//   linear     f(y) = g.y, ||g|| = 1                      y* = x - t g/||g||
//   quadratic  f(y) = ||y - c||^2, ||c - x|| = 2t          y* = x + t (c-x)/||c-x||
//   diagquad   f(y) = sum_i a_i (y_i - c_i)^2, a_i log-spaced in [1, 100] (condition 100),
//              ||c - x|| = 2t: the trust-region subproblem, y* = x + v,
//              v_i = a_i (c_i - x_i) / (a_i + lambda), lambda >= 0 with ||v|| = t (bisection, float64)
//
// Every function is convex with its unconstrained minimiser outside the ball (or none), so y* lies on
// the sphere ||y - x|| = t and is unique.
import { defineObjective, type Objective } from '../../src/internal';

export const FUNCTIONS = ['linear', 'quadratic', 'diagquad'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** Condition number of the diagonal quadratic. */
export const DIAG_CONDITION = 100;
/** ||c - x|| / t for the quadratics. */
export const CENTRE_DISTANCE = 2;

export interface Problem {
  fn: FunctionName;
  d: number;
  /** Ball centre and radius. */
  x: number[];
  t: number;
  objective: Objective;
  /** The true ball minimiser and f there (float64). */
  yStar: number[];
  fStar: number;
  /** f at the centre (float64). */
  fCenter: number;
  /** diagquad: the multiplier lambda of ||y - x|| <= t (0 otherwise). */
  lambda: number;
}

/** mulberry32: a small deterministic PRNG for the problem data (not the oracle's samples). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

const gaussian = (rnd: () => number): number => {
  const u = 1 - rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
};
const norm = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
};
const unit = (rnd: () => number, d: number): number[] => {
  const v = Array.from({ length: d }, () => gaussian(rnd));
  const n = norm(v);
  return v.map((e) => e / n);
};

/** A float32 constant written exactly (the decimal of the double, which is the float32 value). */
const lit = (v: number): string => Math.fround(v).toPrecision(17);

/** WGSL: `const NAME = array<f32, d>(...)`. */
const wgslArray = (name: string, v: number[]): string => `const ${name} = array<f32, ${v.length}>(${v.map(lit).join(', ')});`;

/**
 * A JS twin as self-contained source (its coefficients inlined as literals), so the CPU backend's
 * worker threads can rebuild it from its text (a closure over arrays would stay on one thread).
 */
function twin(terms: string[]): (x: ArrayLike<number>) => number {
  return new Function(`return (x) => ${terms.join(' + ')};`)() as (x: ArrayLike<number>) => number;
}

/**
 * The trust-region step of the diagonal quadratic: v_i = a_i w_i / (a_i + lambda), w = c - x,
 * ||v|| = t (requires ||w|| > t). ||v(lambda)|| decreases in lambda; bisection to float64 resolution.
 */
export function trustRegionStep(a: number[], w: number[], t: number): { v: number[]; lambda: number } {
  const at = (lam: number) => a.map((ai, i) => (ai * w[i]) / (ai + lam));
  if (!(norm(w) > t)) return { v: w.slice(), lambda: 0 };
  let lo = 0;
  let hi = (Math.max(...a) * norm(w)) / t; // ||v(hi)|| <= max a ||w|| / hi = t
  for (let k = 0; k < 400; k++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (norm(at(mid)) > t) lo = mid;
    else hi = mid;
  }
  const lambda = 0.5 * (lo + hi);
  return { v: at(lambda), lambda };
}

/**
 * One instance: function `fn` at dimension d, instance seed `seed` (centre, direction of g or c).
 * Centres x ~ N(0, I); t = 1.
 */
export function makeProblem(fn: FunctionName, d: number, seed: number, t = 1): Problem {
  const rnd = mulberry32((seed * 1_000_003 + d * 7919 + FUNCTIONS.indexOf(fn) * 104_729) >>> 0);
  const x = Array.from({ length: d }, () => gaussian(rnd));
  const name = `refine-${fn}-d${d}-s${seed}`;
  if (fn === 'linear') {
    const g = unit(rnd, d).map(Math.fround);
    const gn = norm(g);
    const js = twin(g.map((gi, i) => `${lit(gi)} * x[${i}]`));
    const wgsl = `${wgslArray('REFINE_G', g)}
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) { s += REFINE_G[i] * (*x)[i]; }
  return s;
}`;
    const yStar = x.map((xi, i) => xi - (t * g[i]) / gn);
    const objective = defineObjective({ name, dim: d, wgsl, js });
    return { fn, d, x, t, objective, yStar, fStar: js(yStar), fCenter: js(x), lambda: 0 };
  }
  // quadratics: c = x + CENTRE_DISTANCE t u, rounded to float32 (what the WGSL sees)
  const u = unit(rnd, d);
  const c = x.map((xi, i) => Math.fround(xi + CENTRE_DISTANCE * t * u[i]));
  const a = fn === 'quadratic' ? new Array<number>(d).fill(1) : Array.from({ length: d }, (_, i) => Math.fround(DIAG_CONDITION ** (d === 1 ? 0 : i / (d - 1))));
  const js =
    fn === 'quadratic'
      ? twin(c.map((ci, i) => `(x[${i}] - ${lit(ci)}) * (x[${i}] - ${lit(ci)})`))
      : twin(c.map((ci, i) => `${lit(a[i])} * (x[${i}] - ${lit(ci)}) * (x[${i}] - ${lit(ci)})`));
  const wgsl =
    fn === 'quadratic'
      ? `${wgslArray('REFINE_C', c)}
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) { let e = (*x)[i] - REFINE_C[i]; s += e * e; }
  return s;
}`
      : `${wgslArray('REFINE_A', a)}
${wgslArray('REFINE_C', c)}
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) { let e = (*x)[i] - REFINE_C[i]; s += REFINE_A[i] * e * e; }
  return s;
}`;
  const w = c.map((ci, i) => ci - x[i]);
  let yStar: number[];
  let lambda = 0;
  if (fn === 'quadratic') {
    const wn = norm(w);
    yStar = x.map((xi, i) => xi + (t * w[i]) / wn);
    lambda = wn / t - 1; // grad f(y*) = 2 (y* - c) = -2 lambda (y* - x)
  } else {
    const s = trustRegionStep(a, w, t);
    yStar = x.map((xi, i) => xi + s.v[i]);
    lambda = s.lambda;
  }
  const objective = defineObjective({ name, dim: d, wgsl, js });
  return { fn, d, x, t, objective, yStar, fStar: js(yStar), fCenter: js(x), lambda };
}

export const distance = (p: ArrayLike<number>, q: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - q[i]) ** 2;
  return Math.sqrt(s);
};
