fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = (*x)[i];
    s += v * brox_sinpi(sqrt(abs(v)) / BROX_PI);  // v sin(sqrt|v|)
  }
  return 418.9829 * f32(DIM) - s;
}
