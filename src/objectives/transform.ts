// Seeded shifted-and-rotated variants of an objective (design note, section 5): they keep an
// optimiser from profiting from a minimum at the origin, on the diagonal or on the axes.
//
// Definition. For a base objective f with usual domain [lo, hi]^d and known minimiser z*:
//
//     variant(x) = f(z* + R (x - c))                                   (outside = 'free')
//     variant(x) = f(clamp(z, lo, hi)) + |z - clamp(z, lo, hi)|^2,  z = z* + R (x - c)   ('clamp')
//
// R is a random orthogonal d x d matrix (Haar distributed: Householder QR of a matrix of standard
// normals, the columns' signs fixed so that the triangular factor has a positive diagonal) and c
// (the variant's minimiser) is uniform in the central part of the box: c_i = m + u_i * 0.4 * h,
// u_i uniform in [-1, 1], m = (lo + hi) / 2, h = (hi - lo) / 2. For the functions with the
// minimiser at the origin of a symmetric box (rastrigin, ackley, griewank, sphere, wavy-bowl),
// z* = 0 = m and this is the usual f(R (x - s)) with s = c uniform in [-0.4, 0.4] * h.
// So the variant's minimiser is c, inside the box, and f* is unchanged: variant(c) = f(z*).
//
// The box rotates with R: points of the variant's box map to points z outside the base domain
// (by up to |x - c| <= sqrt(d) * 1.4 h in norm). For functions defined and >= f* everywhere
// (rastrigin, ackley, griewank, levy, rosenbrock, styblinski-tang, sphere, twin-wells, wavy-bowl)
// that is harmless ('free': the formula above, unchanged). Two built-ins go *below* f* outside
// their box: schwefel (unbounded below) and michalewicz (sin(x) sin(i x^2/pi)^20 reaches 1 per
// coordinate outside [0, pi]); for them the default is 'clamp': z is clamped into the base domain
// coordinate-wise and the squared distance clamped away is added, so variant >= f* on the whole box
// with equality only at x = c (z* is interior), and the function keeps a slope back into the box.
// (CEC 2014's shifted-rotated Schwefel uses a similar penalty outside [-500, 500].)
//
// When the base has no known minimiser (michalewicz at d != 2), z* := m (box centre) and the
// variant's minimum is reported as unknown (null): its minimiser is not known to lie in the box.
//
// Generator (documented so that the data can be regenerated anywhere): splitmix32 seeds the four
// 32-bit words of xoshiro128** from (seed, d); uniforms in [0, 1) take 53 bits from two draws;
// normals come from Box-Muller (cos branch then sin branch). Draw order: the d*d Gaussian entries
// of A row by row, then the d uniforms u of the shift. Peers (bench/peers/quality_scipy.py) get
// R, c and z* themselves (`transformOf`), never re-derive them.
//
// Twins: the JS twin is float64 and self-contained (no closure over this module, so the CPU
// backend's worker threads can rebuild it from its source); the WGSL twin holds R, c and z* as
// f32 `const` arrays (prefix `sr_`), renames the base snippet's `objective` (array form) or
// `objective_init/_term/_finish` and `ObjectiveAcc` (streaming form) to `sr_base_*`, and defines
// the array form `objective` only (a rotation mixes every coordinate, so the variant cannot stream).
import { BroxError, preview } from '../errors.js';
import type { Objective, ObjectiveFn } from './types.js';

export type OutsideRule = 'free' | 'clamp';

export interface ShiftRotateOptions {
  /** What happens where R maps the box outside the base domain (see the file comment). */
  outside?: OutsideRule;
}

/** The data that defines a variant (what a peer needs to evaluate it identically). */
export interface ShiftRotateData {
  base: string;
  seed: number;
  dim: number;
  /** R, row-major (z_i = zStar_i + sum_j R[i*d + j] (x_j - c_j)). */
  R: number[];
  /** The variant's minimiser (when the base's is known). */
  c: number[];
  /** The base minimiser used (the box centre when none is known). */
  zStar: number[];
  outside: OutsideRule;
  /** Base domain (clamp range for 'clamp'). */
  lo: number;
  hi: number;
}

export interface ShiftRotatedObjective extends Objective {
  readonly transform: Readonly<ShiftRotateData>;
}

/** Built-ins that go below f* outside their usual box: clamped by default. */
const CLAMP_BY_DEFAULT = new Set(['schwefel', 'michalewicz']);

/** The PRNG of the file comment: splitmix32 seeding xoshiro128**, 53-bit uniforms, Box-Muller normals. */
export function srRandom(seed: number, dim: number): { uniform: () => number; normal: () => number } {
  let sm = (seed ^ Math.imul(dim, 0x9e3779b9)) >>> 0;
  const splitmix32 = (): number => {
    sm = (sm + 0x9e3779b9) >>> 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = [splitmix32(), splitmix32(), splitmix32(), splitmix32()];
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
  const next = (): number => {
    const r = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    for (let i = 0; i < 4; i++) s[i] >>>= 0;
    return r;
  };
  const uniform = () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  let spare: number | null = null;
  const normal = () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u1 = uniform();
    while (u1 === 0) u1 = uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, normal };
}

/**
 * A Haar-random orthogonal matrix (row-major, float64): Householder QR of a Gaussian matrix, Q's
 * columns multiplied by the signs of R's diagonal (Mezzadri 2007, "How to generate random matrices
 * from the classical compact groups").
 */
export function randomOrthogonal(d: number, normal: () => number): Float64Array {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) a[i] = normal();
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) q[i * d + i] = 1;
  const v = new Float64Array(d);
  const sign = new Float64Array(d).fill(1);
  for (let k = 0; k < d; k++) {
    // Householder vector for column k of a (rows k..d-1)
    let norm = 0;
    for (let i = k; i < d; i++) norm += a[i * d + k] ** 2;
    norm = Math.sqrt(norm);
    const akk = a[k * d + k];
    const alpha = akk >= 0 ? -norm : norm; // R[k][k] = alpha
    sign[k] = alpha >= 0 ? 1 : -1;
    if (k === d - 1 || norm === 0) {
      // last column: no reflection; R[k][k] = a[k][k]
      sign[k] = akk >= 0 ? 1 : -1;
      continue;
    }
    let vn = 0;
    for (let i = k; i < d; i++) {
      v[i] = a[i * d + k] - (i === k ? alpha : 0);
      vn += v[i] * v[i];
    }
    if (vn === 0) continue;
    // a <- H a,  q <- q H  (H = I - 2 v v^T / |v|^2)
    for (let j = k; j < d; j++) {
      let dot = 0;
      for (let i = k; i < d; i++) dot += v[i] * a[i * d + j];
      const f = (2 * dot) / vn;
      for (let i = k; i < d; i++) a[i * d + j] -= f * v[i];
    }
    for (let r = 0; r < d; r++) {
      let dot = 0;
      for (let i = k; i < d; i++) dot += q[r * d + i] * v[i];
      const f = (2 * dot) / vn;
      for (let i = k; i < d; i++) q[r * d + i] -= f * v[i];
    }
  }
  for (let r = 0; r < d; r++) for (let j = 0; j < d; j++) q[r * d + j] *= sign[j];
  return q;
}

/** The data of variant `seed` of `obj` (deterministic in (seed, d, domain, minimiser)). */
export function shiftRotateData(obj: Objective, seed: number, opts: ShiftRotateOptions = {}): ShiftRotateData {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new BroxError('seed', `must be an integer in [0, 2^32), got ${seed}`);
  }
  if (!obj.domain) throw new BroxError('objective', `'${obj.name}' has no usual domain: a shifted-rotated variant needs one`);
  const outside = opts.outside ?? (CLAMP_BY_DEFAULT.has(obj.name) ? 'clamp' : 'free');
  if (outside !== 'free' && outside !== 'clamp') throw new BroxError('outside', `must be 'free' or 'clamp', got ${preview(outside)}`);
  const d = obj.dim;
  const [lo, hi] = obj.domain;
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  const rng = srRandom(seed, d);
  const R = randomOrthogonal(d, rng.normal);
  const c = Array.from({ length: d }, () => mid + (2 * rng.uniform() - 1) * 0.4 * half);
  const zStar = obj.minimum?.x?.[0] ? [...obj.minimum.x[0]] : new Array<number>(d).fill(mid);
  return { base: obj.name, seed, dim: d, R: Array.from(R), c, zStar, outside, lo, hi };
}

const num = (v: number): string => (Object.is(v, -0) ? '0' : String(v));
/** A WGSL float literal (abstract float, rounded to f32 by the const declaration). */
const wgslFloat = (v: number): string => {
  const s = num(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
};

/** The base twin as an expression usable in a standalone source (function expression or method shorthand). */
function baseExpr(js: ObjectiveFn): string {
  const src = js.toString();
  try {
    new Function(`return (${src});`);
    return `(${src})`;
  } catch {
    return `Object.values({ ${src} })[0]`;
  }
}

/** Self-contained source of the float64 twin (constants inline, cached on the function itself). */
function twinSource(t: ShiftRotateData, base: ObjectiveFn): string {
  const arr = (v: number[]) => `[${v.map(num).join(',')}]`;
  const clampCode =
    t.outside === 'clamp'
      ? `const zc = v < S.lo ? S.lo : v > S.hi ? S.hi : v; pen += (v - zc) * (v - zc); z[i] = zc;`
      : `z[i] = v;`;
  return `function sr_twin(x) {
  let S = sr_twin.S;
  if (!S) S = sr_twin.S = { base: ${baseExpr(base)}, d: ${t.dim}, lo: ${num(t.lo)}, hi: ${num(t.hi)},
    R: new Float64Array(${arr(t.R)}), c: new Float64Array(${arr(t.c)}), zs: new Float64Array(${arr(t.zStar)}),
    y: new Float64Array(${t.dim}), z: new Float64Array(${t.dim}) };
  const d = S.d, R = S.R, y = S.y, z = S.z;
  for (let j = 0; j < d; j++) y[j] = x[j] - S.c[j];
  let pen = 0;
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += R[i * d + j] * y[j];
    const v = S.zs[i] + s;
    ${clampCode}
  }
  return S.base(z) + pen;
}`;
}

/** A closure twin, used only when the base twin cannot be rebuilt from its source (it closes over data). */
function closureTwin(t: ShiftRotateData, base: ObjectiveFn): ObjectiveFn {
  const d = t.dim;
  const R = Float64Array.from(t.R);
  return (x) => {
    const z = new Float64Array(d);
    let pen = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += R[i * d + j] * (x[j] - t.c[j]);
      const v = t.zStar[i] + s;
      if (t.outside === 'clamp') {
        const zc = Math.min(t.hi, Math.max(t.lo, v));
        pen += (v - zc) * (v - zc);
        z[i] = zc;
      } else z[i] = v;
    }
    return base(z) + pen;
  };
}

/** Renames the base snippet's entry points so the variant can define `objective` itself. */
function renameBase(wgsl: string): string {
  return wgsl
    .replace(/\bObjectiveAcc\b/g, 'SrBaseAcc')
    .replace(/\bobjective_(init|term|finish)\b/g, 'sr_base_$1')
    .replace(/\bobjective(?=\s*\()/g, 'sr_base_objective');
}

function variantWgsl(t: ShiftRotateData, baseWgsl: string): string {
  const d = t.dim;
  const streaming = /\bfn\s+objective_term\s*\(/.test(baseWgsl);
  const hasArray = /\bfn\s+objective\s*\(/.test(baseWgsl);
  const list = (v: number[]) => v.map(wgslFloat).join(', ');
  const rows: string[] = [];
  for (let i = 0; i < d; i++) rows.push('  ' + list(t.R.slice(i * d, (i + 1) * d)));
  const clamp =
    t.outside === 'clamp'
      ? `    let zc = clamp(v, ${wgslFloat(t.lo)}, ${wgslFloat(t.hi)});
    sr_pen += (v - zc) * (v - zc);
    sr_z[i] = zc;`
      : `    sr_z[i] = v;`;
  return `// ---- shifted-rotated variant '${t.base}@sr${t.seed}' (src/objectives/transform.ts): f(z* + R (x - c)) ----
${renameBase(baseWgsl)}
${
  hasArray || !streaming
    ? ''
    : `fn sr_base_objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var acc = sr_base_init();
  for (var i = 0u; i < DIM; i++) {
    sr_base_term(&acc, i, (*x)[i]);
  }
  return sr_base_finish(acc);
}`
}
const sr_R = array<f32, ${d * d}>(
${rows.join(',\n')});
const sr_C = array<f32, ${d}>(${list(t.c)});
const sr_Z = array<f32, ${d}>(${list(t.zStar)});
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var sr_y: array<f32, DIM>;
  for (var j = 0u; j < DIM; j++) {
    sr_y[j] = (*x)[j] - sr_C[j];
  }
  var sr_z: array<f32, DIM>;
  var sr_pen = 0.0;
  for (var i = 0u; i < DIM; i++) {
    var s = 0.0;
    for (var j = 0u; j < DIM; j++) {
      s += sr_R[i * DIM + j] * sr_y[j];
    }
    let v = sr_Z[i] + s;
${clamp}
  }
  return sr_base_objective(&sr_z) + sr_pen;
}
`;
}

/**
 * The seeded shifted-and-rotated variant `<name>@sr<seed>` of `obj` (see the file comment):
 * same dimension, domain and f*; minimiser c (inside the central 40 % of the box).
 */
export function shiftRotate(obj: Objective, seed: number, opts: ShiftRotateOptions = {}): ShiftRotatedObjective {
  const t = shiftRotateData(obj, seed, opts);
  let js: ObjectiveFn = closureTwin(t, obj.js);
  // Prefer the standalone source (portable to the CPU backend's worker threads) when it rebuilds
  // and reproduces the closure twin exactly.
  try {
    const standalone = new Function(`return (${twinSource(t, obj.js)});`)() as ObjectiveFn;
    const probe = t.c.map((v, i) => v + 0.1 * (t.hi - t.lo) * Math.sin(i + 1));
    if (Object.is(standalone(t.c), js(t.c)) && Object.is(standalone(probe), js(probe))) js = standalone;
  } catch {
    /* keep the closure twin: correct, but the CPU backend stays on one thread for it */
  }
  const known = !!obj.minimum?.x?.[0];
  return Object.freeze({
    name: `${obj.name}@sr${seed}`,
    dim: obj.dim,
    wgsl: variantWgsl(t, obj.wgsl),
    js,
    domain: obj.domain,
    minimum: known && obj.minimum ? { fun: obj.minimum.fun, x: [[...t.c]] } : null,
    ...(obj.data ? { data: obj.data } : {}),
    transform: Object.freeze(t),
  });
}
