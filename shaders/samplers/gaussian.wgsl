// Gaussian population: z ~ N(0, I) (the linear map of the call gives the covariance).
// Twin of src/samplers/gaussian.ts.

fn brox_sampler_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  return brox_normal_pair(key, lo, hi, j);
}

fn brox_sampler_scale(key: vec2<u32>, lo: u32, hi: u32) -> f32 {
  return 1.0;
}

fn brox_sampler_unit(key: vec2<u32>, lo: u32, hi: u32, z: ptr<function, array<f32, DIM>>) {
  for (var j = 0u; 2u * j < DIM; j++) {
    let g = brox_normal_pair(key, lo, hi, j);
    (*z)[2u * j] = g.x;
    if (2u * j + 1u < DIM) { (*z)[2u * j + 1u] = g.y; }
  }
}

// No ball: nothing to project into.
fn brox_sampler_norm(z: ptr<function, array<f32, DIM>>) -> f32 {
  return 0.0;
}
