// Portable sin/cos for kernels and objectives. WGSL only bounds the built-in sin/cos error by 2^-11
// (absolute, on [-pi, pi]); SwiftShader is near that bound, which shows up as 1e-3 relative errors
// in objectives like Michalewicz (sin^20). Here the argument is in turns, reduced exactly
// (v - round(v) is exact in f32) to [-1/8, 1/8] turn, then short Taylor polynomials give
// f32-accurate results (truncation < 2e-9) from FMAs alone, identically on every GPU.

const BROX_PI: f32 = 3.14159265358979323846;

// (sin(2 pi v), cos(2 pi v))
fn brox_sincos2pi(v: f32) -> vec2<f32> {
  let r = v - round(v);              // [-1/2, 1/2] turn
  let q = round(4.0 * r);            // quarter turns: -2..2
  let z = 2.0 * BROX_PI * (r - 0.25 * q);  // [-pi/4, pi/4]
  let z2 = z * z;
  let s = z * (1.0 + z2 * (-1.6666666666666666e-1 + z2 * (8.333333333333333e-3 + z2 * (-1.984126984126984e-4 + z2 * 2.7557319223985893e-6))));
  let c = 1.0 + z2 * (-0.5 + z2 * (4.1666666666666664e-2 + z2 * (-1.388888888888889e-3 + z2 * (2.48015873015873e-5 + z2 * -2.755731922398589e-7))));
  // rotate by q quarter turns
  let k = (i32(q) + 4) & 3;
  if (k == 0) { return vec2<f32>(s, c); }
  if (k == 1) { return vec2<f32>(c, -s); }
  if (k == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}

// cos(2 pi v)
fn brox_cos2pi(v: f32) -> f32 {
  return brox_sincos2pi(v).y;
}

// sin(pi v)
fn brox_sinpi(v: f32) -> f32 {
  return brox_sincos2pi(0.5 * v).x;
}

// cos(pi v)
fn brox_cospi(v: f32) -> f32 {
  return brox_sincos2pi(0.5 * v).y;
}
