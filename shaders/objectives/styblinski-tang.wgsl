struct ObjectiveAcc { s: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  let v2 = v * v;
  (*acc).s += v2 * v2 - 16.0 * v2 + 5.0 * v;
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return 0.5 * acc.s; }
