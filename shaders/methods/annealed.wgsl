// Annealed smoothing's tell, GPU twin of `step` in src/methods/annealed.ts (our reading of
// arXiv 2605.16520; algorithms.md Sect. 4): softmin weights w_i = exp(-(f_i - f_min) / (lambda_k
// std f)) over the finite samples, mu <- sum w_i y_i / sum w_i, then k <- k + 1; at k = K the anneal
// ends (the host evaluates mu in float64 and restarts). One workgroup, one pass over the keys for
// the statistics (shifted by f_min) and one for the weights — the samples are evaluated once (the
// engine's moments call evaluates them twice).

// struct BroxAnnealedParams: generated from its layout in TypeScript (src/methods/annealed-resident.ts)
@group(0) @binding(8) var<uniform> brox_mp: BroxAnnealedParams;
@group(0) @binding(11) var<storage, read_write> brox_state: array<BroxState>;  // [brox_run]
@group(0) @binding(12) var<storage, read_write> brox_mstate: array<f32>;
@group(0) @binding(13) var<storage, read> brox_popr: array<u32>;
@group(0) @binding(16) var<storage, read_write> brox_hist: array<f32>;

// brox_mstate: best_f, k, K, pad | best x[DIM]
const ANNEALED_BX = 4u;
const BROX_ANNEALED_END = 1u;
const BROX_ANNEALED_TARGET = 8u;

var<workgroup> an_red: array<f32, 256>;
var<workgroup> an_key: array<u32, 256>;
var<workgroup> an_idx: array<u32, 256>;
var<workgroup> an_flag: u32;
var<workgroup> an_mean: array<f32, DIM>;

fn an_sum(v: f32, lid: u32) -> f32 {
  an_red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { an_red[lid] += an_red[lid + s]; }
    workgroupBarrier();
  }
  let r = an_red[0];
  workgroupBarrier();
  return r;
}

fn an_finite(f: f32) -> bool {
  return (bitcast<u32>(f) & 0x7f800000u) != 0x7f800000u;
}

@compute @workgroup_size(WG)
fn brox_annealed_tell(@builtin(local_invocation_index) lid: u32) {
  annealed_tell(lid);
}

// Many runs (runs.wgsl): one workgroup per run.
@compute @workgroup_size(WG)
fn brox_annealed_tell_runs(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  brox_enter_run(wid.x, brox_mp.n_pop);
  annealed_tell(lid);
}

fn annealed_tell(lid: u32) {
  if (lid == 0u) { an_flag = select(brox_state[brox_run].halt, 1u, brox_state[brox_run].k >= brox_kend); }
  if (workgroupUniformLoad(&an_flag) != 0u) { return; }
  let n = brox_mp.n_pop;
  // the best sample (lowest key, ties to the lower index)
  var bk = 0xffffffffu;
  var bi = 0xffffffffu;
  for (var i = lid; i < n; i += WG) {
    let k = brox_popr[brox_ps + i];
    if (k < bk) { bk = k; bi = i; }
  }
  an_key[lid] = bk;
  an_idx[lid] = bi;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s && (an_key[lid + s] < an_key[lid] || (an_key[lid + s] == an_key[lid] && an_idx[lid + s] < an_idx[lid]))) {
      an_key[lid] = an_key[lid + s];
      an_idx[lid] = an_idx[lid + s];
    }
    workgroupBarrier();
  }
  let fmin = brox_key_value(an_key[0]);
  let best = an_idx[0];
  // statistics of the finite values, shifted by f_min (the spread, not the level, sets tau)
  var cnt = 0.0;
  var s1 = 0.0;
  var s2 = 0.0;
  for (var i = lid; i < n; i += WG) {
    let f = brox_key_value(brox_popr[brox_ps + i]);
    if (an_finite(f)) {
      cnt += 1.0;
      s1 += f - fmin;
      s2 += (f - fmin) * (f - fmin);
    }
  }
  let c = an_sum(cnt, lid);
  let m1 = an_sum(s1, lid);
  let m2 = an_sum(s2, lid);
  let k = brox_mstate[brox_ms + 1];
  let kk = brox_mstate[brox_ms + 2];
  let frac = annealed_frac(k, kk);
  let sigma = annealed_sigma(frac);
  var tau = 0.0;
  if (c > 0.0) { tau = annealed_lambda(frac) * sqrt(max(0.0, m2 / c - (m1 / c) * (m1 / c))); }
  // weights (twin of weightOf in src/oracle/cpu-scan.ts) and the weighted mean of the offsets
  var w0 = 0.0;
  for (var i = lid; i < n; i += WG) {
    let f = brox_key_value(brox_popr[brox_ps + i]);
    if (an_finite(f)) { w0 += select(select(0.0, 1.0, f <= fmin), exp(-(f - fmin) / tau), tau > 0.0); }
  }
  let wsum = an_sum(w0, lid);
  for (var ci = 0u; ci < DIM; ci++) {
    var acc = 0.0;
    for (var i = lid; i < n; i += WG) {
      let f = brox_key_value(brox_popr[brox_ps + i]);
      if (an_finite(f)) {
        let w = select(select(0.0, 1.0, f <= fmin), exp(-(f - fmin) / tau), tau > 0.0);
        acc += w * (brox_pop_point(n, i, ci) - brox_state[brox_run].center[ci]);
      }
    }
    let t = an_sum(acc, lid);
    if (lid == 0u) { an_mean[ci] = brox_state[brox_run].center[ci] + t / wsum; }
  }
  workgroupBarrier();
  if (lid == 0u) {
    var finite = wsum > 0.0;
    for (var ci = 0u; ci < DIM; ci++) { finite = finite && an_finite(an_mean[ci]); }
    if (finite) {
      for (var ci = 0u; ci < DIM; ci++) { brox_state[brox_run].center[ci] = an_mean[ci]; }
    }
    if (best != 0xffffffffu && fmin < brox_mstate[brox_ms + 0]) {
      brox_mstate[brox_ms + 0] = fmin;
      for (var ci = 0u; ci < DIM; ci++) { brox_mstate[brox_ms + ANNEALED_BX + ci] = brox_pop_point(n, best, ci); }
    }
    brox_mstate[brox_ms + 1] = k + 1.0;
    let h = (brox_state[brox_run].k - brox_hist_base(brox_mp.hist_base)) * 4u;
    brox_hist[brox_hs + h] = fmin;
    brox_hist[brox_hs + h + 1u] = sigma;
    brox_hist[brox_hs + h + 2u] = annealed_lambda(frac);
    brox_hist[brox_hs + h + 3u] = bitcast<f32>(best);
    var stop = 0u;
    if (brox_mstate[brox_ms + 0] <= brox_mp.f_target) { stop = BROX_ANNEALED_TARGET; } else if (k + 1.0 >= kk) { stop = BROX_ANNEALED_END; }
    brox_state[brox_run].halt = stop;
    brox_state[brox_run].k = brox_state[brox_run].k + 1u;
  }
}
