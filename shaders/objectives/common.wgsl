// Range-reduced trig for objectives. WGSL only bounds sin/cos error on [-pi, pi], so
// arguments are reduced exactly (v - round(v) is exact in f32) before calling them.

const BROX_PI: f32 = 3.14159265358979323846;

// cos(2 pi v)
fn brox_cos2pi(v: f32) -> f32 {
  return cos(2.0 * BROX_PI * (v - round(v)));
}

// sin(pi v): sin has period 2 in v
fn brox_sinpi(v: f32) -> f32 {
  let h = 0.5 * v;
  return sin(2.0 * BROX_PI * (h - round(h)));
}

// cos(pi v)
fn brox_cospi(v: f32) -> f32 {
  let h = 0.5 * v;
  return cos(2.0 * BROX_PI * (h - round(h)));
}
