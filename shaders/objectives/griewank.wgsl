struct ObjectiveAcc { s: f32, p: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0, 1.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  (*acc).s += v * v;
  // cos(v / sqrt(i + 1)) written in turns so the argument is range-reduced exactly
  (*acc).p *= brox_cos2pi(v / (2.0 * BROX_PI * sqrt(f32(i + 1u))));
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return acc.s / 4000.0 - acc.p + 1.0; }
