// Ours: two disconnected global minimisers, a = (-2, ..., -2) and b = (3, ..., 3).
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var sa = 0.0;
  var sb = 0.0;
  for (var i = 0u; i < DIM; i++) {
    let v = (*x)[i];
    sa += (v + 2.0) * (v + 2.0);
    sb += (v - 3.0) * (v - 3.0);
  }
  return min(sa, sb);
}
