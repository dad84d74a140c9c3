// GPU-resident BPM: after each sample pass, bpm_update reduces the partial bests, moves the centre
// to the winner (regenerated from its index) when it beats f(centre), records the step in
// `history`, applies the stopping rules and advances k. Many steps run per queue submission with
// one readback per batch. Float32 throughout; the host re-evaluates history points in float64.

@group(0) @binding(5) var<storage, read_write> history: array<u32>;  // per step: f, improved, lo, hi, x[DIM]

const BROX_HIST_STRIDE: u32 = 4u + DIM;

@compute @workgroup_size(1)
fn bpm_init() {
  var y: array<f32, DIM>;
  for (var c = 0u; c < DIM; c++) {
    y[c] = state.center[c];
  }
  state.fcenter = brox_key_value(brox_order_key(objective(&y)));  // NaN -> +inf
  state.stopped = 0u;
}

@compute @workgroup_size(WG)
fn bpm_update(ids: BroxIds) {
  let w = brox_reduce_partials(ids);
  if (ids.lid != 0u || state.stopped != 0u) {
    return;
  }
  let k = state.k;
  let fold = state.fcenter;
  let improved = w.key < brox_order_key(fold);
  var fnew = fold;
  if (improved) {
    var y: array<f32, DIM>;
    brox_ball_offset(vec2<u32>(sparams.seed, k), w.lo, w.hi, brox_radius(k), &y);
    for (var c = 0u; c < DIM; c++) {
      state.center[c] = y[c] + state.center[c];  // same arithmetic as the sample pass
    }
    fnew = brox_key_value(w.key);
    state.fcenter = fnew;
  }
  let h = (k - rparams.hist_base) * BROX_HIST_STRIDE;
  history[h] = bitcast<u32>(fnew);
  history[h + 1u] = select(0u, 1u, improved);
  history[h + 2u] = w.lo;
  history[h + 3u] = w.hi;
  for (var c = 0u; c < DIM; c++) {
    history[h + 4u + c] = bitcast<u32>(state.center[c]);
  }
  var stop = 0u;
  if (!improved) {
    // a fixed point only counts once the radius has stopped shrinking (decay schedules go on)
    stop = select(0u, 1u, radii[k - sparams.k_base].y == 0.0);
  } else if (fnew <= rparams.f_target) {
    stop = 2u;
  } else if (rparams.ftol > 0.0 && fold - fnew <= rparams.ftol * max(max(abs(fold), abs(fnew)), 1.0)) {
    stop = 3u;
  }
  state.stopped = stop;
  state.k = k + 1u;
}
