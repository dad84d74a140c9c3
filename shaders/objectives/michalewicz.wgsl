// m = 10, i counted from 1 (as BoTorch and the design note).
struct ObjectiveAcc { s: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  let q = brox_sinpi(f32(i + 1u) * v * v / (BROX_PI * BROX_PI));  // sin((i+1) v^2 / pi)
  let q2 = q * q;
  let q4 = q2 * q2;
  let q8 = q4 * q4;
  let q10 = q8 * q2;
  (*acc).s += brox_sinpi(v / BROX_PI) * q10 * q10;
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return -acc.s; }
