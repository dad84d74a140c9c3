// Uniform in the unit Euclidean ball: u^(1/d) g / ||g||, g ~ N(0, I). Twin of src/samplers/l2.ts.

fn brox_sampler_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  return brox_normal_pair(key, lo, hi, j);
}

fn brox_l2_radius(key: vec2<u32>, lo: u32, hi: u32) -> f32 {
  let w = brox_sample_words(key, lo, hi, 1023u);
  return pow(brox_to_unit(w.x), 1.0 / f32(DIM));
}

// Streaming form: the norm pass is the generator's (the lean one needs no sin/cos and one log).
fn brox_sampler_scale(key: vec2<u32>, lo: u32, hi: u32) -> f32 {
  let ss = brox_normal_sumsq(key, lo, hi);
  return select(0.0, brox_l2_radius(key, lo, hi) / sqrt(ss), ss > 0.0);
}

fn brox_sampler_unit(key: vec2<u32>, lo: u32, hi: u32, z: ptr<function, array<f32, DIM>>) {
  var ss = 0.0;
  for (var j = 0u; 2u * j < DIM; j++) {
    let g = brox_normal_pair(key, lo, hi, j);
    (*z)[2u * j] = g.x;
    ss += g.x * g.x;
    if (2u * j + 1u < DIM) {
      (*z)[2u * j + 1u] = g.y;
      ss += g.y * g.y;
    }
  }
  let s = select(0.0, brox_l2_radius(key, lo, hi) / sqrt(ss), ss > 0.0);
  for (var i = 0u; i < DIM; i++) { (*z)[i] *= s; }
}

fn brox_sampler_norm(z: ptr<function, array<f32, DIM>>) -> f32 {
  var ss = 0.0;
  for (var i = 0u; i < DIM; i++) { ss += (*z)[i] * (*z)[i]; }
  return sqrt(ss);
}
