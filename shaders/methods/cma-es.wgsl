// CMA-ES's tell and stop, GPU twin of `tell` / `stopRule` in src/methods/cma-es.ts (the readable
// reference; equation numbers are Hansen's tutorial, arXiv:1604.00772, as there). One workgroup
// per run: rank the population's keys, move the mean, update the paths, C and sigma, apply the
// stopping rules, and decompose C lazily (parallel Jacobi, shaders/math/jacobi.wgsl) into the
// sampler's factor B D (written into the geometry, where the population pass reads it). Float32:
// where float32 cannot decide what float64 would (NoEffectAxis / NoEffectCoord, cond(C) past
// float32's resolution) the run halts with BROX_CMA_PRECISION and the host goes on in float64.

// struct BroxCmaParams: generated from its layout in TypeScript (src/methods/cma-es-resident.ts)
@group(0) @binding(8) var<uniform> brox_mp: BroxCmaParams;
@group(0) @binding(11) var<storage, read_write> brox_state: array<BroxState>;  // [brox_run]
@group(0) @binding(12) var<storage, read_write> brox_mstate: array<f32>;
@group(0) @binding(13) var<storage, read> brox_popr: array<u32>;
@group(0) @binding(14) var<storage, read_write> brox_geomw: array<f32>;
@group(0) @binding(15) var<storage, read> brox_weights: array<f32>;
@group(0) @binding(16) var<storage, read_write> brox_hist: array<f32>;
// the population's order (member indices, best first; ranks < mu only), written by brox_cma_rank
@group(0) @binding(17) var<storage, read_write> brox_order: array<u32>;

// brox_mstate: header (sigma, gen, eigen_gen, best_f, stop, ring count, ring position, sweeps) | C | B | D | p_c | p_sigma | best x | Jacobi work | product scratch | ring of best values
const CMA_SIGMA = 0u;
const CMA_GEN = 1u;
const CMA_EIGEN_GEN = 2u;
const CMA_BEST_F = 3u;
const CMA_STOP = 4u;
const CMA_RING_N = 5u;
const CMA_RING_POS = 6u;
const CMA_SWEEPS = 7u;
const CMA_C = 16u;
const CMA_B = CMA_C + DIM * DIM;
const CMA_D = CMA_B + DIM * DIM;
const CMA_PC = CMA_D + DIM;
const CMA_PS = CMA_PC + DIM;
const CMA_BX = CMA_PS + DIM;
const BROX_JAC_A = CMA_BX + DIM;
const BROX_JAC_V = CMA_B;
const CMA_T = BROX_JAC_A + DIM * DIM;
const CMA_RING = CMA_T + DIM * DIM;
const BROX_GEOM_FACTOR = 3u * DIM;  // sample_point.wgsl's map offset

// stop codes (src/methods/cma-es-resident.ts maps them to the reference's names)
const BROX_CMA_TOLFUN = 1u;
const BROX_CMA_EQUALFUNVALS = 2u;
const BROX_CMA_TOLX = 3u;
const BROX_CMA_TOLXUP = 4u;
const BROX_CMA_CONDITION = 5u;
const BROX_CMA_TARGET = 8u;
const BROX_CMA_PRECISION = 9u;

var<workgroup> cma_m: array<f32, DIM>;
var<workgroup> cma_yw: array<f32, DIM>;
var<workgroup> cma_t: array<f32, DIM>;
var<workgroup> cma_sum: array<f32, 1024>;
var<workgroup> cma_flag: u32;

fn cma_key_f(k: u32) -> f32 {
  return brox_key_value(k);
}

fn cma_point(i: u32, c: u32) -> f32 {
  return brox_pop_point(brox_mp.lambda, i, c);
}

// sum over the workgroup of one value per thread (uniform control flow)
fn cma_wg_sum(v: f32, lid: u32) -> f32 {
  cma_sum[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { cma_sum[lid] += cma_sum[lid + s]; }
    workgroupBarrier();
  }
  let r = cma_sum[0];
  workgroupBarrier();
  return r;
}

fn cma_max_abs_diag_ratio() -> vec2<f32> {
  var dmax = 0.0;
  var dmin = 3.4e38;
  for (var i = 0u; i < DIM; i++) {
    dmax = max(dmax, brox_mstate[brox_ms + CMA_D + i]);
    dmin = min(dmin, brox_mstate[brox_ms + CMA_D + i]);
  }
  return vec2<f32>(dmax, dmin);
}

// Ranks the population over many workgroups (one member per thread; O(lambda) each), so lambda
// is not bounded by one workgroup's memory: the tell dispatch that follows reads brox_order.
fn cma_rank(i: u32) {
  if (brox_state[brox_run].halt != 0u || brox_state[brox_run].k >= brox_kend || i >= brox_mp.lambda) { return; }
  let r = brox_pop_rank(i, brox_mp.lambda);
  if (r < brox_mp.mu) { brox_order[brox_os + r] = i; }
}

@compute @workgroup_size(WG)
fn brox_cma_rank(@builtin(global_invocation_id) gid: vec3<u32>) {
  cma_rank(gid.x);
}

// Many runs (runs.wgsl): dispatch (lambda / WG, runs), run = workgroup row y.
@compute @workgroup_size(WG)
fn brox_cma_rank_runs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  brox_enter_run(wid.y, brox_mp.lambda);
  cma_rank(gid.x);
}

@compute @workgroup_size(WG)
fn brox_cma_tell(@builtin(local_invocation_index) lid: u32) {
  cma_tell(lid);
}

// Many runs: one workgroup per run.
@compute @workgroup_size(WG)
fn brox_cma_tell_runs(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  brox_enter_run(wid.x, brox_mp.lambda);
  cma_tell(lid);
}

fn cma_tell(lid: u32) {
  if (lid == 0u) { cma_flag = select(brox_state[brox_run].halt, 1u, brox_state[brox_run].k >= brox_kend); }
  if (workgroupUniformLoad(&cma_flag) != 0u) { return; }
  let mu = brox_mp.mu;
  let sigma = brox_mstate[brox_ms + CMA_SIGMA];

  // the order: brox_cma_rank, the dispatch before this one
  for (var c = lid; c < DIM; c += WG) { cma_m[c] = brox_state[brox_run].center[c]; }
  workgroupBarrier();

  // eq. 41-42: y_w = sum w_i (x_i:lambda - m) / sigma, m <- m + sigma y_w (c_m = 1)
  for (var c = lid; c < DIM; c += WG) {
    var s = 0.0;
    for (var i = 0u; i < mu; i++) { s += brox_weights[i] * (cma_point(brox_order[brox_os + i], c) - cma_m[c]) / sigma; }
    cma_yw[c] = s;
    brox_state[brox_run].center[c] = cma_m[c] + sigma * s;
  }
  workgroupBarrier();
  let gen = u32(brox_mstate[brox_ms + CMA_GEN]) + 1u;
  // eq. 43: C^(-1/2) y_w = B D^-1 B^T y_w
  for (var c = lid; c < DIM; c += WG) {
    var s = 0.0;
    for (var r = 0u; r < DIM; r++) { s += brox_mstate[brox_ms + CMA_B + r * DIM + c] * cma_yw[r]; }
    cma_t[c] = s / brox_mstate[brox_ms + CMA_D + c];
  }
  workgroupBarrier();
  let csn = sqrt(brox_mp.cs * (2.0 - brox_mp.cs) * brox_mp.mueff);
  var part = 0.0;
  for (var c = lid; c < DIM; c += WG) {
    var s = 0.0;
    for (var j = 0u; j < DIM; j++) { s += brox_mstate[brox_ms + CMA_B + c * DIM + j] * cma_t[j]; }
    let ps = (1.0 - brox_mp.cs) * brox_mstate[brox_ms + CMA_PS + c] + csn * s;
    brox_mstate[brox_ms + CMA_PS + c] = ps;
    part += ps * ps;
  }
  let ps_norm = sqrt(cma_wg_sum(part, lid));
  // h_sigma (Appendix A), eq. 45
  let hs = select(0.0, 1.0, ps_norm / sqrt(1.0 - pow(1.0 - brox_mp.cs, 2.0 * f32(gen))) < (1.4 + 2.0 / (f32(DIM) + 1.0)) * brox_mp.chin);
  let ccn = hs * sqrt(brox_mp.cc * (2.0 - brox_mp.cc) * brox_mp.mueff);
  for (var c = lid; c < DIM; c += WG) {
    brox_mstate[brox_ms + CMA_PC + c] = (1.0 - brox_mp.cc) * brox_mstate[brox_ms + CMA_PC + c] + ccn * cma_yw[c];
  }
  storageBarrier();
  workgroupBarrier();
  // eq. 47 (sum w = 1)
  let decay = 1.0 + brox_mp.c1 * (1.0 - hs) * brox_mp.cc * (2.0 - brox_mp.cc) - brox_mp.c1 - brox_mp.cmu;
  for (var e = lid; e < DIM * DIM; e += WG) {
    let a = e / DIM;
    let b = e % DIM;
    var rank_mu = 0.0;
    for (var i = 0u; i < mu; i++) {
      let o = brox_order[brox_os + i];
      rank_mu += brox_weights[i] * ((cma_point(o, a) - cma_m[a]) / sigma) * ((cma_point(o, b) - cma_m[b]) / sigma);
    }
    brox_mstate[brox_ms + CMA_C + e] = decay * brox_mstate[brox_ms + CMA_C + e] + brox_mp.c1 * brox_mstate[brox_ms + CMA_PC + a] * brox_mstate[brox_ms + CMA_PC + b] + brox_mp.cmu * rank_mu;
  }
  storageBarrier();
  workgroupBarrier();

  // eq. 44, the best point, the ring of best values, the history record, the stopping rules
  if (lid == 0u) {
    let new_sigma = sigma * exp((brox_mp.cs / brox_mp.ds) * (ps_norm / brox_mp.chin - 1.0));
    brox_mstate[brox_ms + CMA_SIGMA] = new_sigma;
    brox_mstate[brox_ms + CMA_GEN] = f32(gen);
    let f_best = cma_key_f(brox_popr[brox_ps + brox_order[brox_os + 0]]);
    let f_mu = cma_key_f(brox_popr[brox_ps + brox_order[brox_os + mu - 1u]]);
    if (f_best < brox_mstate[brox_ms + CMA_BEST_F]) {
      brox_mstate[brox_ms + CMA_BEST_F] = f_best;
      for (var c = 0u; c < DIM; c++) { brox_mstate[brox_ms + CMA_BX + c] = cma_point(brox_order[brox_os + 0], c); }
    }
    let h = (brox_state[brox_run].k - brox_hist_base(brox_mp.hist_base)) * 4u;
    brox_hist[brox_hs + h] = f_best;
    brox_hist[brox_hs + h + 1u] = f_mu;
    brox_hist[brox_hs + h + 2u] = new_sigma;
    brox_hist[brox_hs + h + 3u] = bitcast<f32>(brox_order[brox_os + 0]);
    // TolFun / EqualFunVals over the last hist_len generations' best values and this generation's mu values
    var stop = 0u;
    let hl = brox_mp.hist_len;
    var n = u32(brox_mstate[brox_ms + CMA_RING_N]);
    var pos = u32(brox_mstate[brox_ms + CMA_RING_POS]);
    brox_mstate[brox_ms + CMA_RING + pos] = f_best;
    pos = (pos + 1u) % hl;
    n = min(n + 1u, hl);
    brox_mstate[brox_ms + CMA_RING_N] = f32(n);
    brox_mstate[brox_ms + CMA_RING_POS] = f32(pos);
    if (n >= hl) {
      var lo = 3.4e38;
      var hi = -3.4e38;
      for (var i = 0u; i < hl; i++) { lo = min(lo, brox_mstate[brox_ms + CMA_RING + i]); hi = max(hi, brox_mstate[brox_ms + CMA_RING + i]); }
      if (hi - lo == 0.0) {
        stop = BROX_CMA_EQUALFUNVALS;
      } else if (max(hi, f_mu) - min(lo, f_best) < brox_mp.tolfun) {
        stop = BROX_CMA_TOLFUN;
      }
    }
    // TolX (relative to sigma0, precomputed), TolXUp, ConditionCov with the current B, D
    if (stop == 0u) {
      var small = true;
      for (var i = 0u; i < DIM; i++) {
        small = small && new_sigma * sqrt(brox_mstate[brox_ms + CMA_C + i * DIM + i]) < brox_mp.tolx && new_sigma * abs(brox_mstate[brox_ms + CMA_PC + i]) < brox_mp.tolx;
      }
      let dd = cma_max_abs_diag_ratio();
      if (small) {
        stop = BROX_CMA_TOLX;
      } else if (new_sigma * dd.x > brox_mp.tolxup || !(new_sigma <= 1e20)) {
        stop = BROX_CMA_TOLXUP;
      } else if ((dd.x / dd.y) * (dd.x / dd.y) > brox_mp.maxcond) {
        stop = BROX_CMA_CONDITION;
      } else if ((dd.x / dd.y) * (dd.x / dd.y) > brox_mp.cond32) {
        stop = BROX_CMA_PRECISION;
      } else {
        // NoEffectAxis / NoEffectCoord: float32 says "no effect" long before float64 does
        let a = gen % DIM;
        var same = true;
        var coord = false;
        for (var i = 0u; i < DIM; i++) {
          let m = brox_state[brox_run].center[i];
          same = same && m + 0.1 * new_sigma * brox_mstate[brox_ms + CMA_D + a] * brox_mstate[brox_ms + CMA_B + i * DIM + a] == m;
          coord = coord || m + 0.2 * new_sigma * sqrt(brox_mstate[brox_ms + CMA_C + i * DIM + i]) == m;
        }
        if (same || coord) { stop = BROX_CMA_PRECISION; }
      }
    }
    if (stop == 0u && brox_mstate[brox_ms + CMA_BEST_F] <= brox_mp.f_target) { stop = BROX_CMA_TARGET; }
    brox_mstate[brox_ms + CMA_STOP] = f32(stop);
    brox_state[brox_run].halt = stop;
    brox_state[brox_run].k = brox_state[brox_run].k + 1u;
    // lazy eigendecomposition (Appendix B.2), for the next generation
    cma_flag = select(0u, 1u, stop == 0u && f32(gen) - brox_mstate[brox_ms + CMA_EIGEN_GEN] >= brox_mp.eigen_every);
  }
  if (workgroupUniformLoad(&cma_flag) == 0u) { return; }
  // Warm start: C changes little between decompositions, so B^T C B (B: the last eigenvectors,
  // re-orthonormalised) is nearly diagonal and Jacobi from there (V = B) takes a sweep or two.
  // T = C B, then A = B^T T.
  brox_orthonormalize(lid);
  for (var e = lid; e < DIM * DIM; e += WG) {
    let a = e / DIM;
    let b = e % DIM;
    var s = 0.0;
    for (var l = 0u; l < DIM; l++) { s += 0.5 * (brox_mstate[brox_ms + CMA_C + a * DIM + l] + brox_mstate[brox_ms + CMA_C + l * DIM + a]) * brox_mstate[brox_ms + CMA_B + l * DIM + b]; }
    brox_mstate[brox_ms + CMA_T + e] = s;
  }
  storageBarrier();
  workgroupBarrier();
  for (var e = lid; e < DIM * DIM; e += WG) {
    let a = e / DIM;
    let b = e % DIM;
    var s = 0.0;
    for (var l = 0u; l < DIM; l++) { s += brox_mstate[brox_ms + CMA_B + l * DIM + a] * brox_mstate[brox_ms + CMA_T + l * DIM + b]; }
    brox_mstate[brox_ms + BROX_JAC_A + e] = s;
  }
  storageBarrier();
  workgroupBarrier();
  // symmetrise (rounding in the products)
  for (var e = lid; e < DIM * DIM; e += WG) {
    let a = e / DIM;
    let b = e % DIM;
    if (a < b) {
      let v = 0.5 * (brox_mstate[brox_ms + BROX_JAC_A + a * DIM + b] + brox_mstate[brox_ms + BROX_JAC_A + b * DIM + a]);
      brox_mstate[brox_ms + BROX_JAC_A + a * DIM + b] = v;
      brox_mstate[brox_ms + BROX_JAC_A + b * DIM + a] = v;
    }
  }
  storageBarrier();
  workgroupBarrier();
  let sweeps = brox_jacobi(lid, 30u, true);
  brox_eigen_canonical(lid);
  for (var c = lid; c < DIM; c += WG) {
    brox_mstate[brox_ms + CMA_D + c] = sqrt(max(brox_jac_vals[c], 1e-30));
  }
  storageBarrier();
  workgroupBarrier();
  for (var e = lid; e < DIM * DIM; e += WG) {
    brox_geomw[brox_gs + BROX_GEOM_FACTOR + e] = brox_mstate[brox_ms + CMA_B + e] * brox_mstate[brox_ms + CMA_D + e % DIM];
  }
  if (lid == 0u) {
    brox_mstate[brox_ms + CMA_EIGEN_GEN] = brox_mstate[brox_ms + CMA_GEN];
    brox_mstate[brox_ms + CMA_SWEEPS] = f32(sweeps);
  }
}
