fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  var p = 1.0;
  for (var i = 0u; i < DIM; i++) {
    let v = (*x)[i];
    s += v * v;
    // cos(v / sqrt(i + 1)) written in turns so the argument can be range-reduced exactly
    p *= brox_cos2pi(v / (2.0 * BROX_PI * sqrt(f32(i + 1u))));
  }
  return s / 4000.0 - p + 1.0;
}
