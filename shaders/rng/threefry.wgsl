// Threefry-2x32-20 (and the rounds lean.wgsl's 13-round form shares), bit-identical twin of src/rng/threefry.ts.
// Counter-based: the words for (key, counter) are a pure function, so any sample can be
// regenerated from its index and nothing needs to be stored.

fn brox_rotl(x: u32, s: u32) -> u32 {
  return (x << s) | (x >> (32u - s));
}

// Four rounds with rotations a,b,c,d.
fn brox_tf_rounds(v: vec2<u32>, a: u32, b: u32, c: u32, d: u32) -> vec2<u32> {
  var x0 = v.x; var x1 = v.y;
  x0 += x1; x1 = brox_rotl(x1, a) ^ x0;
  x0 += x1; x1 = brox_rotl(x1, b) ^ x0;
  x0 += x1; x1 = brox_rotl(x1, c) ^ x0;
  x0 += x1; x1 = brox_rotl(x1, d) ^ x0;
  return vec2<u32>(x0, x1);
}

// Rounds 1-12 with the key injections after rounds 4, 8 and 12: shared by the 20-round form
// below and the 13-round one of shaders/rng/lean.wgsl.
fn brox_tf_rounds12(key: vec2<u32>, ctr: vec2<u32>) -> vec2<u32> {
  let k2 = 0x1bd11bdau ^ key.x ^ key.y;
  var v = ctr + key;
  v = brox_tf_rounds(v, 13u, 15u, 26u, 6u);  v += vec2<u32>(key.y, k2 + 1u);
  v = brox_tf_rounds(v, 17u, 29u, 16u, 24u); v += vec2<u32>(k2, key.x + 2u);
  v = brox_tf_rounds(v, 13u, 15u, 26u, 6u);  v += vec2<u32>(key.x, key.y + 3u);
  return v;
}

fn brox_threefry2x32(key: vec2<u32>, ctr: vec2<u32>) -> vec2<u32> {
  let k2 = 0x1bd11bdau ^ key.x ^ key.y;
  var v = brox_tf_rounds12(key, ctr);
  v = brox_tf_rounds(v, 17u, 29u, 16u, 24u); v += vec2<u32>(key.y, k2 + 4u);
  v = brox_tf_rounds(v, 13u, 15u, 26u, 6u);  v += vec2<u32>(k2, key.x + 5u);
  return v;
}

// u32 -> f32 in (0, 1): odd multiples of 2^-24, exact in f32, never 0 or 1.
fn brox_to_unit(bits: u32) -> f32 {
  return f32(bits >> 9u) * 1.1920928955078125e-7 + 5.9604644775390625e-8;
}
