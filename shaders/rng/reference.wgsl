// The reference generator (src/rng/reference.ts is its twin): Threefry-2x32-20 words, Box-Muller
// normals with log, sqrt and the portable sin/cos of shaders/math/trig.wgsl. Every generator
// defines the three functions below; samplers draw only through them. Needs threefry.wgsl, trig.

// The two words of counter slot `slot` of sample (lo, hi); the counter layout of src/rng/counter.ts.
fn brox_sample_words(key: vec2<u32>, lo: u32, hi: u32, slot: u32) -> vec2<u32> {
  return brox_threefry2x32(key, vec2<u32>(lo, hi * 1024u + slot));
}

// Box-Muller: normals 2j and 2j+1 of a sample from counter slot j.
fn brox_normal_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  let w = brox_sample_words(key, lo, hi, j);
  let r = sqrt(-2.0 * log(brox_to_unit(w.x)));
  // angle pi (2 u - 1) = 2 pi (u - 1/2), as in the TS twin
  let sc = brox_sincos2pi(brox_to_unit(w.y) - 0.5);
  return vec2<f32>(r * sc.y, r * sc.x);
}

// Sum of squares of the sample's DIM normals (the streaming l2 sampler's norm pass).
fn brox_normal_sumsq(key: vec2<u32>, lo: u32, hi: u32) -> f32 {
  var ss = 0.0;
  for (var j = 0u; 2u * j < DIM; j++) {
    let g = brox_normal_pair(key, lo, hi, j);
    ss += g.x * g.x;
    if (2u * j + 1u < DIM) { ss += g.y * g.y; }
  }
  return ss;
}
