fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  let w1 = 1.0 + ((*x)[0] - 1.0) * 0.25;
  let s1 = brox_sinpi(w1);
  var s = s1 * s1;
  for (var i = 0u; i + 1u < DIM; i++) {
    let w = 1.0 + ((*x)[i] - 1.0) * 0.25;
    let sw = brox_sinpi(w + 1.0 / BROX_PI);  // sin(pi w + 1)
    s += (w - 1.0) * (w - 1.0) * (1.0 + 10.0 * sw * sw);
  }
  let wd = 1.0 + ((*x)[DIM - 1u] - 1.0) * 0.25;
  let sd = brox_sinpi(2.0 * wd);
  return s + (wd - 1.0) * (wd - 1.0) * (1.0 + sd * sd);
}
