struct ObjectiveAcc { sq: f32, cs: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0, 0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  (*acc).sq += v * v;
  (*acc).cs += brox_cos2pi(v);
}
fn objective_finish(acc: ObjectiveAcc) -> f32 {
  let n = f32(DIM);
  return -20.0 * exp(-0.2 * sqrt(acc.sq / n)) - exp(acc.cs / n) + 20.0 + 2.718281828459045;
}
