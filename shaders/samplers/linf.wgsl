// Uniform in the unit l_inf ball (a box): z_i = 2 u_i - 1, two coordinates per counter slot.
// Twin of src/samplers/linf.ts.

fn brox_sampler_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  let w = brox_sample_words(key, lo, hi, j);
  return vec2<f32>(2.0 * brox_to_unit(w.x) - 1.0, 2.0 * brox_to_unit(w.y) - 1.0);
}

fn brox_sampler_scale(key: vec2<u32>, lo: u32, hi: u32) -> f32 {
  return 1.0;
}

fn brox_sampler_unit(key: vec2<u32>, lo: u32, hi: u32, z: ptr<function, array<f32, DIM>>) {
  for (var j = 0u; 2u * j < DIM; j++) {
    let p = brox_sampler_pair(key, lo, hi, j);
    (*z)[2u * j] = p.x;
    if (2u * j + 1u < DIM) { (*z)[2u * j + 1u] = p.y; }
  }
}

fn brox_sampler_norm(z: ptr<function, array<f32, DIM>>) -> f32 {
  var m = 0.0;
  for (var i = 0u; i < DIM; i++) { m = max(m, abs((*z)[i])); }
  return m;
}
