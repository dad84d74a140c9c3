// The one place a sample becomes a point: unit offset (the sampler) -> linear map -> scale t ->
// add the centre -> into the call's ball (refinement rounds) -> fold into the bounds. Twin of
// samplePoint in src/samplers/point.ts. Needs DIM, BROX_MAP (0 none, 1 diag, 2 full),
// BROX_BALL (the sampler has a ball), the sampler, the bindings below, and brox_center(i): the
// round's centre, defined by the kernel that includes this file (read-only state in the sample
// passes, read-write state in a resident loop).


// geom[0..DIM) outer centre | [DIM..2 DIM) lo | [2 DIM..3 DIM) hi | map A | map inverse (ball norm)
@group(0) @binding(5) var<storage, read> brox_geom: array<f32>;  // from brox_gbase(): 0, or a fused run's

const BROX_MAP_LEN: u32 = select(select(0u, DIM, BROX_MAP == 1u), DIM * DIM, BROX_MAP == 2u);
const BROX_GEOM_MAP: u32 = 3u * DIM;
const BROX_GEOM_INV: u32 = 3u * DIM + BROX_MAP_LEN;

fn brox_round_key(seed: u32, call: u32, round: u32) -> vec2<u32> {
  if (round == 0u) { return vec2<u32>(seed, call); }
  return brox_threefry2x32(vec2<u32>(seed, call), vec2<u32>(round, 0x726f756eu));
}

fn brox_apply_map(v: ptr<function, array<f32, DIM>>, base: u32) {
  if (BROX_MAP == 1u) {
    for (var i = 0u; i < DIM; i++) { (*v)[i] *= brox_geom[brox_gbase() + base + i]; }
  } else if (BROX_MAP == 2u) {
    var w: array<f32, DIM>;
    for (var i = 0u; i < DIM; i++) {
      var s = 0.0;
      for (var j = 0u; j < DIM; j++) { s += brox_geom[brox_gbase() + base + i * DIM + j] * (*v)[j]; }
      w[i] = s;
    }
    *v = w;
  }
}

// The ball's norm of an offset already divided by the radius.
fn brox_offset_norm(v: array<f32, DIM>) -> f32 {
  var w = v;
  brox_apply_map(&w, BROX_GEOM_INV);
  return brox_sampler_norm(&w);
}

fn brox_fold(v: f32, lo: f32, hi: f32) -> f32 {
  if (v >= lo && v <= hi) { return v; }
  let w = hi - lo;
  var u = (v - lo) - 2.0 * w * floor((v - lo) / (2.0 * w));
  let r = select(hi - (u - w), lo + u, u <= w);
  return clamp(r, lo, hi);
}

// Writes sample (lo, hi) of this round into y; false: infeasible, do not evaluate.
fn brox_sample_point(key: vec2<u32>, lo: u32, hi: u32, t: f32, y: ptr<function, array<f32, DIM>>) -> bool {
  brox_sampler_unit(key, lo, hi, y);
  brox_apply_map(y, BROX_GEOM_MAP);
  for (var i = 0u; i < DIM; i++) { (*y)[i] = brox_center(i) + t * (*y)[i]; }
  for (var i = 0u; i < DIM; i++) {
    if ((bitcast<u32>((*y)[i]) & 0x7f800000u) == 0x7f800000u) { return false; }  // overflowed: never evaluated
  }
  if (BROX_BALL && brox_sparams.round > 0u) {
    var v: array<f32, DIM>;
    for (var i = 0u; i < DIM; i++) { v[i] = ((*y)[i] - brox_geom[brox_gbase() + i]) / brox_sparams.t_outer; }
    let n = brox_offset_norm(v);
    if (n > 1.0) {
      for (var i = 0u; i < DIM; i++) { (*y)[i] = brox_geom[brox_gbase() + i] + brox_sparams.t_outer * v[i] / n; }
    }
  }
  if (brox_sparams.bounded != 0u) {
    for (var i = 0u; i < DIM; i++) { (*y)[i] = brox_fold((*y)[i], brox_geom[brox_gbase() + DIM + i], brox_geom[brox_gbase() + 2u * DIM + i]); }
    if (BROX_BALL && BROX_MAP == 2u) {
      // the call's ball; at round 0 the round's own (centre, t), as every call's is (point.ts)
      let r0 = brox_sparams.round == 0u;
      let to = select(brox_sparams.t_outer, t, r0);
      var v: array<f32, DIM>;
      for (var i = 0u; i < DIM; i++) { v[i] = ((*y)[i] - select(brox_geom[brox_gbase() + i], brox_center(i), r0)) / to; }
      if (brox_offset_norm(v) > 1.0 + 1e-5) { return false; }
    }
  }
  return true;
}
