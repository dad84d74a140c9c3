fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = (*x)[i];
    let v2 = v * v;
    s += v2 * v2 - 16.0 * v2 + 5.0 * v;
  }
  return 0.5 * s;
}
