// BPM's polished whole-ball step, resident: GPU twin of the polished branch of `step` and of
// learnShape in src/methods/bpm.ts (the readable reference). Per step, for one run:
//   population pass (population.wgsl + bpm-pop.wgsl, its own module): the ball's n samples around
//     the run's centre at radius t, as the step-by-step topk call draws them (call k, round 0);
//   brox_bpm_rank: the order of the kTop best (the elites);
//   brox_bpm_begin: the polish starts at the best sample, the outer centre of its rounds (call k + 1);
//   P times: the engine's argmin pass around the polish centre, then brox_bpm_round: the round's
//     winner (regenerated from its index) moves the polish centre when strictly better, as the
//     oracle's refinement rounds do;
//   brox_bpm_accept: the polished point replaces the centre when it beats f(centre); the learned
//     shape (from the elites, about the old centre) writes the next ball's map into the geometry;
//     then the next radius, restarts and stops (advance()), a history record, and the sampling
//     parameters of the next whole step (staged here, copied into the uniform slices by the host's
//     encoder before that step: the radius lives on the GPU).
// Float32 throughout; the host re-evaluates every accepted centre in float64.

// struct BroxBpmPolishParams: generated from its layout (src/methods/bpm-polish-resident.ts)
@group(0) @binding(8) var<uniform> brox_pp: BroxBpmPolishParams;
// the polish: its centre, RNG call and f at its centre (float32); also what the round's sample
// regeneration centres on
@group(0) @binding(11) var<storage, read_write> brox_pstate: BroxState;
// the run: centre, call counter k, halt, f(centre)
@group(0) @binding(12) var<storage, read_write> brox_rstate: BroxState;
@group(0) @binding(13) var<storage, read> brox_popr: array<u32>;  // keys[n] | points[n * DIM]
// the method state, f32: t, j (steps since the sweep began), restarts, axis, pad[4] | C | 3 scratch
// matrices | the elites' order (member indices as f32)
@group(0) @binding(14) var<storage, read_write> brox_la: array<f32>;
@group(0) @binding(15) var<storage, read_write> brox_geomw: array<f32>;
@group(0) @binding(16) var<storage, read_write> brox_hist: array<u32>;  // per RNG call: f, improved, lo, hi, x[DIM]
// the next whole step's sampling parameters: P polish rounds, then the population pass
struct BroxParamSlot {
  @size(256) p: BroxSampleParams,
}
@group(0) @binding(17) var<storage, read_write> brox_stage: array<BroxParamSlot>;
@group(0) @binding(6) var<storage, read_write> brox_radiiw: array<vec2<f32>>;

const MS_T: u32 = 0u;
const MS_J: u32 = 1u;
const MS_RESTARTS: u32 = 2u;
const MS_AXIS: u32 = 3u;
const MS_C: u32 = 8u;
const MS_A: u32 = MS_C + DIM * DIM;
const MS_B: u32 = MS_A + DIM * DIM;
const MS_D: u32 = MS_B + DIM * DIM;
const MS_ORDER: u32 = MS_D + DIM * DIM;
const BROX_HIST_STRIDE: u32 = 4u + DIM;

var<private> brox_ps: u32 = 0u;  // rank.wgsl: one run, its population at 0

fn brox_center(i: u32) -> f32 {
  return brox_pstate.center[i];
}

fn brox_gbase() -> u32 { return 0u; }

var<workgroup> bpm_flag: u32;
var<workgroup> bpm_tr: f32;

fn bpm_halted(lid: u32) -> bool {
  if (lid == 0u) { bpm_flag = brox_rstate.halt; }
  return workgroupUniformLoad(&bpm_flag) != 0u;
}

// One member per thread: the elites' order, best first (the engine's top-k order).
@compute @workgroup_size(WG)
fn brox_bpm_rank(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (brox_rstate.halt != 0u || i >= brox_pp.n) { return; }
  let r = brox_pop_rank(i, brox_pp.n);
  if (r < brox_pp.elites) { brox_la[MS_ORDER + r] = f32(i); }
}

fn bpm_elite(e: u32) -> u32 {
  return u32(brox_la[MS_ORDER + e]);
}

// The polish starts at the population's best sample (the run's centre when none was feasible, as
// the reference's topk row then holds the centre).
@compute @workgroup_size(1)
fn brox_bpm_begin() {
  brox_pstate.halt = brox_rstate.halt;
  brox_pstate.k = brox_rstate.k + 1u;
  let i0 = bpm_elite(0u);
  let key = brox_popr[i0];
  let n = brox_pp.n;
  for (var c = 0u; c < DIM; c++) {
    let v = select(bitcast<f32>(brox_popr[n + i0 * DIM + c]), brox_rstate.center[c], key == 0xffffffffu);
    brox_pstate.center[c] = v;
    brox_geomw[c] = v;  // the outer centre of the polish rounds
  }
  brox_pstate.fcenter = select(brox_key_value(key), brox_rstate.fcenter, key == 0xffffffffu);
}

// After round r's argmin pass (its uniform slice r bound): the round's winner moves the polish
// centre when strictly better.
@compute @workgroup_size(WG)
fn brox_bpm_round(ids: BroxIds) {
  var best = BROX_NO_BEST;
  for (var i = ids.lid; i < brox_pp.pwg; i += WG) {
    let c = brox_partials[i];
    if (brox_better(c, best)) { best = c; }
  }
  let w = brox_wg_reduce(best, ids);
  if (ids.lid != 0u || brox_pstate.halt != 0u) { return; }
  if (w.key < brox_order_key(brox_pstate.fcenter)) {
    var y: array<f32, DIM>;
    let k = brox_pstate.k;
    if (brox_sample_point(brox_round_key(brox_sparams.seed, k, brox_sparams.round), w.lo, w.hi, brox_radius(k), &y)) {
      for (var c = 0u; c < DIM; c++) { brox_pstate.center[c] = y[c]; }
      brox_pstate.fcenter = brox_key_value(w.key);
    }
  }
}

// learnShape (src/methods/bpm.ts): C <- unitDet((1 - rate) C + rate unitDet(E)), E the elites'
// log-weighted scatter about the centre (+1e-3 tr/d I); then Rn = unitDet(C + reg tr(C)/d I),
// M = Rn^{-1} = Li^T Li (Li = chol(Rn)^{-1}), the ball's map from M's own Cholesky factor L_M
// (mnorm's: A = L_M^{-T}, inverse L_M^T), and the largest semi-axis factor. Each stage that is
// not positive definite stops the update where the reference's returns.
fn bpm_learn(lid: u32) {
  let ne = brox_pp.elites;
  let n = brox_pp.n;
  if (ne < 2u) { return; }
  let lw = log(f32(ne) + 0.5);
  // the lower triangle, mirrored (exactly symmetric, as the reference's)
  for (var idx = lid; idx < DIM * DIM; idx += WG) {
    let i = idx / DIM;
    let j = idx % DIM;
    if (j > i) { continue; }
    var s = 0.0;
    for (var e = 0u; e < ne; e++) {
      let m = bpm_elite(e);
      if (brox_popr[m] == 0xffffffffu) { continue; }  // infeasible: the centre itself
      let w = lw - log(f32(e) + 1.0);
      s += w * (bitcast<f32>(brox_popr[n + m * DIM + i]) - brox_rstate.center[i]) * (bitcast<f32>(brox_popr[n + m * DIM + j]) - brox_rstate.center[j]);
    }
    brox_la[MS_A + idx] = s;
    brox_la[MS_A + j * DIM + i] = s;
  }
  brox_la_sync();
  if (lid == 0u) {
    var tr = 0.0;
    for (var i = 0u; i < DIM; i++) { tr += brox_la[MS_A + i * DIM + i]; }
    bpm_tr = tr;
  }
  let tr = workgroupUniformLoad(&bpm_tr);
  if (!(tr > 0.0 && tr < 3.0e38)) { return; }
  for (var i = lid; i < DIM; i += WG) { brox_la[MS_A + i * DIM + i] += 1e-3 * tr / f32(DIM); }
  brox_la_sync();
  if (!brox_la_unit_det(MS_A, MS_D, lid)) { return; }
  for (var i = lid; i < DIM * DIM; i += WG) { brox_la[MS_B + i] = (1.0 - brox_pp.shape_rate) * brox_la[MS_C + i] + brox_pp.shape_rate * brox_la[MS_A + i]; }
  brox_la_sync();
  if (!brox_la_unit_det(MS_B, MS_D, lid)) { return; }
  for (var i = lid; i < DIM * DIM; i += WG) { brox_la[MS_C + i] = brox_la[MS_B + i]; }
  brox_la_sync();
  if (lid == 0u) {
    var tc = 0.0;
    for (var i = 0u; i < DIM; i++) { tc += brox_la[MS_C + i * DIM + i]; }
    bpm_tr = tc;
  }
  let reg = brox_pp.shape_reg * workgroupUniformLoad(&bpm_tr) / f32(DIM);
  for (var i = lid; i < DIM * DIM; i += WG) { brox_la[MS_A + i] = brox_la[MS_C + i] + select(0.0, reg, i % (DIM + 1u) == 0u); }
  brox_la_sync();
  if (!brox_la_unit_det(MS_A, MS_D, lid)) { return; }
  // A = Rn; its factor is D scaled by sqrt of the same determinant factor: factor Rn itself
  if (!brox_la_chol(MS_A, MS_D, lid)) { return; }
  brox_la_inv_lower(MS_D, MS_B, lid);  // B = Li
  // the largest semi-axis factor of Rn (trace and Gershgorin bounds), before A is overwritten
  if (lid == 0u) {
    var trace = 0.0;
    var gersh = 0.0;
    for (var i = 0u; i < DIM; i++) {
      trace += brox_la[MS_A + i * DIM + i];
      var r = 0.0;
      for (var j = 0u; j < DIM; j++) { r += abs(brox_la[MS_A + i * DIM + j]); }
      gersh = max(gersh, r);
    }
    bpm_tr = sqrt(min(trace, gersh)) * (1.0 + 1e-7);
  }
  brox_la_sync();
  // A = M = Li^T Li
  for (var idx = lid; idx < DIM * DIM; idx += WG) {
    let i = idx / DIM;
    let j = idx % DIM;
    var s = 0.0;
    for (var m = max(i, j); m < DIM; m++) { s += brox_la[MS_B + m * DIM + i] * brox_la[MS_B + m * DIM + j]; }
    brox_la[MS_A + idx] = s;
  }
  brox_la_sync();
  if (!brox_la_chol(MS_A, MS_D, lid)) { return; }  // D = L_M
  brox_la_inv_lower(MS_D, MS_B, lid);  // B = L_M^{-1}
  let map = 3u * DIM;
  for (var idx = lid; idx < DIM * DIM; idx += WG) {
    let i = idx / DIM;
    let j = idx % DIM;
    brox_geomw[map + idx] = brox_la[MS_B + j * DIM + i];  // A = L_M^{-T}
    brox_geomw[map + DIM * DIM + idx] = brox_la[MS_D + j * DIM + i];  // its inverse L_M^T
  }
  let ax = workgroupUniformLoad(&bpm_tr);
  if (lid == 0u) { brox_la[MS_AXIS] = ax; }
}

// The sampling parameters of the next whole step: its polish call is the run's call `gap + 1`
// calls ahead (gap: the coordinate steps in between); round r's k_base is chosen so that
// brox_radius(call) reads radii[r] = t * polishShrink * shrink^r.
fn bpm_stage(gap: u32) {
  let t = brox_la[MS_T];
  let tp = t * brox_pp.pshrink;
  let pk = brox_rstate.k + gap + 1u;
  let big = 3.4e38;
  var rad = tp;
  for (var r = 0u; r < brox_pp.rounds; r++) {
    brox_stage[r].p = BroxSampleParams(brox_pp.seed, brox_pp.ps, 0u, 0u, 0u, pk - r, r, brox_pp.bounded, select(big, tp, brox_pp.ball != 0u), 0u, 0u, 0u);
    brox_radiiw[r] = vec2<f32>(rad, 1.0);
    rad *= brox_pp.pshrink;
  }
  brox_stage[brox_pp.rounds].p = BroxSampleParams(brox_pp.seed, brox_pp.n, 0u, 0u, 0u, 0u, 0u, brox_pp.bounded, select(big, t, brox_pp.ball != 0u), 0u, 0u, 0u);
}

// The first whole step of a batch (gap: its calls ahead of the run's).
@compute @workgroup_size(1)
fn brox_bpm_stage() {
  bpm_stage(brox_pp.gap0);
}

@compute @workgroup_size(WG)
fn brox_bpm_accept(@builtin(local_invocation_index) lid: u32) {
  if (bpm_halted(lid)) { return; }
  let axis = brox_la[MS_AXIS];  // the ball of this step: its shape before the update
  brox_la_sync();
  if (brox_pp.learned != 0u) { bpm_learn(lid); }
  brox_la_sync();
  if (lid != 0u) { return; }
  let p = brox_pp;
  let k = brox_rstate.k;
  let h = (k - p.hist_base) * BROX_HIST_STRIDE;
  let fold = brox_rstate.fcenter;
  let improved = brox_order_key(brox_pstate.fcenter) < brox_order_key(fold);
  if (improved) {
    for (var c = 0u; c < DIM; c++) { brox_rstate.center[c] = brox_pstate.center[c]; }
    brox_rstate.fcenter = brox_pstate.fcenter;
  }
  let fnew = brox_rstate.fcenter;
  // advance() / nextRadius() / atFloor()
  let t = brox_la[MS_T];
  let j = brox_la[MS_J];
  var nt = t;
  if (p.schedule == 1u) {
    nt = max(p.t_min, p.t0 * pow(p.decay, j + 1.0));
  } else if (p.schedule == 2u) {
    nt = select(max(p.t_min, t * p.shrink_by), min(p.t0, t * p.grow_by), improved);
  }
  let floor = p.schedule == 0u || (t <= p.t_min && nt <= p.t_min);
  var stop = 0u;
  var restarted = 0u;
  var jn = j + 1.0 + f32(p.gap);
  if (improved && fnew <= p.f_target) {
    stop = 2u;
  } else if (improved && p.ftol > 0.0 && fold - fnew <= p.ftol * max(max(abs(fold), abs(fnew)), 1.0)) {
    stop = 3u;
  } else if (!improved && floor) {
    if (p.restart_here != 0u) {
      // a mixed ball's whole-ball sweep starts again at t0 around the same point (the host re-checks the budget)
      nt = p.t0;
      jn = f32(p.gap);
      restarted = 1u;
      brox_la[MS_RESTARTS] += 1.0;
    } else {
      stop = 1u;
    }
  }
  brox_hist[h] = bitcast<u32>(fnew);
  brox_hist[h + 1u] = select(0u, 1u, improved);
  let i0 = bpm_elite(0u);
  brox_hist[h + 2u] = select(0xffffffffu, i0, improved);
  brox_hist[h + 3u] = select(0xffffffffu, 0u, improved);
  for (var c = 0u; c < DIM; c++) { brox_hist[h + 4u + c] = bitcast<u32>(brox_rstate.center[c]); }
  // the step's second call's record: the radius and shape factor it used, the restart, and the
  // polished point and its float32 value (the host re-checks a kept centre against them)
  let h2 = h + BROX_HIST_STRIDE;
  brox_hist[h2] = bitcast<u32>(t);
  brox_hist[h2 + 1u] = bitcast<u32>(axis);
  brox_hist[h2 + 2u] = restarted;
  brox_hist[h2 + 3u] = bitcast<u32>(brox_pstate.fcenter);
  for (var c = 0u; c < DIM; c++) { brox_hist[h2 + 4u + c] = bitcast<u32>(brox_pstate.center[c]); }
  brox_la[MS_T] = nt;
  brox_la[MS_J] = jn;
  brox_rstate.halt = stop;
  brox_rstate.k = k + 2u;
  bpm_stage(p.gap);
}
