// Ours: a bowl with a local minimum near every integer point (spacing 1).
struct ObjectiveAcc { s: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  let w = brox_sinpi(v);
  (*acc).s += v * v + 10.0 * w * w;
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return acc.s; }
