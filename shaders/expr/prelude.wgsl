// Functions of the expression language whose WGSL built-ins are unspecified where JavaScript's
// Math is defined (negative log/sqrt arguments, pow of negative bases, tanh for large |x|), or
// not accurate enough (sin/cos, see shaders/math/trig.wgsl). Each matches Math.* semantics.

// NaN, -inf, +inf bit patterns. A private variable, not constants: WGSL rejects non-finite
// values in constant expressions, but a bitcast of a loaded value is fine.
var<private> brox_expr_special: vec3<u32> = vec3<u32>(0x7fc00000u, 0xff800000u, 0x7f800000u);

fn brox_expr_isnan(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u; }
// Math.min / Math.max / Math.sign return NaN for a NaN argument; WGSL leaves that unspecified.
fn brox_expr_min(a: f32, b: f32) -> f32 {
  if (brox_expr_isnan(a) || brox_expr_isnan(b)) { return bitcast<f32>(brox_expr_special.x); }
  return min(a, b);
}
fn brox_expr_max(a: f32, b: f32) -> f32 {
  if (brox_expr_isnan(a) || brox_expr_isnan(b)) { return bitcast<f32>(brox_expr_special.x); }
  return max(a, b);
}
fn brox_expr_sign(a: f32) -> f32 {
  if (brox_expr_isnan(a)) { return a; }
  return sign(a);
}
fn brox_expr_sin(a: f32) -> f32 { return brox_sincos2pi(a * 0.15915494309189535).x; }
fn brox_expr_cos(a: f32) -> f32 { return brox_sincos2pi(a * 0.15915494309189535).y; }
fn brox_expr_tan(a: f32) -> f32 {
  let sc = brox_sincos2pi(a * 0.15915494309189535);
  return sc.x / sc.y;
}
fn brox_expr_log(a: f32) -> f32 {
  if (a > 0.0) { return log(a); }
  if (a == 0.0) { return bitcast<f32>(brox_expr_special.y); }  // -inf
  return bitcast<f32>(brox_expr_special.x);
}
fn brox_expr_sqrt(a: f32) -> f32 {
  if (a >= 0.0) { return sqrt(a); }
  return bitcast<f32>(brox_expr_special.x);
}
fn brox_expr_tanh(a: f32) -> f32 {
  if (abs(a) < 10.0) { return tanh(a); }
  return sign(a);  // |tanh| rounds to 1 in f32 there; the built-in may overflow to NaN
}
fn brox_expr_pow(a: f32, b: f32) -> f32 {
  if (a > 0.0) { return exp2(b * log2(a)); }
  if (a == 0.0) {
    if (b > 0.0) { return 0.0; }
    if (b == 0.0) { return 1.0; }
    return bitcast<f32>(brox_expr_special.z);  // +inf
  }
  if (floor(b) != b) { return bitcast<f32>(brox_expr_special.x); }
  let m = exp2(b * log2(-a));
  let odd = b - 2.0 * floor(0.5 * b) != 0.0;
  return select(m, -m, odd);
}
