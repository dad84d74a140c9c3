// The lean generator (src/rng/lean.ts is its twin; docs/generators.md counts the operations):
// Threefry-2x32-13 words (13 rounds pass TestU01's BigCrush, Salmon et al. SC'11 Table 2),
// Box-Muller whose angle comes straight from the bits -- quarter turn from the top two bits, the
// angle inside it from the next 23, rotated with selects and sign flips: no round(), no branch
// that diverges -- and a norm pass that needs one log per sample, not one per pair.
// Needs threefry.wgsl (brox_tf_rounds12, brox_to_unit).

fn brox_threefry2x32_13(key: vec2<u32>, ctr: vec2<u32>) -> vec2<u32> {
  let v = brox_tf_rounds12(key, ctr);
  let x0 = v.x + v.y;  // round 13, rotation 17; no key injection after it
  return vec2<u32>(x0, ((v.y << 17u) | (v.y >> 15u)) ^ x0);
}

fn brox_sample_words(key: vec2<u32>, lo: u32, hi: u32, slot: u32) -> vec2<u32> {
  return brox_threefry2x32_13(key, vec2<u32>(lo, hi * 1024u + slot));
}

// (sin a, cos a) of a = (q + f) pi/2: q = top two bits, f in (-1/2, 1/2) from the next 23 bits,
// so a is uniform on a full turn. Taylor polynomials on |z| <= pi/4 (truncation < 3e-8).
fn brox_lean_sincos(bits: u32) -> vec2<f32> {
  let z = (f32((bits >> 7u) & 0x7fffffu) * 1.1920928955078125e-7 - 0.49999994039535522) * 1.5707963267948966;
  let z2 = z * z;
  let s = z * (1.0 + z2 * (-1.6666666666666666e-1 + z2 * (8.333333333333333e-3 + z2 * (-1.984126984126984e-4 + z2 * 2.7557319223985893e-6))));
  let c = 1.0 + z2 * (-0.5 + z2 * (4.1666666666666664e-2 + z2 * (-1.388888888888889e-3 + z2 * 2.48015873015873e-5)));
  let q = bits >> 30u;
  let odd = (q & 1u) == 1u;
  // rotate by q quarter turns: swap on odd q, then sin < 0 for q in {2, 3}, cos < 0 for q in {1, 2}
  let sv = bitcast<f32>(bitcast<u32>(select(s, c, odd)) ^ ((q >> 1u) << 31u));
  let cv = bitcast<f32>(bitcast<u32>(select(c, s, odd)) ^ (((q ^ (q >> 1u)) & 1u) << 31u));
  return vec2<f32>(sv, cv);
}

fn brox_normal_pair(key: vec2<u32>, lo: u32, hi: u32, j: u32) -> vec2<f32> {
  let w = brox_sample_words(key, lo, hi, j);
  let r = sqrt(-2.0 * log(brox_to_unit(w.x)));
  let sc = brox_lean_sincos(w.y);
  return vec2<f32>(r * sc.y, r * sc.x);
}

// Sum of squares of the DIM normals: a whole pair contributes r^2 = -2 ln u, so the sum is
// -2 ln(prod u); the product is kept in [1/2, 1) by frexp (no underflow at any DIM). An odd DIM's
// last coordinate is r cos a alone.
fn brox_normal_sumsq(key: vec2<u32>, lo: u32, hi: u32) -> f32 {
  var m = 1.0;
  var e = 0i;
  for (var j = 0u; j < DIM / 2u; j++) {
    let fr = frexp(m * brox_to_unit(brox_sample_words(key, lo, hi, j).x));
    m = fr.fract;
    e += fr.exp;
  }
  var ss = -2.0 * (log(m) + f32(e) * 0.69314718055994531);
  if (DIM % 2u == 1u) {
    let g = brox_normal_pair(key, lo, hi, DIM / 2u);
    ss += g.x * g.x;
  }
  return ss;
}
