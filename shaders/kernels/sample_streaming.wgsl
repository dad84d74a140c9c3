// Pass 1, streaming variant: no private array of DIM floats (which spills to local memory at
// large d). Pass A draws the normals only to get ||g||; pass B draws them again (same counters,
// same values) and feeds y_i = c_i + s g_i straight into objective_term. Twice the RNG work, no
// per-thread storage. Needs an objective in streaming form and the ball's pair generator.

@compute @workgroup_size(WG)
fn sample_streaming_main(ids: BroxIds) {
  let step = brox_step();
  var best = BROX_NO_BEST;
  for (var i = ids.gid.x; i < step.count; i += ids.nwg.x * WG) {
    let ix = brox_sample_index(i);
    let s = brox_ball_scale(step.key, ix.x, ix.y, step.t);
    var acc = objective_init();
    for (var j = 0u; 2u * j < DIM; j++) {
      let g = brox_ball_normals(step.key, ix.x, ix.y, j);
      objective_term(&acc, 2u * j, cstate.center[2u * j] + s * g.x);
      if (2u * j + 1u < DIM) {
        objective_term(&acc, 2u * j + 1u, cstate.center[2u * j + 1u] + s * g.y);
      }
    }
    let cand = Best(brox_order_key(objective_finish(acc)), ix.x, ix.y, 0u);
    if (brox_better(cand, best)) {
      best = cand;
    }
  }
  brox_finish_pass(best, ids);
}
