struct ObjectiveAcc { s: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(10.0 * f32(DIM)); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  (*acc).s += v * v - 10.0 * brox_cos2pi(v);
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return acc.s; }
