// Portable sin/cos for kernels and objectives. WGSL only bounds the built-in sin/cos error by 2^-11
// (absolute, on [-pi, pi]); SwiftShader is near that bound, which shows up as 1e-3 relative errors
// in objectives like Michalewicz (sin^20). Here the argument is in turns, reduced exactly
// (v - round(v) is exact in f32) to [-1/8, 1/8] turn, then short Taylor polynomials give
// f32-accurate results (truncation < 2e-9) from FMAs alone, identically on every GPU.

const BROX_PI: f32 = 3.14159265358979323846;

// (sin z, cos z) for |z| <= pi/4 (a little beyond is fine), turned by k quarter turns (k mod 4)
fn brox_sincos_quarter(z: f32, k: i32) -> vec2<f32> {
  let z2 = z * z;
  let s = z * (1.0 + z2 * (-1.6666666666666666e-1 + z2 * (8.333333333333333e-3 + z2 * (-1.984126984126984e-4 + z2 * 2.7557319223985893e-6))));
  let c = 1.0 + z2 * (-0.5 + z2 * (4.1666666666666664e-2 + z2 * (-1.388888888888889e-3 + z2 * (2.48015873015873e-5 + z2 * -2.755731922398589e-7))));
  // k = 0: (s, c), 1: (c, -s), 2: (-s, -c), 3: (-c, s); branch-free (expressions inline many calls)
  let turned = select(vec2<f32>(s, c), vec2<f32>(c, -s), (k & 1) != 0);
  return select(turned, -turned, (k & 2) != 0);
}

// (sin(2 pi v), cos(2 pi v))
fn brox_sincos2pi(v: f32) -> vec2<f32> {
  let r = v - round(v);              // [-1/2, 1/2] turn
  let q = round(4.0 * r);            // quarter turns: -2..2
  let z = 2.0 * BROX_PI * (r - 0.25 * q);  // [-pi/4, pi/4]
  return brox_sincos_quarter(z, i32(q));
}

// (sin a, cos a), a in radians. a * (1/2pi) in f32 loses the turn's fraction for large |a| (2e-3
// relative at 1e4), so the argument is reduced by pi/2 in radians (Cody-Waite): pi/2 is split into
// parts of 4 significant bits (the last one rounded), each product q * part is exact in f32 for
// |q| < 2^20, and each subtraction is exact or rounds at the result's scale. Reduction error
// below 4e-8 absolute for |a| <= 1e6 (simulated in float32 against exact arithmetic); it grows beyond.
fn brox_sincos(a: f32) -> vec2<f32> {
  let q = round(a * 0.6366197723675814);
  var z = a - q * 1.5;
  z = z - q * 0.0703125;
  z = z - q * 0.000457763671875;
  z = z - q * 2.47955322265625e-05;
  z = z - q * 1.1920928955078125e-06;
  z = z - q * 7.549790126404332e-08;
  return brox_sincos_quarter(z, i32(q));
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
