// The arithmetic and functions of the expression language, with JavaScript's (IEEE) results.
// WGSL leaves every NaN and infinity result to the implementation, and drivers use that: on
// SwiftShader `x != x` is false for a NaN, `nan * 0.0` folds to 0 and sign(NaN) is 0. So NaN is
// carried explicitly: every operation decides from its operands' bits (integer tests, which no
// float optimisation touches) whether the result is NaN, an infinity or a signed zero, and the float
// operation only computes the ordinary case. Everything is branch-free (select, and `|`/`&`, which do
// not short-circuit): each call is inlined, and branches in hundreds of inlined calls made
// SwiftShader's pipeline compiles take minutes. The JS twin (compile.ts) is plain JavaScript.

// NaN, -inf, +inf bit patterns. A private variable, not constants: WGSL rejects non-finite
// values in constant expressions, but a bitcast of a loaded value is fine.
var<private> brox_expr_special: vec3<u32> = vec3<u32>(0x7fc00000u, 0xff800000u, 0x7f800000u);

const BROX_EXPR_INF: u32 = 0x7f800000u;  // the magnitude bits of an infinity
const BROX_EXPR_SIGN: u32 = 0x80000000u;

fn brox_expr_nan() -> f32 { return bitcast<f32>(brox_expr_special.x); }
fn brox_expr_inf(negative: bool) -> f32 { return bitcast<f32>(select(brox_expr_special.z, brox_expr_special.y, negative)); }
/** |a| as bits: > BROX_EXPR_INF for NaN, == for +-inf, 0 for +-0. */
fn brox_expr_mag(a: f32) -> u32 { return bitcast<u32>(a) & 0x7fffffffu; }
fn brox_expr_isnan(a: f32) -> bool { return brox_expr_mag(a) > BROX_EXPR_INF; }
fn brox_expr_finite(a: f32) -> bool { return brox_expr_mag(a) < BROX_EXPR_INF; }
/** -a by its sign bit: exact for every value, NaN included. */
fn brox_expr_neg(a: f32) -> f32 { return bitcast<f32>(bitcast<u32>(a) ^ BROX_EXPR_SIGN); }

fn brox_expr_add(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ma = ua & 0x7fffffffu;
  // NaN in, or inf + -inf
  let nan = (max(ma, brox_expr_mag(b)) > BROX_EXPR_INF) | ((ma == BROX_EXPR_INF) & (bitcast<u32>(b) == (ua ^ BROX_EXPR_SIGN)));
  return select(a + b, brox_expr_nan(), nan);
}
fn brox_expr_sub(a: f32, b: f32) -> f32 {
  let ma = brox_expr_mag(a);
  // NaN in, or inf - inf
  let nan = (max(ma, brox_expr_mag(b)) > BROX_EXPR_INF) | ((ma == BROX_EXPR_INF) & (bitcast<u32>(a) == bitcast<u32>(b)));
  return select(a - b, brox_expr_nan(), nan);
}
fn brox_expr_mul(a: f32, b: f32) -> f32 {
  let ma = brox_expr_mag(a);
  let mb = brox_expr_mag(b);
  let zero = min(ma, mb) == 0u;
  // NaN in, or 0 * inf
  let nan = (max(ma, mb) > BROX_EXPR_INF) | (zero & (max(ma, mb) == BROX_EXPR_INF));
  // a zero factor: a zero with the sign of the product (x * 0.0 is folded without it)
  let z = bitcast<f32>((bitcast<u32>(a) ^ bitcast<u32>(b)) & BROX_EXPR_SIGN);
  return select(select(a * b, z, zero), brox_expr_nan(), nan);
}
fn brox_expr_div(a: f32, b: f32) -> f32 {
  let ma = brox_expr_mag(a);
  let mb = brox_expr_mag(b);
  let s = (bitcast<u32>(a) ^ bitcast<u32>(b)) & BROX_EXPR_SIGN;
  // NaN in, 0 / 0 or inf / inf
  let nan = (max(ma, mb) > BROX_EXPR_INF) | ((ma | mb) == 0u) | ((ma == BROX_EXPR_INF) & (mb == BROX_EXPR_INF));
  var r = select(a / b, bitcast<f32>(s), (ma == 0u) | (mb == BROX_EXPR_INF));  // +-0
  r = select(r, bitcast<f32>(s | BROX_EXPR_INF), (mb == 0u) | (ma == BROX_EXPR_INF));  // +-inf
  return select(r, brox_expr_nan(), nan);
}

// Math.min / Math.max / Math.sign return NaN for a NaN argument; WGSL leaves that unspecified.
fn brox_expr_min(a: f32, b: f32) -> f32 { return select(min(a, b), brox_expr_nan(), brox_expr_isnan(a) | brox_expr_isnan(b)); }
fn brox_expr_max(a: f32, b: f32) -> f32 { return select(max(a, b), brox_expr_nan(), brox_expr_isnan(a) | brox_expr_isnan(b)); }
fn brox_expr_sign(a: f32) -> f32 {
  let one = bitcast<f32>((bitcast<u32>(a) & BROX_EXPR_SIGN) | 0x3f800000u);  // +-1
  return select(one, a, brox_expr_isnan(a) | (brox_expr_mag(a) == 0u));  // NaN, +-0 as they are
}
fn brox_expr_abs(a: f32) -> f32 { return bitcast<f32>(brox_expr_mag(a)); }
fn brox_expr_floor(a: f32) -> f32 { return select(floor(a), a, !brox_expr_finite(a)); }
// sin/cos/tan: NaN for +-inf and NaN (as Math.*), the radians reduced as in shaders/math/trig.wgsl
fn brox_expr_sin(a: f32) -> f32 { return select(brox_sincos(a).x, brox_expr_nan(), !brox_expr_finite(a)); }
fn brox_expr_cos(a: f32) -> f32 { return select(brox_sincos(a).y, brox_expr_nan(), !brox_expr_finite(a)); }
fn brox_expr_tan(a: f32) -> f32 {
  let sc = brox_sincos(a);
  return select(sc.x / sc.y, brox_expr_nan(), !brox_expr_finite(a));
}
fn brox_expr_exp(a: f32) -> f32 {
  // the built-in is unspecified where f32 overflows (and below the smallest subnormal)
  let r = select(select(exp(a), 0.0, a < -104.0), brox_expr_inf(false), a >= 88.72284);
  return select(r, a, brox_expr_isnan(a));
}
fn brox_expr_log(a: f32) -> f32 {
  var r = select(log(a), brox_expr_nan(), a < 0.0);
  r = select(r, brox_expr_inf(true), brox_expr_mag(a) == 0u);  // +-0: -inf
  return select(r, a, brox_expr_isnan(a) | (bitcast<u32>(a) == BROX_EXPR_INF));  // NaN, +inf
}
fn brox_expr_sqrt(a: f32) -> f32 {
  let r = select(sqrt(a), brox_expr_nan(), a < 0.0);
  return select(r, a, brox_expr_isnan(a) | (brox_expr_mag(a) == 0u) | (bitcast<u32>(a) == BROX_EXPR_INF));  // NaN, +-0, +inf
}
fn brox_expr_tanh(a: f32) -> f32 {
  // |tanh| rounds to 1 in f32 beyond 10; the built-in may overflow to NaN there
  let one = bitcast<f32>((bitcast<u32>(a) & BROX_EXPR_SIGN) | 0x3f800000u);
  return select(select(one, tanh(a), abs(a) < 10.0), a, brox_expr_isnan(a));
}
/** 2^e for a finite e: the built-in is unspecified where the result overflows or underflows. */
fn brox_expr_exp2(e: f32) -> f32 { return select(select(exp2(e), 0.0, e < -150.0), brox_expr_inf(false), e >= 128.0); }
/** Math.pow: a^0 = 1 (even for NaN), 1^inf is NaN, signed zeros and infinities by the parity of b. */
fn brox_expr_pow(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ma = ua & 0x7fffffffu;
  let mb = brox_expr_mag(b);
  let m = bitcast<f32>(ma);
  let integer = floor(b) == b;
  let odd = integer & (mb < BROX_EXPR_INF) & (b - 2.0 * floor(0.5 * b) != 0.0);  // exact: every f32 beyond 2^24 is even
  let s = select(0u, ua & BROX_EXPR_SIGN, odd);  // the sign of an odd power of a negative base
  // finite nonzero a, finite nonzero b: a fractional power of a negative base is NaN
  var r = select(bitcast<f32>(s ^ bitcast<u32>(brox_expr_exp2(b * log2(m)))), brox_expr_nan(), (ua >= BROX_EXPR_SIGN) & !integer);
  // a = +-0 or +-inf: inf^+ and 0^- are infinite, inf^- and 0^+ zero
  let big = (ma == BROX_EXPR_INF) == (b > 0.0);
  r = select(r, bitcast<f32>(s | select(0u, BROX_EXPR_INF, big)), (ma == 0u) | (ma == BROX_EXPR_INF));
  // b = +-inf: |a| > 1 and b = inf, or |a| < 1 and b = -inf, are infinite; |a| = 1 is NaN
  r = select(r, select(0.0, brox_expr_inf(false), (m > 1.0) == (b > 0.0)), mb == BROX_EXPR_INF);
  r = select(r, brox_expr_nan(), ((mb == BROX_EXPR_INF) & (ma == 0x3f800000u)) | (max(ma, mb) > BROX_EXPR_INF));
  return select(r, 1.0, mb == 0u);  // b = +-0: 1, even for a NaN
}
