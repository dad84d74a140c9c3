// CEM's tell and stop, GPU twin of `step` in src/methods/cem.ts (the readable reference; de Boer et
// al. 2005, Kroese et al. 2006): the ceil(rho N) best samples (the elites) give the mean and the
// standard deviations, smoothed into mu and s; s goes into the geometry's diagonal map, where the
// next population pass reads it. One workgroup. Float32: where the elites' values cannot be told
// apart in float32 the run halts with BROX_CEM_PRECISION and the host goes on in float64.

// struct BroxCemParams: generated from its layout in TypeScript (src/methods/cem-resident.ts)
@group(0) @binding(8) var<uniform> brox_mp: BroxCemParams;
@group(0) @binding(11) var<storage, read_write> brox_state: array<BroxState>;  // [brox_run]
@group(0) @binding(12) var<storage, read_write> brox_mstate: array<f32>;
@group(0) @binding(13) var<storage, read> brox_popr: array<u32>;
@group(0) @binding(14) var<storage, read_write> brox_geomw: array<f32>;
@group(0) @binding(15) var<storage, read> brox_s0: array<f32>;
@group(0) @binding(16) var<storage, read_write> brox_hist: array<f32>;
// the elites in order (member indices, best first), written by brox_cem_rank
@group(0) @binding(17) var<storage, read_write> brox_order: array<u32>;

// brox_mstate: best_f, t, stop, pad | s[DIM] | best x[DIM]
const CEM_BEST_F = 0u;
const CEM_T = 1u;
const CEM_STOP = 2u;
const CEM_S = 4u;
const CEM_BX = CEM_S + DIM;

// stop codes (src/methods/cem-resident.ts maps them to the reference's names)
const BROX_CEM_TOLX = 1u;
const BROX_CEM_TOLFUN = 2u;
const BROX_CEM_TARGET = 8u;
const BROX_CEM_PRECISION = 9u;

var<workgroup> cem_flag: u32;
var<workgroup> cem_wide: atomic<u32>;  // coordinates whose s is not below tolX s0

// Ranks the population over many workgroups (one member per thread): the elites' order, read by
// the tell dispatch that follows (no limit from one workgroup's memory).
@compute @workgroup_size(WG)
fn brox_cem_rank(@builtin(global_invocation_id) gid: vec3<u32>) {
  cem_rank(gid.x);
}

// Many runs: dispatch (n_pop / WG, runs), run = workgroup row y.
@compute @workgroup_size(WG)
fn brox_cem_rank_runs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  brox_enter_run(wid.y, brox_mp.n_pop);
  cem_rank(gid.x);
}

fn cem_rank(i: u32) {
  if (brox_state[brox_run].halt != 0u || brox_state[brox_run].k >= brox_kend || i >= brox_mp.n_pop) { return; }
  let r = brox_pop_rank(i, brox_mp.n_pop);
  if (r < brox_mp.elites) { brox_order[brox_os + r] = i; }
}

@compute @workgroup_size(WG)
fn brox_cem_tell(@builtin(local_invocation_index) lid: u32) {
  cem_tell(lid);
}

// Many runs (runs.wgsl): one workgroup per run.
@compute @workgroup_size(WG)
fn brox_cem_tell_runs(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  brox_enter_run(wid.x, brox_mp.n_pop);
  cem_tell(lid);
}

fn cem_tell(lid: u32) {
  if (lid == 0u) {
    cem_flag = select(brox_state[brox_run].halt, 1u, brox_state[brox_run].k >= brox_kend);
    atomicStore(&cem_wide, 0u);
  }
  if (workgroupUniformLoad(&cem_flag) != 0u) { return; }
  let n = brox_mp.n_pop;
  let ne = brox_mp.elites;
  // the elites: brox_cem_rank, the dispatch before this one
  let t = brox_mstate[brox_ms + CEM_T] + 1.0;
  // Kroese et al. 2006: beta_t = beta - beta (1 - 1/t)^q (q = 0: constant beta)
  let beta = select(brox_mp.beta, brox_mp.beta - brox_mp.beta * pow(1.0 - 1.0 / t, brox_mp.q), brox_mp.q > 0.0);
  for (var c = lid; c < DIM; c += WG) {
    var em = 0.0;
    for (var e = 0u; e < ne; e++) { em += brox_pop_point(n, brox_order[brox_os + e], c); }
    em /= f32(ne);
    var es = 0.0;
    for (var e = 0u; e < ne; e++) { es += pow(brox_pop_point(n, brox_order[brox_os + e], c) - em, 2.0); }
    es /= f32(ne);
    brox_state[brox_run].center[c] = brox_mp.alpha * em + (1.0 - brox_mp.alpha) * brox_state[brox_run].center[c];
    let s = max(beta * sqrt(es) + (1.0 - beta) * brox_mstate[brox_ms + CEM_S + c], 1e-15 * brox_s0[c]);
    brox_mstate[brox_ms + CEM_S + c] = s;
    brox_geomw[brox_gs + 3u * DIM + c] = s;  // sample_point.wgsl's map (diagonal)
    if (s >= brox_mp.tolx * brox_s0[c]) { atomicAdd(&cem_wide, 1u); }
  }
  storageBarrier();
  workgroupBarrier();
  if (lid == 0u) {
    brox_mstate[brox_ms + CEM_T] = t;
    let f_best = brox_key_value(brox_popr[brox_ps + brox_order[brox_os + 0]]);
    let f_last = brox_key_value(brox_popr[brox_ps + brox_order[brox_os + ne - 1u]]);
    if (f_best < brox_mstate[brox_ms + CEM_BEST_F]) {
      brox_mstate[brox_ms + CEM_BEST_F] = f_best;
      for (var c = 0u; c < DIM; c++) { brox_mstate[brox_ms + CEM_BX + c] = brox_pop_point(n, brox_order[brox_os + 0], c); }
    }
    var ms = 0.0;
    for (var c = 0u; c < DIM; c++) { ms += brox_mstate[brox_ms + CEM_S + c]; }
    let h = (brox_state[brox_run].k - brox_hist_base(brox_mp.hist_base)) * 4u;
    brox_hist[brox_hs + h] = f_best;
    brox_hist[brox_hs + h + 1u] = f_last;
    brox_hist[brox_hs + h + 2u] = ms / f32(DIM);
    brox_hist[brox_hs + h + 3u] = bitcast<f32>(brox_order[brox_os + 0]);
    var stop = 0u;
    if (atomicLoad(&cem_wide) == 0u) {
      stop = BROX_CEM_TOLX;
    } else if (f_last - f_best == 0.0) {
      stop = BROX_CEM_PRECISION;  // a float32 spread of 0 cannot decide a float64 tolerance: hand over
    } else if (f_last - f_best < brox_mp.tolfun) {
      stop = BROX_CEM_TOLFUN;
    }
    if (stop == 0u && brox_mstate[brox_ms + CEM_BEST_F] <= brox_mp.f_target) { stop = BROX_CEM_TARGET; }
    brox_mstate[brox_ms + CEM_STOP] = f32(stop);
    brox_state[brox_run].halt = stop;
    brox_state[brox_run].k = brox_state[brox_run].k + 1u;
  }
}
