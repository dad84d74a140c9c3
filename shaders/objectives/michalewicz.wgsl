// m = 10, i counted from 1 (as BoTorch and the design note).
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = (*x)[i];
    let q = brox_sinpi(f32(i + 1u) * v * v / (BROX_PI * BROX_PI));  // sin((i+1) v^2 / pi)
    let q2 = q * q;
    let q4 = q2 * q2;
    let q8 = q4 * q4;
    let q10 = q8 * q2;
    s += brox_sinpi(v / BROX_PI) * q10 * q10;
  }
  return -s;
}
