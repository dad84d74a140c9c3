fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i + 1u < DIM; i++) {
    let a = (*x)[i];
    let b = (*x)[i + 1u];
    s += 100.0 * (b - a * a) * (b - a * a) + (a - 1.0) * (a - 1.0);
  }
  return s;
}
