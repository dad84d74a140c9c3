// For objectives written in streaming form (objective_init / objective_term / objective_finish),
// the array form every kernel can call. Added by brox only when the snippet has no `objective`.
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var acc = objective_init();
  for (var i = 0u; i < DIM; i++) {
    objective_term(&acc, i, (*x)[i]);
  }
  return objective_finish(acc);
}
