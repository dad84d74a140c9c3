// Argmin pass 1, streaming form: no private array of DIM floats (which spills to memory at large
// d). The sampler's scale and coordinate pairs feed y_i = c_i + t * scale * a_i * pair_i straight
// into objective_term (a_i: a diagonal map, or 1). Only for round 0 of samplers with the streaming
// form and no full map; the bounds fold is per coordinate, so it applies here too.

fn brox_stream_coord(i: u32, v: f32) -> f32 {
  var y = brox_center(i) + v * select(1.0, brox_geom[BROX_GEOM_MAP + i], BROX_MAP == 1u);
  if (brox_sparams.bounded != 0u) {
    y = brox_fold(y, brox_geom[DIM + i], brox_geom[2u * DIM + i]);
  }
  return y;
}

@compute @workgroup_size(WG)
fn brox_argmin_streaming_pass(ids: BroxIds) {
  let step = brox_step();
  var best = BROX_NO_BEST;
  for (var i = ids.gid.x; i < step.count; i += ids.nwg.x * WG) {
    let ix = brox_sample_index(i);
    let s = step.t * brox_sampler_scale(step.key, ix.x, ix.y);
    var acc = objective_init();
    for (var j = 0u; 2u * j < DIM; j++) {
      let g = brox_sampler_pair(step.key, ix.x, ix.y, j);
      objective_term(&acc, 2u * j, brox_stream_coord(2u * j, s * g.x));
      if (2u * j + 1u < DIM) {
        objective_term(&acc, 2u * j + 1u, brox_stream_coord(2u * j + 1u, s * g.y));
      }
    }
    let cand = BroxBest(brox_order_key(objective_finish(acc)), ix.x, ix.y, 0u);
    if (brox_better(cand, best)) {
      best = cand;
    }
  }
  brox_finish_pass(best, ids);
}
