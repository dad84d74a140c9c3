// Streams with one coordinate of memory: the term for i pairs x_{i-1} with x_i.
struct ObjectiveAcc { s: f32, prev: f32 }
fn objective_init() -> ObjectiveAcc { return ObjectiveAcc(0.0, 0.0); }
fn objective_term(acc: ptr<function, ObjectiveAcc>, i: u32, v: f32) {
  if (i > 0u) {
    let a = (*acc).prev;
    (*acc).s += 100.0 * (v - a * a) * (v - a * a) + (a - 1.0) * (a - 1.0);
  }
  (*acc).prev = v;
}
fn objective_finish(acc: ObjectiveAcc) -> f32 { return acc.s; }
