fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var sq = 0.0;
  var cs = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = (*x)[i];
    sq += v * v;
    cs += brox_cos2pi(v);
  }
  let n = f32(DIM);
  return -20.0 * exp(-0.2 * sqrt(sq / n)) - exp(cs / n) + 20.0 + 2.718281828459045;
}
