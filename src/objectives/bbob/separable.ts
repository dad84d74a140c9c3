// BBOB f1-f5, the separable functions [RR-6829, section 1 "Separable functions"].
import { type BbobDef, pen, rastOsc, signVec, tasy, tosz, uniformVec } from './common.js';

const xoptUniform = (d: number, rng: Parameters<BbobDef['draw']>[1]) => ({ xopt: uniformVec(rng, d, -4, 4) });

/** f1 Sphere [RR-6829 f1]: z = x - x_opt, f = ||z||^2. */
export const f1: BbobDef = {
  fid: 1,
  name: 'sphere',
  draw: xoptUniform,
  js(x, I) {
    let s = 0;
    for (let i = 0; i < I.d; i++) s += (x[i] - I.xopt[i]) ** 2;
    return s;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let z = (*x)[i] - brox_data[BB_XOPT + i];
    s += z * z;
  }
  return s;
}`,
};

/** f2 Ellipsoidal [RR-6829 f2]: z = T_osz(x - x_opt), f = sum 10^(6 (i-1)/(D-1)) z_i^2. */
export const f2: BbobDef = {
  fid: 2,
  name: 'ellipsoid',
  draw: xoptUniform,
  js(x, I) {
    let s = 0;
    for (let i = 0; i < I.d; i++) s += I.p6[i] * tosz(x[i] - I.xopt[i]) ** 2;
    return s;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let z = bb_tosz((*x)[i] - brox_data[BB_XOPT + i]);
    s += pow(10.0, 6.0 * f32(i) / f32(DIM - 1u)) * z * z;
  }
  return s;
}`,
};

/** f3 Rastrigin [RR-6829 f3]: z = Lambda^10 T_asy^0.2(T_osz(x - x_opt)), f = 10 (D - sum cos(2 pi z_i)) + ||z||^2. */
export const f3: BbobDef = {
  fid: 3,
  name: 'rastrigin',
  draw: xoptUniform,
  js(x, I) {
    const d = I.d;
    const z = I.a;
    let q = 0;
    for (let i = 0; i < d; i++) {
      z[i] = I.l10[i] * tasy(tosz(x[i] - I.xopt[i]), i, d, 0.2);
      q += z[i] * z[i];
    }
    return 10 * rastOsc(z, d) + q;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var z: array<f32, DIM>;
  var q = 0.0;
  for (var i = 0u; i < DIM; i++) {
    z[i] = bb_lam(10.0, i) * bb_tasy(bb_tosz((*x)[i] - brox_data[BB_XOPT + i]), i, 0.2);
    q += z[i] * z[i];
  }
  return 10.0 * bb_rast(&z) + q;
}`,
};

/**
 * f4 Bueche-Rastrigin [RR-6829 f4]: z_i = s_i T_osz(x_i - x_opt_i), s_i = 10 * 10^((i-1)/(2(D-1)))
 * if z_i > 0 and i = 1, 3, 5, ... (1-based), else 10^((i-1)/(2(D-1))); f = 10 (D - sum cos(2 pi z_i))
 * + ||z||^2 + 100 f_pen(x). (x_opt as in the report, uniform in [-4, 4]^D: COCO's code also takes
 * |x_opt_i| on the odd coordinates, which the report does not say; we follow the report.)
 */
export const f4: BbobDef = {
  fid: 4,
  name: 'bueche-rastrigin',
  draw: xoptUniform,
  js(x, I) {
    const d = I.d;
    const z = I.a;
    let q = 0;
    for (let i = 0; i < d; i++) {
      const t = tosz(x[i] - I.xopt[i]);
      z[i] = (t > 0 && i % 2 === 0 ? 10 : 1) * I.l10[i] * t;
      q += z[i] * z[i];
    }
    return 10 * rastOsc(z, d) + q + 100 * pen(x, d);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var z: array<f32, DIM>;
  var q = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let t = bb_tosz((*x)[i] - brox_data[BB_XOPT + i]);
    z[i] = select(1.0, 10.0, t > 0.0 && (i % 2u) == 0u) * bb_lam(10.0, i) * t;
    q += z[i] * z[i];
  }
  return 10.0 * bb_rast(&z) + q + 100.0 * bb_pen(x);
}`,
};

/**
 * f5 Linear slope [RR-6829 f5]: x_opt = z_opt = 5 * 1_-^+; z_i = x_i if x_opt_i x_i < 5^2, else
 * x_opt_i; f = sum 5 |s_i| - s_i z_i with s_i = sign(x_opt_i) 10^((i-1)/(D-1)). The optimum is a
 * corner of [-5, 5]^D, and every x beyond it (x_opt_i x_i >= 25 for all i) is optimal too.
 */
export const f5: BbobDef = {
  fid: 5,
  name: 'linear-slope',
  draw: (d, rng) => ({ xopt: signVec(rng, d).map((s) => 5 * s) }),
  js(x, I) {
    let f = 0;
    for (let i = 0; i < I.d; i++) {
      const xo = I.xopt[i];
      const s = Math.sign(xo) * I.p1[i];
      const z = xo * x[i] < 25 ? x[i] : xo;
      f += 5 * Math.abs(s) - s * z;
    }
    return f;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var f = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let xo = brox_data[BB_XOPT + i];
    let s = sign(xo) * pow(10.0, f32(i) / f32(DIM - 1u));
    let z = select(xo, (*x)[i], xo * (*x)[i] < 25.0);
    f += 5.0 * abs(s) - s * z;
  }
  return f;
}`,
};


