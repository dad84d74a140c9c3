struct ObjectiveAcc { s: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  (*acc).s += v * v;
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return acc.s; }
