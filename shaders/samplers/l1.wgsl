// Uniform in the unit l1 ball (cross-polytope): d+1 exponentials e_i = -log u_i, S = their sum,
// z_i = sign_i e_i / S (a Dirichlet(1, ..., 1) point of the simplex, with random signs, is
// uniform in the cross-polytope). Slot j gives e_{2j}, e_{2j+1}; the signs are bit 0 of the same
// words (to_unit drops the low 9 bits, so they are independent of the exponentials).
// Twin of src/samplers/l1.ts.

fn brox_l1_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  let w = brox_sample_words(key, lo, hi, j);
  let e = vec2<f32>(-log(brox_to_unit(w.x)), -log(brox_to_unit(w.y)));
  return select(e, -e, vec2<bool>((w.x & 1u) == 1u, (w.y & 1u) == 1u));
}

// 1 / (sum of the d+1 exponentials); the signs do not matter here.
fn brox_sampler_scale(key: vec2<u32>, lo: u32, hi: u32) -> f32 {
  var s = 0.0;
  for (var j = 0u; 2u * j < DIM + 1u; j++) {
    let p = abs(brox_l1_pair(key, lo, hi, j));
    s += p.x;
    if (2u * j + 1u < DIM + 1u) { s += p.y; }
  }
  return 1.0 / s;
}

fn brox_sampler_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  return brox_l1_pair(key, lo, hi, j);
}

fn brox_sampler_unit(key: vec2<u32>, lo: u32, hi: u32, z: ptr<function, array<f32, DIM>>) {
  var s = 0.0;
  for (var j = 0u; 2u * j < DIM + 1u; j++) {
    let p = brox_l1_pair(key, lo, hi, j);
    s += abs(p.x);
    if (2u * j < DIM) { (*z)[2u * j] = p.x; }
    if (2u * j + 1u < DIM + 1u) {
      s += abs(p.y);
      if (2u * j + 1u < DIM) { (*z)[2u * j + 1u] = p.y; }
    }
  }
  for (var i = 0u; i < DIM; i++) { (*z)[i] /= s; }
}

fn brox_sampler_norm(z: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var i = 0u; i < DIM; i++) { s += abs((*z)[i]); }
  return s;
}
