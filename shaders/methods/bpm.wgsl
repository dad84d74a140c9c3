// GPU-resident BPM (a method, not the engine): after each argmin sample pass, brox_bpm_update
// reduces the partial bests, moves the centre to the winner (regenerated from its index) when it
// beats f(centre), records the step in the history, applies the stopping rules and advances k.
// Many steps run per queue submission with one readback per batch. Float32 throughout; the host
// re-evaluates history points in float64. Composed with the engine's best/argmin-reduce chunks.

// struct BroxBpmParams: generated from its layout in TypeScript (src/engine/layouts.ts)
@group(0) @binding(8) var<uniform> brox_bparams: BroxBpmParams;
@group(0) @binding(11) var<storage, read_write> brox_state: BroxState;
@group(0) @binding(12) var<storage, read_write> brox_history: array<u32>;  // per step: f, improved, lo, hi, x[DIM]
// the adaptive schedule's next radius and whether a failure there is final, as radii[] holds them:
// the host copies it into the radii buffer before the next step's sample pass (the sampling
// chunks read radii[] read-only, so this kernel cannot write it in place)
@group(0) @binding(13) var<storage, read_write> brox_bnext: array<f32>;
// coordinate steps (ball 'coord'): each coordinate's radius (f32 bits, [0, DIM)), then the coordinate
// of each step of the batch ([DIM, DIM + K + 1): the host lays them out ahead, nextCoord in
// src/methods/bpm.ts). One buffer: the entry stays within 8 storage buffers, WebGPU's default limit.
@group(0) @binding(14) var<storage, read_write> brox_coord: array<u32>;

fn brox_tc(i: u32) -> f32 {
  return bitcast<f32>(brox_coord[i]);
}

const BROX_HIST_STRIDE: u32 = 4u + DIM;

fn brox_center(i: u32) -> f32 {
  return brox_state.center[i];
}

fn brox_gbase() -> u32 { return 0u; }

@compute @workgroup_size(1)
fn brox_bpm_init() {
  var y: array<f32, DIM>;
  for (var c = 0u; c < DIM; c++) {
    y[c] = brox_state.center[c];
  }
  brox_state.fcenter = brox_key_value(brox_order_key(objective(&y)));  // NaN -> +inf
  brox_state.halt = 0u;
}

fn brox_bpm_reduce(ids: BroxIds) -> BroxBest {
  var best = BROX_NO_BEST;
  for (var i = ids.lid; i < brox_bparams.n; i += WG) {
    let c = brox_partials[i];
    if (brox_better(c, best)) {
      best = c;
    }
  }
  return brox_wg_reduce(best, ids);
}

// Step k's verdict (both kinds of step): the centre moves to the winner w (regenerated from its
// index) when it beats f(centre); the step's history record is written. True when it moved.
fn brox_bpm_accept(w: BroxBest, k: u32) -> bool {
  let improved = w.key < brox_order_key(brox_state.fcenter);
  if (improved) {
    var y: array<f32, DIM>;
    // same function, same arithmetic as the sample pass
    let ok = brox_sample_point(brox_round_key(brox_sparams.seed, k, 0u), w.lo, w.hi, brox_radius(k), &y);
    for (var c = 0u; c < DIM; c++) {
      brox_state.center[c] = y[c];
    }
    brox_state.fcenter = brox_key_value(w.key);
  }
  let h = (k - brox_bparams.hist_base) * BROX_HIST_STRIDE;
  brox_history[h] = bitcast<u32>(brox_state.fcenter);
  brox_history[h + 1u] = select(0u, 1u, improved);
  brox_history[h + 2u] = w.lo;
  brox_history[h + 3u] = w.hi;
  for (var c = 0u; c < DIM; c++) {
    brox_history[h + 4u + c] = bitcast<u32>(brox_state.center[c]);
  }
  return improved;
}

// A whole-ball step (advance() in src/methods/bpm.ts).
@compute @workgroup_size(WG)
fn brox_bpm_update(ids: BroxIds) {
  let w = brox_bpm_reduce(ids);
  if (ids.lid != 0u || brox_state.halt != 0u) {
    return;
  }
  let k = brox_state.k;
  let fold = brox_state.fcenter;
  let improved = brox_bpm_accept(w, k);
  let fnew = brox_state.fcenter;
  if (brox_bparams.adaptive != 0u) {
    // nextRadius() of src/methods/bpm.ts, adaptive: grow after a success, shrink after a failure;
    // a failure at radius t is final once t is at the floor
    let t = brox_radius(k);
    let nt = select(max(brox_bparams.t_min, t * brox_bparams.shrink_by), min(brox_bparams.t0, t * brox_bparams.grow_by), improved);
    brox_bnext[0] = nt;
    brox_bnext[1] = select(0.0, 1.0, nt > brox_bparams.t_min);
  }
  var stop = 0u;
  if (!improved) {
    // a fixed point only counts once the radius has stopped shrinking (decay schedules go on)
    stop = select(0u, 1u, brox_radii[k - brox_sparams.k_base].y == 0.0);
  } else if (fnew <= brox_bparams.f_target) {
    stop = 2u;
  } else if (brox_bparams.ftol > 0.0 && fold - fnew <= brox_bparams.ftol * max(max(abs(fold), abs(fnew)), 1.0)) {
    stop = 3u;
  }
  brox_state.halt = stop;
  brox_state.k = k + 1u;
}

// A step in one coordinate's ball (coordAdvance() in src/methods/bpm.ts): that coordinate's radius
// grows on success, halves on failure, or starts again at its maximum from the floor (cycle); a
// failure with every radius at the floor ends the sweep (the host restarts or stops). The next
// step's radius is its coordinate's, copied into radii[] between passes as the adaptive one is.
@compute @workgroup_size(WG)
fn brox_bpm_coord_update(ids: BroxIds) {
  let w = brox_bpm_reduce(ids);
  if (ids.lid != 0u || brox_state.halt != 0u) {
    return;
  }
  let k = brox_state.k;
  let j = k - brox_bparams.hist_base;
  let improved = brox_bpm_accept(w, k);
  let p = brox_bparams;
  var all = true;
  for (var i = 0u; i < DIM; i++) {
    if (brox_tc(i) > p.c_min) { all = false; }
  }
  let c = brox_coord[DIM + j];
  let t = brox_tc(c);
  var nt = max(p.c_min, t * p.c_shrink);
  if (!improved && t <= p.c_min && p.cycle != 0u) {
    nt = p.c_max;
  } else if (improved) {
    nt = min(p.c_max, t * p.c_grow);
  }
  brox_coord[c] = bitcast<u32>(nt);
  brox_bnext[0] = brox_tc(brox_coord[DIM + j + 1u]);
  brox_bnext[1] = 1.0;
  var stop = 0u;
  if (!improved && all) {
    stop = 1u;
  } else if (improved && brox_state.fcenter <= p.f_target) {
    stop = 2u;
  }
  brox_state.halt = stop;
  brox_state.k = k + 1u;
}
