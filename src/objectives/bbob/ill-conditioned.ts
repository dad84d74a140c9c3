// BBOB f10-f14, unimodal functions with high conditioning [RR-6829, section 3].
import { type BbobDef, mul, sub, tasy, tosz, uniformVec } from './common.js';

const withR = (d: number, rng: Parameters<BbobDef['draw']>[1], orth: () => Float64Array) => ({ xopt: uniformVec(rng, d, -4, 4), R: orth() });
const withRQ = (d: number, rng: Parameters<BbobDef['draw']>[1], orth: () => Float64Array) => ({ xopt: uniformVec(rng, d, -4, 4), R: orth(), Q: orth() });

/** z = R (x - x_opt) in the JS twin (into I.b). */
const rot = (x: ArrayLike<number>, I: Parameters<BbobDef['js']>[1]) => mul(I.R, sub(x, I.xopt, I.a, I.d), I.b, I.d);
const ROT_WGSL = `  var a: array<f32, DIM>;
  var z: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, &z);`;

/** f10 Ellipsoidal, rotated [RR-6829 f10]: z = T_osz(R (x - x_opt)), f = sum 10^(6 (i-1)/(D-1)) z_i^2. */
export const f10: BbobDef = {
  fid: 10,
  name: 'ellipsoid-rotated',
  draw: withR,
  js(x, I) {
    const z = rot(x, I);
    let s = 0;
    for (let i = 0; i < I.d; i++) s += I.p6[i] * tosz(z[i]) ** 2;
    return s;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
${ROT_WGSL}
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let t = bb_tosz(z[i]);
    s += pow(10.0, 6.0 * f32(i) / f32(DIM - 1u)) * t * t;
  }
  return s;
}`,
};

/** f11 Discus [RR-6829 f11]: z = T_osz(R (x - x_opt)), f = 10^6 z_1^2 + sum_{i>=2} z_i^2. */
export const f11: BbobDef = {
  fid: 11,
  name: 'discus',
  draw: withR,
  js(x, I) {
    const z = rot(x, I);
    let s = 1e6 * tosz(z[0]) ** 2;
    for (let i = 1; i < I.d; i++) s += tosz(z[i]) ** 2;
    return s;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
${ROT_WGSL}
  let t0 = bb_tosz(z[0]);
  var s = 1e6 * t0 * t0;
  for (var i = 1u; i < DIM; i++) {
    let t = bb_tosz(z[i]);
    s += t * t;
  }
  return s;
}`,
};

/** f12 Bent cigar [RR-6829 f12]: z = R T_asy^0.5(R (x - x_opt)), f = z_1^2 + 10^6 sum_{i>=2} z_i^2. */
export const f12: BbobDef = {
  fid: 12,
  name: 'bent-cigar',
  draw: withR,
  js(x, I) {
    const d = I.d;
    const y = rot(x, I);
    for (let i = 0; i < d; i++) y[i] = tasy(y[i], i, d, 0.5);
    const z = mul(I.R, y, I.c, d);
    let s = 0;
    for (let i = 1; i < d; i++) s += z[i] * z[i];
    return z[0] * z[0] + 1e6 * s;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
${ROT_WGSL}
  for (var i = 0u; i < DIM; i++) { z[i] = bb_tasy(z[i], i, 0.5); }
  bb_mul(BB_R, &z, &a);
  var s = 0.0;
  for (var i = 1u; i < DIM; i++) { s += a[i] * a[i]; }
  return a[0] * a[0] + 1e6 * s;
}`,
};

/** f13 Sharp ridge [RR-6829 f13]: z = Q Lambda^10 R (x - x_opt), f = z_1^2 + 100 sqrt(sum_{i>=2} z_i^2). */
export const f13: BbobDef = {
  fid: 13,
  name: 'sharp-ridge',
  draw: withRQ,
  js(x, I) {
    const d = I.d;
    const y = rot(x, I);
    for (let i = 0; i < d; i++) y[i] *= I.l10[i];
    const z = mul(I.Q, y, I.c, d);
    let s = 0;
    for (let i = 1; i < d; i++) s += z[i] * z[i];
    return z[0] * z[0] + 100 * Math.sqrt(s);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
${ROT_WGSL}
  for (var i = 0u; i < DIM; i++) { z[i] *= bb_lam(10.0, i); }
  bb_mul(BB_Q, &z, &a);
  var s = 0.0;
  for (var i = 1u; i < DIM; i++) { s += a[i] * a[i]; }
  return a[0] * a[0] + 100.0 * sqrt(s);
}`,
};

/** f14 Different powers [RR-6829 f14]: z = R (x - x_opt), f = sqrt(sum |z_i|^(2 + 4 (i-1)/(D-1))). */
export const f14: BbobDef = {
  fid: 14,
  name: 'different-powers',
  draw: withR,
  js(x, I) {
    const d = I.d;
    const z = rot(x, I);
    let s = 0;
    for (let i = 0; i < d; i++) s += Math.pow(Math.abs(z[i]), 2 + (4 * i) / (d - 1));
    return Math.sqrt(s);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
${ROT_WGSL}
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = abs(z[i]);
    if (v > 0.0) { s += pow(v, 2.0 + 4.0 * f32(i) / f32(DIM - 1u)); }
  }
  return sqrt(s);
}`,
};
