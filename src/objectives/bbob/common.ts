// BBOB noiseless suite: the shared pieces (definitions: N. Hansen, S. Finck, R. Ros, A. Auger,
// "Real-Parameter Black-Box Optimization Benchmarking 2009: Noiseless Functions Definitions",
// INRIA research report RR-6829, section "Symbols and definitions"; cited below as [RR-6829]).
//
// Everything here exists twice: a float64 JS twin (used by the CPU backend and to judge results)
// and a WGSL twin (prefix `bb_`), both reading the same instance data. The data (x_opt, R, Q and
// per-function extras such as Gallagher's peaks) lives in one Float32Array that brox binds as the
// objective's storage buffer `brox_data` (never WGSL `const` arrays: a 100 x 100 const matrix
// fails to compile on NVIDIA). The JS twin reads the same float32 values in float64 arithmetic,
// so both twins define the same function; the instance's x_opt is the float32 value itself, and
// f(x_opt) = f_opt = 0 holds exactly in the JS twin for every function whose optimum is x_opt by
// construction (see index.ts for the two that are within rounding of 0).

/** Per-instance data as the JS twin sees it (float64 copies of the float32 buffer). */
export interface BbobInst {
  d: number;
  xopt: Float64Array;
  /** Row-major d x d rotations (empty when the function uses none). */
  R: Float64Array;
  Q: Float64Array;
  /** The function's extra block (layout documented by the function). */
  ex: Float64Array;
  /** Scratch vectors of length d (the twins allocate nothing per call). */
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  /** Per-dimension constants, index i = 0..d-1: 10^(k i/(d-1)) (p6, p2, p1) and Lambda^alpha diagonals. */
  p6: Float64Array;
  p2: Float64Array;
  p1: Float64Array;
  l10: Float64Array;
  l100: Float64Array;
  l1000: Float64Array;
  l001: Float64Array;
}

/** One BBOB function: how its instance is drawn, and its two twins. */
export interface BbobDef {
  fid: number;
  /** Short name (used in objective names: bbob-f<fid>-i<instance>, and in reports). */
  name: string;
  /**
   * Draws the instance from the seeded generator, in this order: x_opt, then R, then Q (via
   * \`orth\`, a Haar-random orthogonal matrix), then the extras. Values are rounded to float32 after.
   */
  draw(d: number, rng: Rng, orth: () => Float64Array): { xopt: number[]; R?: Float64Array; Q?: Float64Array; ex?: number[] };
  js(x: ArrayLike<number>, I: BbobInst): number;
  /** Defines fn objective(x: ptr<function, array<f32, DIM>>) -> f32 (uses COMMON_WGSL and BB_* offsets). */
  wgsl: string;
}

/** The uniform/normal generator an instance is drawn from (see instance.ts). */
export interface Rng {
  uniform: () => number;
  normal: () => number;
}

// ---- JS twins of the transformations of [RR-6829, section 0.2 "Symbols and definitions"] ----

/**
 * T_osz: x -> sign(x) exp(x^ + 0.049 (sin(c1 x^) + sin(c2 x^))), x^ = log|x| (0 for x = 0),
 * c1 = 10, c2 = 7.9 for x > 0 and c1 = 5.5, c2 = 3.1 otherwise [RR-6829].
 */
export function tosz(v: number): number {
  if (v === 0) return 0;
  const h = Math.log(Math.abs(v));
  return v > 0 ? Math.exp(h + 0.049 * (Math.sin(10 * h) + Math.sin(7.9 * h))) : -Math.exp(h + 0.049 * (Math.sin(5.5 * h) + Math.sin(3.1 * h)));
}

/** T_asy^beta, coordinate i (0-based) of d: x^(1 + beta i/(d-1) sqrt(x)) for x > 0, x otherwise [RR-6829]. */
export function tasy(v: number, i: number, d: number, beta: number): number {
  return v > 0 ? Math.pow(v, 1 + ((beta * i) / (d - 1)) * Math.sqrt(v)) : v;
}

/** Diagonal of Lambda^alpha, entry i (0-based): alpha^(i / (2 (d-1))) [RR-6829]. */
export function lam(alpha: number, i: number, d: number): number {
  return Math.pow(alpha, (0.5 * i) / (d - 1));
}

/** f_pen(x) = sum max(0, |x_i| - 5)^2 [RR-6829]. */
export function pen(x: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) {
    const t = Math.abs(x[i]) - 5;
    if (t > 0) s += t * t;
  }
  return s;
}

/** out = x - x_opt. */
export function sub(x: ArrayLike<number>, xopt: Float64Array, out: Float64Array, d: number): Float64Array {
  for (let i = 0; i < d; i++) out[i] = x[i] - xopt[i];
  return out;
}

/** out = M v for a row-major d x d matrix M (out must not alias v). */
export function mul(M: Float64Array, v: ArrayLike<number>, out: Float64Array, d: number): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = 0;
    const r = i * d;
    for (let j = 0; j < d; j++) s += M[r + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** Rastrigin's oscillating part D - sum cos(2 pi z_i), written as sum 2 sin^2(pi z_i) (no cancellation near 0). */
export function rastOsc(z: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) {
    const r = z[i] - Math.round(z[i]); // exact; sin(pi z)^2 has period 1
    const t = Math.sin(Math.PI * r);
    s += 2 * t * t;
  }
  return s;
}

/** A vector of d uniforms in [lo, hi] (drawn in order). */
export const uniformVec = (rng: Rng, d: number, lo: number, hi: number): number[] => Array.from({ length: d }, () => lo + (hi - lo) * rng.uniform());
/** The random sign vector 1_-^+ of [RR-6829]: -1 or +1 with equal probability. */
export const signVec = (rng: Rng, d: number): number[] => Array.from({ length: d }, () => (rng.uniform() < 0.5 ? -1 : 1));

// ---- WGSL twins (brox defines DIM; brox_data is the instance buffer; BB_* offsets come from index.ts) ----
export const COMMON_WGSL = `// ---- BBOB shared transformations (src/objectives/bbob/common.ts; Hansen et al., INRIA RR-6829) ----
fn bb_sin(v: f32) -> f32 { return brox_sincos2pi(v * (0.5 / BROX_PI)).x; }
// T_osz
fn bb_tosz(v: f32) -> f32 {
  if (v == 0.0) { return 0.0; }
  let h = log(abs(v));
  if (v > 0.0) { return exp(h + 0.049 * (bb_sin(10.0 * h) + bb_sin(7.9 * h))); }
  return -exp(h + 0.049 * (bb_sin(5.5 * h) + bb_sin(3.1 * h)));
}
// T_asy^beta, coordinate i (0-based)
fn bb_tasy(v: f32, i: u32, beta: f32) -> f32 {
  if (v <= 0.0) { return v; }
  return pow(v, 1.0 + beta * (f32(i) / f32(DIM - 1u)) * sqrt(v));
}
// diagonal entry i of Lambda^alpha
fn bb_lam(alpha: f32, i: u32) -> f32 { return pow(alpha, 0.5 * f32(i) / f32(DIM - 1u)); }
// f_pen
fn bb_pen(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let t = abs((*x)[i]) - 5.0;
    if (t > 0.0) { s += t * t; }
  }
  return s;
}
// out = x - x_opt
fn bb_sub(x: ptr<function, array<f32, DIM>>, out: ptr<function, array<f32, DIM>>) {
  for (var i = 0u; i < DIM; i++) { (*out)[i] = (*x)[i] - brox_data[BB_XOPT + i]; }
}
// out = M v, M row-major at brox_data[off ..]
fn bb_mul(off: u32, v: ptr<function, array<f32, DIM>>, out: ptr<function, array<f32, DIM>>) {
  for (var i = 0u; i < DIM; i++) {
    var s = 0.0;
    for (var j = 0u; j < DIM; j++) { s += brox_data[off + i * DIM + j] * (*v)[j]; }
    (*out)[i] = s;
  }
}
// log(1 + v) and exp(v) - 1 without cancellation for small v (series below 1e-2)
fn bb_log1p(v: f32) -> f32 {
  if (abs(v) < 1e-2) { return v * (1.0 - v * (0.5 - v * (1.0 / 3.0 - v * (0.25 - v * 0.2)))); }
  return log(1.0 + v);
}
fn bb_expm1(v: f32) -> f32 {
  if (abs(v) < 1e-2) { return v * (1.0 + v * (0.5 + v * (1.0 / 6.0 + v * (1.0 / 24.0 + v / 120.0)))); }
  return exp(v) - 1.0;
}
// D - sum cos(2 pi z_i) as sum 2 sin^2(pi z_i)
fn bb_rast(z: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let t = brox_sinpi((*z)[i]);
    s += 2.0 * t * t;
  }
  return s;
}
`;
