// BBOB f15-f19, multi-modal functions with adequate global structure [RR-6829, section 4].
import { type BbobDef, mul, pen, rastOsc, sub, tasy, tosz, uniformVec } from './common.js';
import { rosenRotated, ROSEN_ROTATED_WGSL } from './moderate.js';

const withRQ = (d: number, rng: Parameters<BbobDef['draw']>[1], orth: () => Float64Array) => ({ xopt: uniformVec(rng, d, -4, 4), R: orth(), Q: orth() });

/** f15 Rastrigin, rotated [RR-6829 f15]: z = R Lambda^10 Q T_asy^0.2(T_osz(R (x - x_opt))), f = 10 (D - sum cos(2 pi z_i)) + ||z||^2. */
export const f15: BbobDef = {
  fid: 15,
  name: 'rastrigin-rotated',
  draw: withRQ,
  js(x, I) {
    const d = I.d;
    const y = mul(I.R, sub(x, I.xopt, I.a, d), I.b, d);
    for (let i = 0; i < d; i++) y[i] = tasy(tosz(y[i]), i, d, 0.2);
    const w = mul(I.Q, y, I.c, d);
    for (let i = 0; i < d; i++) w[i] *= I.l10[i];
    const z = mul(I.R, w, I.a, d);
    let q = 0;
    for (let i = 0; i < d; i++) q += z[i] * z[i];
    return 10 * rastOsc(z, d) + q;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var a: array<f32, DIM>;
  var z: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, &z);
  for (var i = 0u; i < DIM; i++) { z[i] = bb_tasy(bb_tosz(z[i]), i, 0.2); }
  bb_mul(BB_Q, &z, &a);
  for (var i = 0u; i < DIM; i++) { a[i] *= bb_lam(10.0, i); }
  bb_mul(BB_R, &a, &z);
  var q = 0.0;
  for (var i = 0u; i < DIM; i++) { q += z[i] * z[i]; }
  return 10.0 * bb_rast(&z) + q;
}`,
};

/**
 * f16 Weierstrass [RR-6829 f16]: z = R Lambda^(1/100) Q T_osz(R (x - x_opt)),
 * f = 10 ((1/D) sum_i sum_{k=0}^{11} 2^-k cos(2 pi 3^k (z_i + 1/2)) - f0)^3 + (10/D) f_pen(x),
 * f0 = sum_k 2^-k cos(pi 3^k). Evaluated in the equal form (3^k is odd, so cos(2 pi 3^k (z + 1/2))
 * = -cos(2 pi 3^k z), and f0 = -sum_k 2^-k): the bracket is (1/D) sum_i sum_k 2^(1-k) sin^2(pi 3^k z_i),
 * which has no cancellation near the optimum.
 */
export const f16: BbobDef = {
  fid: 16,
  name: 'weierstrass',
  draw: withRQ,
  js(x, I) {
    const d = I.d;
    const y = mul(I.R, sub(x, I.xopt, I.a, d), I.b, d);
    for (let i = 0; i < d; i++) y[i] = tosz(y[i]);
    const w = mul(I.Q, y, I.c, d);
    for (let i = 0; i < d; i++) w[i] *= I.l001[i];
    const z = mul(I.R, w, I.a, d);
    let s = 0;
    for (let i = 0; i < d; i++) {
      let p = 1; // 3^k
      let h = 2; // 2^(1-k)
      for (let k = 0; k < 12; k++) {
        const t = p * z[i];
        const sn = Math.sin(Math.PI * (t - Math.round(t)));
        s += h * sn * sn;
        p *= 3;
        h *= 0.5;
      }
    }
    return 10 * (s / d) ** 3 + (10 / d) * pen(x, d);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var a: array<f32, DIM>;
  var z: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, &z);
  for (var i = 0u; i < DIM; i++) { z[i] = bb_tosz(z[i]); }
  bb_mul(BB_Q, &z, &a);
  for (var i = 0u; i < DIM; i++) { a[i] *= bb_lam(0.01, i); }
  bb_mul(BB_R, &a, &z);
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    var p = 1.0;
    var h = 2.0;
    for (var k = 0u; k < 12u; k++) {
      let sn = brox_sinpi(p * z[i]);
      s += h * sn * sn;
      p *= 3.0;
      h *= 0.5;
    }
  }
  let m = s / f32(DIM);
  return 10.0 * m * m * m + (10.0 / f32(DIM)) * bb_pen(x);
}`,
};

function schaffersJs(alpha: 'l10' | 'l1000') {
  return (x: ArrayLike<number>, I: Parameters<BbobDef['js']>[1]): number => {
    const d = I.d;
    const y = mul(I.R, sub(x, I.xopt, I.a, d), I.b, d);
    for (let i = 0; i < d; i++) y[i] = tasy(y[i], i, d, 0.5);
    const z = mul(I.Q, y, I.c, d);
    for (let i = 0; i < d; i++) z[i] *= I[alpha][i];
    let s = 0;
    for (let i = 0; i < d - 1; i++) {
      const si = Math.sqrt(z[i] * z[i] + z[i + 1] * z[i + 1]);
      const r = Math.sqrt(si);
      const sn = Math.sin(50 * Math.pow(si, 0.2));
      s += r + r * sn * sn;
    }
    return (s / (d - 1)) ** 2 + 10 * pen(x, d);
  };
}
const schaffersWgsl = (alpha: string) => `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var a: array<f32, DIM>;
  var z: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, &z);
  for (var i = 0u; i < DIM; i++) { z[i] = bb_tasy(z[i], i, 0.5); }
  bb_mul(BB_Q, &z, &a);
  for (var i = 0u; i < DIM; i++) { a[i] *= bb_lam(${alpha}, i); }
  var s = 0.0;
  for (var i = 0u; i + 1u < DIM; i++) {
    let si = sqrt(a[i] * a[i] + a[i + 1u] * a[i + 1u]);
    if (si > 0.0) {
      let r = sqrt(si);
      let sn = bb_sin(50.0 * pow(si, 0.2));
      s += r + r * sn * sn;
    }
  }
  let m = s / f32(DIM - 1u);
  return m * m + 10.0 * bb_pen(x);
}`;

/**
 * f17 Schaffers F7 [RR-6829 f17]: z = Lambda^10 Q T_asy^0.5(R (x - x_opt)), s_i = sqrt(z_i^2 + z_{i+1}^2),
 * f = ((1/(D-1)) sum_{i<D} sqrt(s_i) + sqrt(s_i) sin^2(50 s_i^(1/5)))^2 + 10 f_pen(x).
 */
export const f17: BbobDef = { fid: 17, name: 'schaffers-f7', draw: withRQ, js: schaffersJs('l10'), wgsl: schaffersWgsl('10.0') };

/** f18 Schaffers F7, moderately ill-conditioned [RR-6829 f18]: f17 with Lambda^1000. */
export const f18: BbobDef = { fid: 18, name: 'schaffers-f7-ill', draw: withRQ, js: schaffersJs('l1000'), wgsl: schaffersWgsl('1000.0') };

/**
 * f19 Composite Griewank-Rosenbrock F8F2 [RR-6829 f19]: z = max(1, sqrt(D)/8) R x + 1/2 in the
 * report; translated like our f9 to z = max(1, sqrt(D)/8) R (x - x_opt) + 1, x_opt uniform in
 * [-3, 3]^D. s_i = 100 (z_i^2 - z_{i+1})^2 + (z_i - 1)^2, f = (10/(D-1)) sum_{i<D} (s_i/4000 - cos(s_i)) + 10,
 * evaluated as (10/(D-1)) sum (s_i/4000 + 2 sin^2(s_i/2)) (equal; no cancellation at the optimum).
 */
export const f19: BbobDef = {
  fid: 19,
  name: 'griewank-rosenbrock',
  draw: (d, rng, orth) => ({ xopt: uniformVec(rng, d, -3, 3), R: orth() }),
  js(x, I) {
    const d = I.d;
    const u = rosenRotated(x, I);
    let f = 0;
    for (let i = 0; i < d - 1; i++) {
      const t = 2 * u[i] + u[i] * u[i] - u[i + 1];
      const s = 100 * t * t + u[i] * u[i];
      const sn = Math.sin(s / 2);
      f += s / 4000 + 2 * sn * sn;
    }
    return (10 / (d - 1)) * f;
  },
  wgsl: `${ROSEN_ROTATED_WGSL}
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var u: array<f32, DIM>;
  bb_rosen_rotated(x, &u);
  var f = 0.0;
  for (var i = 0u; i + 1u < DIM; i++) {
    let t = 2.0 * u[i] + u[i] * u[i] - u[i + 1u];
    let s = 100.0 * t * t + u[i] * u[i];
    let sn = bb_sin(0.5 * s);
    f += s / 4000.0 + 2.0 * sn * sn;
  }
  return (10.0 / f32(DIM - 1u)) * f;
}`,
};
