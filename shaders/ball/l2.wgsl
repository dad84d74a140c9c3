// Uniform offset in the Euclidean ball of radius t: t * u^(1/d) * g / ||g||, g ~ N(0, I) by
// Box-Muller. Twin of src/ball/l2.ts. Needs DIM, shaders/rng/threefry.wgsl and shaders/math/trig.wgsl.
// Counter layout (src/rng/counter.ts): (lo, hi * 1024 + slot); slot j < 512 holds normals 2j, 2j+1,
// slot 1023 holds the radius uniform.

// Normals 2j and 2j+1 of a sample (the second is unused when 2j + 1 = DIM).
fn brox_ball_normals(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  let w = brox_threefry2x32(key, vec2<u32>(lo, hi * 1024u + j));
  let r = sqrt(-2.0 * log(brox_to_unit(w.x)));
  // angle pi (2 u - 1) = 2 pi (u - 1/2), as in the TS twin
  let sc = brox_sincos2pi(brox_to_unit(w.y) - 0.5);
  return vec2<f32>(r * sc.y, r * sc.x);
}

// s such that offset_i = s * g_i: t u^(1/d) / ||g|| (0 if g = 0). Draws the normals once.
fn brox_ball_scale(key: vec2<u32>, lo: u32, hi: u32, t: f32) -> f32 {
  var ss = 0.0;
  for (var j = 0u; 2u * j < DIM; j++) {
    let g = brox_ball_normals(key, lo, hi, j);
    ss += g.x * g.x;
    if (2u * j + 1u < DIM) {
      ss += g.y * g.y;
    }
  }
  let wr = brox_threefry2x32(key, vec2<u32>(lo, hi * 1024u + 1023u));
  let rad = t * pow(brox_to_unit(wr.x), 1.0 / f32(DIM));
  return select(0.0, rad / sqrt(ss), ss > 0.0);
}

fn brox_ball_offset(key: vec2<u32>, lo: u32, hi: u32, t: f32, y: ptr<function, array<f32, DIM>>) {
  var ss = 0.0;
  for (var j = 0u; 2u * j < DIM; j++) {
    let g = brox_ball_normals(key, lo, hi, j);
    (*y)[2u * j] = g.x;
    ss += g.x * g.x;
    if (2u * j + 1u < DIM) {
      (*y)[2u * j + 1u] = g.y;
      ss += g.y * g.y;
    }
  }
  let wr = brox_threefry2x32(key, vec2<u32>(lo, hi * 1024u + 1023u));
  let rad = t * pow(brox_to_unit(wr.x), 1.0 / f32(DIM));
  let s = select(0.0, rad / sqrt(ss), ss > 0.0);
  for (var i = 0u; i < DIM; i++) {
    (*y)[i] *= s;
  }
}
