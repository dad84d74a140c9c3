// Weighted-moment reduction, w_i = exp(-(f_i - f_min) / tau) (tau = 0: weight 1 on f == f_min;
// non-finite f: weight 0). Offsets v = y - centre keep sums small. Per workgroup, partial sums:
//   brox_moments_stats:  count, sum (f - shift), sum (f - shift)^2, count of f < shift (finite f), and the best sample
//   brox_moments_pass:   sum w, sum w^2, sum w v_i, and (diag) sum w v_i^2
//   brox_moments_tile/outer: sum w v_a v_b over the upper triangle a <= b, a chunk of samples at a time
// The host adds the partials in float64. Sample i of a dispatch is index base + i of the params, so a
// call over [offset, offset + samples) draws the samples of one bigger call (the host merges ranges).

// struct BroxMomentParams: generated from its layout in TypeScript (src/engine/layouts.ts)
@group(0) @binding(15) var<uniform> brox_mparams: BroxMomentParams;
@group(0) @binding(16) var<storage, read_write> brox_msums: array<f32>;

const BROX_STATS_STRIDE: u32 = 4u;
const BROX_MOMENT_STRIDE: u32 = 2u + 2u * DIM;
const BROX_FULL_LEN: u32 = DIM * (DIM + 1u) / 2u;

var<workgroup> brox_wsum: array<f32, WG>;

fn brox_wg_sum(v: f32, lid: u32) -> f32 {
  workgroupBarrier();
  brox_wsum[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { brox_wsum[lid] += brox_wsum[lid + s]; }
    workgroupBarrier();
  }
  return brox_wsum[0];
}

fn brox_finite(f: f32) -> bool {
  return (bitcast<u32>(f) & 0x7f800000u) != 0x7f800000u;
}

fn brox_weight(f: f32) -> f32 {
  if (!brox_finite(f)) { return 0.0; }
  if (brox_mparams.inv_tau == 0.0) { return select(0.0, 1.0, f <= brox_mparams.fmin); }
  return exp(-(f - brox_mparams.fmin) * brox_mparams.inv_tau);
}

fn brox_eval_sample(key: vec2<u32>, ix: vec2<u32>, t: f32, y: ptr<function, array<f32, DIM>>) -> f32 {
  if (!brox_sample_point(key, ix.x, ix.y, t, y)) {
    var inf_bits = 0x7f800000u;  // a var, not a const: WGSL refuses a constant infinity
    return bitcast<f32>(inf_bits);
  }
  return objective(y);
}

@compute @workgroup_size(WG)
fn brox_moments_stats(ids: BroxIds) {
  let step = brox_step();
  var best = BROX_NO_BEST;
  var y: array<f32, DIM>;
  var n = 0.0;
  var s1 = 0.0;
  var s2 = 0.0;
  var below = 0.0;
  for (var i = ids.gid.x; i < step.count; i += ids.nwg.x * WG) {
    let ix = brox_sample_index(i);
    let f = brox_eval_sample(step.key, ix, step.t, &y);
    let cand = BroxBest(brox_order_key(f), ix.x, ix.y, 0u);
    if (brox_better(cand, best)) { best = cand; }
    if (brox_finite(f)) {
      let g = f - brox_mparams.shift;
      n += 1.0;
      s1 += g;
      s2 += g * g;
      below += select(0.0, 1.0, g < 0.0);
    }
  }
  let w = brox_wg_reduce(best, ids);
  if (ids.lid == 0u) { brox_partials[brox_sparams.partial_offset + ids.wid.x] = w; }
  let o = (brox_sparams.partial_offset + ids.wid.x) * BROX_STATS_STRIDE;
  let tn = brox_wg_sum(n, ids.lid);
  let t1 = brox_wg_sum(s1, ids.lid);
  let t2 = brox_wg_sum(s2, ids.lid);
  let t3 = brox_wg_sum(below, ids.lid);
  if (ids.lid == 0u) {
    brox_msums[o] = tn;
    brox_msums[o + 1u] = t1;
    brox_msums[o + 2u] = t2;
    brox_msums[o + 3u] = t3;
  }
}

@compute @workgroup_size(WG)
fn brox_moments_pass(ids: BroxIds) {
  let step = brox_step();
  var y: array<f32, DIM>;
  var m1: array<f32, DIM>;
  var m2: array<f32, DIM>;
  var w0 = 0.0;
  var w2 = 0.0;
  for (var i = ids.gid.x; i < step.count; i += ids.nwg.x * WG) {
    let ix = brox_sample_index(i);
    let w = brox_weight(brox_eval_sample(step.key, ix, step.t, &y));
    if (w > 0.0) {
      w0 += w;
      w2 += w * w;
      for (var c = 0u; c < DIM; c++) {
        let v = y[c] - brox_center(c);
        m1[c] += w * v;
        m2[c] += w * v * v;
      }
    }
  }
  let o = (brox_sparams.partial_offset + ids.wid.x) * BROX_MOMENT_STRIDE;
  let a = brox_wg_sum(w0, ids.lid);
  let b = brox_wg_sum(w2, ids.lid);
  if (ids.lid == 0u) {
    brox_msums[o] = a;
    brox_msums[o + 1u] = b;
  }
  for (var c = 0u; c < DIM; c++) {
    let s = brox_wg_sum(m1[c], ids.lid);
    if (ids.lid == 0u) { brox_msums[o + 2u + c] = s; }
  }
  if (brox_mparams.diag != 0u) {
    for (var c = 0u; c < DIM; c++) {
      let s = brox_wg_sum(m2[c], ids.lid);
      if (ids.lid == 0u) { brox_msums[o + 2u + DIM + c] = s; }
    }
  }
}

// Full second moment, in two dispatches per chunk of samples and no barriers: brox_moments_tile
// writes sqrt(w_i) v_i of each sample of the chunk to a scratch buffer; brox_moments_outer gives
// invocation e the entry e of the upper triangle and adds sum_i tile_i[a] tile_i[b] into
// brox_msums[e] — one writer per entry, and dispatches in a pass run in order, so no atomics.
@group(0) @binding(20) var<storage, read_write> brox_tile: array<f32>;

@compute @workgroup_size(WG)
fn brox_moments_tile(ids: BroxIds) {
  let step = brox_step();
  var y: array<f32, DIM>;
  for (var i = ids.gid.x; i < step.count; i += ids.nwg.x * WG) {
    let w = brox_weight(brox_eval_sample(step.key, brox_sample_index(i), step.t, &y));
    let r = sqrt(w);
    for (var c = 0u; c < DIM; c++) {
      brox_tile[i * DIM + c] = select(0.0, r * (y[c] - brox_center(c)), w > 0.0);
    }
  }
}

@compute @workgroup_size(WG)
fn brox_moments_outer(ids: BroxIds) {
  let n = brox_sparams.count;
  for (var e = ids.gid.x; e < BROX_FULL_LEN; e += ids.nwg.x * WG) {
    // entry e -> (a, b), a <= b, row-major over the upper triangle
    var a = 0u;
    var rem = e;
    while (rem >= DIM - a) { rem -= DIM - a; a++; }
    let b = a + rem;
    var s = 0.0;
    for (var q = 0u; q < n; q++) { s += brox_tile[q * DIM + a] * brox_tile[q * DIM + b]; }
    brox_msums[e] += s;
  }
}
