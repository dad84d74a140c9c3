// Box-Muller: normals 2j and 2j+1 of a sample from counter slot j. Twin of normalPair in
// src/samplers/plugin.ts. Needs shaders/rng/threefry.wgsl and shaders/math/trig.wgsl.
fn brox_normal_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  let w = brox_threefry2x32(key, vec2<u32>(lo, hi * 1024u + j));
  let r = sqrt(-2.0 * log(brox_to_unit(w.x)));
  // angle pi (2 u - 1) = 2 pi (u - 1/2), as in the TS twin
  let sc = brox_sincos2pi(brox_to_unit(w.y) - 0.5);
  return vec2<f32>(r * sc.y, r * sc.x);
}
