// Ours: two disconnected global minimisers, a = (-2, ..., -2) and b = (3, ..., 3).
struct ObjectiveAcc { sa: f32, sb: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0, 0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  (*acc).sa += (v + 2.0) * (v + 2.0);
  (*acc).sb += (v - 3.0) * (v - 3.0);
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return min(acc.sa, acc.sb); }
