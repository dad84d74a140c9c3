// Pass 1, streaming variant: no private array of DIM floats (which spills to local memory at
// large d). Pass A draws the normals only to get ||g||; pass B draws them again (same counters,
// same values) and feeds y_i = c_i + s g_i straight into objective_term. Twice the RNG work, no
// per-thread storage. Needs an objective in streaming form and the ball's pair generator.

@compute @workgroup_size(WG)
fn sample_streaming_main(ids: BroxIds) {
  var best = BROX_NO_BEST;
  let k = cstate.k;
  let key = vec2<u32>(sparams.seed, k);
  let t = brox_radius(k);
  let count = select(sparams.count, 0u, cstate.stopped != 0u);
  let stride = ids.nwg.x * WG;
  for (var i = ids.gid.x; i < count; i += stride) {
    let lo = sparams.base.x + i;
    let hi = sparams.base.y + select(0u, 1u, lo < i);
    let s = brox_ball_scale(key, lo, hi, t);
    var acc = objective_init();
    for (var j = 0u; 2u * j < DIM; j++) {
      let g = brox_ball_normals(key, lo, hi, j);
      objective_term(&acc, 2u * j, cstate.center[2u * j] + s * g.x);
      if (2u * j + 1u < DIM) {
        objective_term(&acc, 2u * j + 1u, cstate.center[2u * j + 1u] + s * g.y);
      }
    }
    let cand = Best(brox_order_key(objective_finish(acc)), lo, hi, 0u);
    if (brox_better(cand, best)) {
      best = cand;
    }
  }
  let w = brox_wg_reduce(best, ids);
  if (ids.lid == 0u) {
    partials[sparams.partial_offset + ids.wid.x] = w;
  }
}
