// Every term depends on one coordinate only (w_i = 1 + (x_i - 1)/4), so it streams.
struct ObjectiveAcc { s: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  let w = 1.0 + (v - 1.0) * 0.25;
  if (i == 0u) {
    let s1 = brox_sinpi(w);
    (*acc).s += s1 * s1;
  }
  if (i + 1u < DIM) {
    let sw = brox_sinpi(w + 1.0 / BROX_PI);  // sin(pi w + 1)
    (*acc).s += (w - 1.0) * (w - 1.0) * (1.0 + 10.0 * sw * sw);
  } else {
    let sd = brox_sinpi(2.0 * w);
    (*acc).s += (w - 1.0) * (w - 1.0) * (1.0 + sd * sd);
  }
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return acc.s; }
