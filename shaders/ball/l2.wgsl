// Uniform offset in the Euclidean ball of radius t: t * u^(1/d) * g / ||g||, g ~ N(0, I) by
// Box-Muller. Twin of src/ball/l2.ts. Needs DIM, shaders/rng/threefry.wgsl and shaders/math/trig.wgsl.
// Counter layout (src/rng/counter.ts): (lo, hi * 1024 + slot); slot j < 512 holds normals 2j, 2j+1,
// slot 1023 holds the radius uniform.

fn brox_ball_offset(key: vec2<u32>, lo: u32, hi: u32, t: f32, y: ptr<function, array<f32, DIM>>) {
  let hbase = hi * 1024u;
  var ss = 0.0;
  for (var j = 0u; 2u * j < DIM; j++) {
    let w = brox_threefry2x32(key, vec2<u32>(lo, hbase + j));
    let r = sqrt(-2.0 * log(brox_to_unit(w.x)));
    // angle pi (2 u - 1) = 2 pi (u - 1/2), as in the TS twin
    let sc = brox_sincos2pi(brox_to_unit(w.y) - 0.5);
    let g0 = r * sc.y;
    (*y)[2u * j] = g0;
    ss += g0 * g0;
    if (2u * j + 1u < DIM) {
      let g1 = r * sc.x;
      (*y)[2u * j + 1u] = g1;
      ss += g1 * g1;
    }
  }
  let wr = brox_threefry2x32(key, vec2<u32>(lo, hbase + 1023u));
  let rad = t * pow(brox_to_unit(wr.x), 1.0 / f32(DIM));
  let s = select(0.0, rad / sqrt(ss), ss > 0.0);
  for (var i = 0u; i < DIM; i++) {
    (*y)[i] *= s;
  }
}
