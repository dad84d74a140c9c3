// BBOB f6-f9, functions with low or moderate conditioning [RR-6829, section 2].
import { type BbobDef, mul, pen, sub, tosz, uniformVec } from './common.js';

/** f6 Attractive sector [RR-6829 f6]: z = Q Lambda^10 R (x - x_opt), s_i = 100 if z_i x_opt_i > 0 else 1, f = T_osz(sum (s_i z_i)^2)^0.9. */
export const f6: BbobDef = {
  fid: 6,
  name: 'attractive-sector',
  draw: (d, rng, orth) => ({ xopt: uniformVec(rng, d, -4, 4), R: orth(), Q: orth() }),
  js(x, I) {
    const d = I.d;
    const b = mul(I.R, sub(x, I.xopt, I.a, d), I.b, d);
    for (let i = 0; i < d; i++) b[i] *= I.l10[i];
    const z = mul(I.Q, b, I.c, d);
    let s = 0;
    for (let i = 0; i < d; i++) {
      const v = (z[i] * I.xopt[i] > 0 ? 100 : 1) * z[i];
      s += v * v;
    }
    return Math.pow(tosz(s), 0.9);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var a: array<f32, DIM>;
  var b: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, &b);
  for (var i = 0u; i < DIM; i++) { b[i] *= bb_lam(10.0, i); }
  bb_mul(BB_Q, &b, &a);
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = select(1.0, 100.0, a[i] * brox_data[BB_XOPT + i] > 0.0) * a[i];
    s += v * v;
  }
  return pow(bb_tosz(s), 0.9);
}`,
};

/**
 * f7 Step ellipsoidal [RR-6829 f7]: z^ = Lambda^10 R (x - x_opt); z~_i = floor(0.5 + z^_i) if
 * |z^_i| > 0.5 else floor(0.5 + 10 z^_i) / 10; z = Q z~; f = 0.1 max(|z^_1| / 10^4,
 * sum 10^(2 (i-1)/(D-1)) z_i^2) + f_pen(x).
 */
export const f7: BbobDef = {
  fid: 7,
  name: 'step-ellipsoid',
  draw: (d, rng, orth) => ({ xopt: uniformVec(rng, d, -4, 4), R: orth(), Q: orth() }),
  js(x, I) {
    const d = I.d;
    const zh = mul(I.R, sub(x, I.xopt, I.a, d), I.b, d);
    for (let i = 0; i < d; i++) zh[i] *= I.l10[i];
    const zt = I.a;
    for (let i = 0; i < d; i++) zt[i] = Math.abs(zh[i]) > 0.5 ? Math.floor(0.5 + zh[i]) : Math.floor(0.5 + 10 * zh[i]) / 10;
    const z = mul(I.Q, zt, I.c, d);
    let s = 0;
    for (let i = 0; i < d; i++) s += I.p2[i] * z[i] * z[i];
    return 0.1 * Math.max(Math.abs(zh[0]) / 1e4, s) + pen(x, d);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var a: array<f32, DIM>;
  var zh: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, &zh);
  for (var i = 0u; i < DIM; i++) {
    zh[i] *= bb_lam(10.0, i);
    a[i] = select(floor(0.5 + 10.0 * zh[i]) / 10.0, floor(0.5 + zh[i]), abs(zh[i]) > 0.5);
  }
  var z: array<f32, DIM>;
  bb_mul(BB_Q, &a, &z);
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) { s += pow(10.0, 2.0 * f32(i) / f32(DIM - 1u)) * z[i] * z[i]; }
  return 0.1 * max(abs(zh[0]) / 1e4, s) + bb_pen(x);
}`,
};

/**
 * Rosenbrock's sum over u = z - 1 (written in u so that no digits cancel near the optimum u = 0):
 * sum_{i<D} 100 (z_i^2 - z_{i+1})^2 + (z_i - 1)^2 with z_i^2 - z_{i+1} = 2 u_i + u_i^2 - u_{i+1}.
 */
function rosenU(u: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d - 1; i++) {
    const t = 2 * u[i] + u[i] * u[i] - u[i + 1];
    s += 100 * t * t + u[i] * u[i];
  }
  return s;
}
const ROSEN_WGSL = `fn bb_rosen_u(u: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i + 1u < DIM; i++) {
    let t = 2.0 * (*u)[i] + (*u)[i] * (*u)[i] - (*u)[i + 1u];
    s += 100.0 * t * t + (*u)[i] * (*u)[i];
  }
  return s;
}`;

/** f8 Rosenbrock, original [RR-6829 f8]: z = max(1, sqrt(D)/8) (x - x_opt) + 1, x_opt uniform in [-3, 3]^D. */
export const f8: BbobDef = {
  fid: 8,
  name: 'rosenbrock',
  draw: (d, rng) => ({ xopt: uniformVec(rng, d, -3, 3) }),
  js(x, I) {
    const d = I.d;
    const c = Math.max(1, Math.sqrt(d) / 8);
    const u = sub(x, I.xopt, I.a, d);
    for (let i = 0; i < d; i++) u[i] *= c;
    return rosenU(u, d);
  },
  wgsl: `${ROSEN_WGSL}
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  let c = max(1.0, sqrt(f32(DIM)) / 8.0);
  var u: array<f32, DIM>;
  bb_sub(x, &u);
  for (var i = 0u; i < DIM; i++) { u[i] *= c; }
  return bb_rosen_u(&u);
}`,
};

/**
 * The rotated Rosenbrock argument of f9 and f19 (RR-6829: z = max(1, sqrt(D)/8) R x + 1/2, here
 * translated to x_opt as the f9 comment says): u = max(1, sqrt(D)/8) R (x - x_opt); z = u + 1.
 */
export function rosenRotated(x: ArrayLike<number>, I: Parameters<BbobDef['js']>[1]): Float64Array {
  const d = I.d;
  const c = Math.max(1, Math.sqrt(d) / 8);
  const u = mul(I.R, sub(x, I.xopt, I.a, d), I.b, d);
  for (let i = 0; i < d; i++) u[i] *= c;
  return u;
}
export const ROSEN_ROTATED_WGSL = `fn bb_rosen_rotated(x: ptr<function, array<f32, DIM>>, u: ptr<function, array<f32, DIM>>) {
  let c = max(1.0, sqrt(f32(DIM)) / 8.0);
  var a: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, u);
  for (var i = 0u; i < DIM; i++) { (*u)[i] *= c; }
}`;

/**
 * f9 Rosenbrock, rotated [RR-6829 f9]. The report writes z = max(1, sqrt(D)/8) R x + 1/2, whose
 * optimum is fixed by R; we translate it to a drawn x_opt (uniform in [-3, 3]^D, like f8):
 * z = max(1, sqrt(D)/8) R (x - x_opt) + 1. Same landscape up to a translation, and x_opt is a
 * stored float32 point with f(x_opt) = 0 exactly.
 */
export const f9: BbobDef = {
  fid: 9,
  name: 'rosenbrock-rotated',
  draw: (d, rng, orth) => ({ xopt: uniformVec(rng, d, -3, 3), R: orth() }),
  js: (x, I) => rosenU(rosenRotated(x, I), I.d),
  wgsl: `${ROSEN_WGSL}
${ROSEN_ROTATED_WGSL}
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var u: array<f32, DIM>;
  bb_rosen_rotated(x, &u);
  return bb_rosen_u(&u);
}`,
};

export { rosenU, ROSEN_WGSL };
