fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = (*x)[i];
    s += v * v - 10.0 * brox_cos2pi(v);
  }
  return 10.0 * f32(DIM) + s;
}
