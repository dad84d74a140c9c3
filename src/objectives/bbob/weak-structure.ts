// BBOB f20-f24, multi-modal functions with weak global structure [RR-6829, section 5].
import { type BbobDef, mul, pen, rastOsc, type Rng, signVec, sub, tosz, uniformVec } from './common.js';

/**
 * f20 Schwefel x sin(x) [RR-6829 f20]: x_opt = 4.2096874633/2 * 1_-^+, x^ = 2 sign(x_opt) (x) x,
 * z^_1 = x^_1, z^_{i+1} = x^_{i+1} + 0.25 (x^_i - 2 |x_opt_i|), z = 100 (Lambda^10 (z^ - 2 |x_opt|) + 2 |x_opt|),
 * f = -(1/(100 D)) sum z_i sin(sqrt|z_i|) + 4.189828872724339 + 100 f_pen(z/100).
 * f(x_opt) is 0 up to the rounding of the report's constants (|f(x_opt)| < 1e-12, tested).
 */
export const f20: BbobDef = {
  fid: 20,
  name: 'schwefel',
  draw: (d, rng) => ({ xopt: signVec(rng, d).map((s) => (s * 4.2096874633) / 2) }),
  js(x, I) {
    const d = I.d;
    const xh = I.a;
    for (let i = 0; i < d; i++) xh[i] = 2 * Math.sign(I.xopt[i]) * x[i];
    let s = 0;
    let p = 0;
    for (let i = 0; i < d; i++) {
      const o = 2 * Math.abs(I.xopt[i]);
      const zh = i === 0 ? xh[0] : xh[i] + 0.25 * (xh[i - 1] - 2 * Math.abs(I.xopt[i - 1]));
      const z = 100 * (I.l10[i] * (zh - o) + o);
      s += z * Math.sin(Math.sqrt(Math.abs(z)));
      const t = Math.abs(z / 100) - 5;
      if (t > 0) p += t * t;
    }
    return -s / (100 * d) + 4.189828872724339 + 100 * p;
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  var p = 0.0;
  var prev = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let xo = brox_data[BB_XOPT + i];
    let o = 2.0 * abs(xo);
    let xh = 2.0 * sign(xo) * (*x)[i];
    var zh = xh;
    if (i > 0u) { zh = xh + 0.25 * prev; }
    prev = xh - o;
    let z = 100.0 * (bb_lam(10.0, i) * (zh - o) + o);
    s += z * bb_sin(sqrt(abs(z)));
    let t = abs(z / 100.0) - 5.0;
    if (t > 0.0) { p += t * t; }
  }
  return -s / (100.0 * f32(DIM)) + 4.189828872724339 + 100.0 * p;
}`,
};

/**
 * Gallagher's Gaussian peaks (f21: 101 peaks, f22: 21) [RR-6829 f21, f22]:
 * f = T_osz(10 - max_i w_i exp(-(1/(2D)) (x - y_i)^T R^T C_i R (x - y_i)))^2 + f_pen(x), with
 * w_1 = 10, w_i = 1.1 + 8 (i-2)/(n-2); C_i = Lambda^(alpha_i) / alpha_i^(1/4) with the diagonal of
 * Lambda^(alpha_i) randomly permuted; alpha_1 = 1000 (f21) or 1000^2 (f22), alpha_2..n drawn without
 * replacement from {1000^(2j/(n-2)), j = 0..n-2}; y_1 = x_opt uniform in [-4, 4]^D (f21) /
 * [-3.92, 3.92]^D (f22), y_2..n uniform in [-5, 5]^D / [-4.9, 4.9]^D.
 * Draw order: R, the permutation of the alphas (Fisher-Yates), one permutation of 0..D-1 per peak,
 * y_1 .. y_n. Extra block: w (n), then C (n x D, the diagonals), then P (n x D) with P_i = R y_i
 * (the twins compare R x with P_i: one rotation per evaluation instead of n). 10 - w_1 exp(-a) is
 * computed as -10 expm1(-a), so values near the optimum keep their digits.
 */
function gallagher(fid: number, n: number, alpha1: number, yHalf: number, y1Half: number): BbobDef {
  const draw = (d: number, rng: Rng, orth: () => Float64Array) => {
    const R = orth();
    const perm = (m: number): number[] => {
      const p = Array.from({ length: m }, (_, k) => k);
      for (let k = m - 1; k > 0; k--) {
        const j = Math.floor(rng.uniform() * (k + 1));
        [p[k], p[j]] = [p[j], p[k]];
      }
      return p;
    };
    const pa = perm(n - 1);
    const alpha = [alpha1, ...pa.map((j) => Math.pow(1000, (2 * j) / (n - 2)))];
    const C: number[] = [];
    for (let i = 0; i < n; i++) {
      const pd = perm(d);
      for (let j = 0; j < d; j++) C.push(Math.pow(alpha[i], (0.5 * pd[j]) / (d - 1) - 0.25));
    }
    const ys = Array.from({ length: n }, (_, i) => uniformVec(rng, d, i === 0 ? -y1Half : -yHalf, i === 0 ? y1Half : yHalf).map(Math.fround));
    const Rf = Float64Array.from(R, Math.fround);
    const P: number[] = [];
    const tmp = new Float64Array(d);
    for (const y of ys) P.push(...mul(Rf, y, tmp, d));
    const w = Array.from({ length: n }, (_, i) => (i === 0 ? 10 : 1.1 + (8 * (i - 1)) / (n - 2)));
    return { xopt: ys[0], R, ex: [...w, ...C, ...P] };
  };
  return {
    fid,
    name: `gallagher-${n}`,
    draw,
    js(x, I) {
      const d = I.d;
      const z = mul(I.R, x, I.a, d);
      const ex = I.ex;
      let best = -Infinity; // max over peaks 2..n of w_i exp(-a_i)
      let a0 = 0;
      for (let i = 0; i < n; i++) {
        let q = 0;
        const c = n + i * d;
        const p = n + n * d + i * d;
        for (let j = 0; j < d; j++) {
          const t = z[j] - ex[p + j];
          q += ex[c + j] * t * t;
        }
        const a = q / (2 * d);
        if (i === 0) a0 = a;
        else best = Math.max(best, ex[i] * Math.exp(-a));
      }
      const v0 = 10 * Math.exp(-a0);
      const g = v0 >= best ? -10 * Math.expm1(-a0) : 10 - best;
      return tosz(g) ** 2 + pen(x, d);
    },
    wgsl: `const BB_N: u32 = ${n}u;
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var z: array<f32, DIM>;
  bb_mul(BB_R, x, &z);
  var best = -1.0;
  var a0 = 0.0;
  for (var i = 0u; i < BB_N; i++) {
    var q = 0.0;
    let c = BB_EX + BB_N + i * DIM;
    let p = BB_EX + BB_N + BB_N * DIM + i * DIM;
    for (var j = 0u; j < DIM; j++) {
      let t = z[j] - brox_data[p + j];
      q += brox_data[c + j] * t * t;
    }
    let a = q / (2.0 * f32(DIM));
    if (i == 0u) { a0 = a; } else { best = max(best, brox_data[BB_EX + i] * exp(-a)); }
  }
  var g = 10.0 - best;
  if (10.0 * exp(-a0) >= best) { g = -10.0 * bb_expm1(-a0); }
  let t = bb_tosz(g);
  return t * t + bb_pen(x);
}`,
  };
}

export const f21 = gallagher(21, 101, 1000, 5, 4);
export const f22 = gallagher(22, 21, 1e6, 4.9, 3.92);

/**
 * f23 Katsuura [RR-6829 f23]: z = Q Lambda^100 R (x - x_opt),
 * f = (10/D^2) prod_i (1 + i sum_{j=1}^{32} |2^j z_i - [2^j z_i]| / 2^j)^(10/D^1.2) - 10/D^2 + f_pen(x),
 * ([.] = nearest integer); evaluated as (10/D^2) expm1(sum_i (10/D^1.2) log1p(i t_i)) (equal; keeps
 * its digits near the optimum).
 */
export const f23: BbobDef = {
  fid: 23,
  name: 'katsuura',
  draw: (d, rng, orth) => ({ xopt: uniformVec(rng, d, -4, 4), R: orth(), Q: orth() }),
  js(x, I) {
    const d = I.d;
    const y = mul(I.R, sub(x, I.xopt, I.a, d), I.b, d);
    for (let i = 0; i < d; i++) y[i] *= I.l100[i];
    const z = mul(I.Q, y, I.c, d);
    const e = 10 / Math.pow(d, 1.2);
    let l = 0;
    for (let i = 0; i < d; i++) {
      let t = 0;
      let p = 2;
      for (let j = 1; j <= 32; j++) {
        const v = p * z[i];
        t += Math.abs(v - Math.round(v)) / p;
        p *= 2;
      }
      l += e * Math.log1p((i + 1) * t);
    }
    return (10 / (d * d)) * Math.expm1(l) + pen(x, d);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var a: array<f32, DIM>;
  var z: array<f32, DIM>;
  bb_sub(x, &a);
  bb_mul(BB_R, &a, &z);
  for (var i = 0u; i < DIM; i++) { z[i] *= bb_lam(100.0, i); }
  bb_mul(BB_Q, &z, &a);
  let e = 10.0 / pow(f32(DIM), 1.2);
  var l = 0.0;
  for (var i = 0u; i < DIM; i++) {
    var t = 0.0;
    var p = 2.0;
    for (var j = 1u; j <= 32u; j++) {
      let v = p * a[i];
      t += abs(v - round(v)) / p;
      p *= 2.0;
    }
    l += e * bb_log1p(f32(i + 1u) * t);
  }
  return (10.0 / f32(DIM * DIM)) * bb_expm1(l) + bb_pen(x);
}`,
};

/**
 * f24 Lunacek bi-Rastrigin [RR-6829 f24]: mu0 = 2.5, s = 1 - 1/(2 sqrt(D + 20) - 8.2),
 * mu1 = -sqrt((mu0^2 - 1)/s), x_opt = (mu0/2) 1_-^+, x^ = 2 sign(x_opt) (x) x, z = Q Lambda^100 R (x^ - mu0),
 * f = min(sum (x^_i - mu0)^2, D + s sum (x^_i - mu1)^2) + 10 (D - sum cos(2 pi z_i)) + 10^4 f_pen(x).
 */
export const f24: BbobDef = {
  fid: 24,
  name: 'lunacek',
  draw: (d, rng, orth) => ({ xopt: signVec(rng, d).map((s) => 1.25 * s), R: orth(), Q: orth() }),
  js(x, I) {
    const d = I.d;
    const s = 1 - 1 / (2 * Math.sqrt(d + 20) - 8.2);
    const mu1 = -Math.sqrt((2.5 * 2.5 - 1) / s);
    const u = I.a;
    let s0 = 0;
    let s1 = 0;
    for (let i = 0; i < d; i++) {
      const xh = 2 * Math.sign(I.xopt[i]) * x[i];
      u[i] = xh - 2.5;
      s0 += u[i] * u[i];
      s1 += (xh - mu1) ** 2;
    }
    const y = mul(I.R, u, I.b, d);
    for (let i = 0; i < d; i++) y[i] *= I.l100[i];
    const z = mul(I.Q, y, I.c, d);
    return Math.min(s0, d + s * s1) + 10 * rastOsc(z, d) + 1e4 * pen(x, d);
  },
  wgsl: `fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  let s = 1.0 - 1.0 / (2.0 * sqrt(f32(DIM) + 20.0) - 8.2);
  let mu1 = -sqrt((2.5 * 2.5 - 1.0) / s);
  var u: array<f32, DIM>;
  var s0 = 0.0;
  var s1 = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let xh = 2.0 * sign(brox_data[BB_XOPT + i]) * (*x)[i];
    u[i] = xh - 2.5;
    s0 += u[i] * u[i];
    s1 += (xh - mu1) * (xh - mu1);
  }
  var y: array<f32, DIM>;
  bb_mul(BB_R, &u, &y);
  for (var i = 0u; i < DIM; i++) { y[i] *= bb_lam(100.0, i); }
  bb_mul(BB_Q, &y, &u);
  return min(s0, f32(DIM) + s * s1) + 10.0 * bb_rast(&u) + 1e4 * bb_pen(x);
}`,
};

