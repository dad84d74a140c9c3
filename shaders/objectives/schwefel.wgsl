struct ObjectiveAcc { s: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  (*acc).s += v * brox_sinpi(sqrt(abs(v)) / BROX_PI);  // v sin(sqrt|v|)
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return 418.9829 * f32(DIM) - acc.s; }
