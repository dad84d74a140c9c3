// Pass 1 of the oracle: each thread walks its samples (grid stride), regenerating each one from its
// index, keeps its own best; a workgroup tree reduction writes one Best per workgroup.
// Samples are never stored. Needs DIM, best.wgsl, the ball and the objective.

struct SampleParams {
  key: vec2<u32>,       // (seed, call): the RNG key
  base: vec2<u32>,      // first sample index of this dispatch, (lo, hi)
  count: u32,           // samples in this dispatch (<= 2^30, so i + stride never wraps)
  partial_offset: u32,  // where this dispatch's workgroups write in `partials`
  t: f32,
  pad: u32,
}

override WG: u32 = 64;  // power of two

@group(0) @binding(0) var<uniform> sparams: SampleParams;
@group(0) @binding(1) var<storage, read> center: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<Best>;

var<workgroup> wg_best: array<Best, WG>;

@compute @workgroup_size(WG)
fn sample_main(@builtin(global_invocation_id) gid: vec3<u32>,
               @builtin(local_invocation_index) lid: u32,
               @builtin(workgroup_id) wid: vec3<u32>,
               @builtin(num_workgroups) nwg: vec3<u32>) {
  var best = BROX_NO_BEST;
  let stride = nwg.x * WG;
  var y: array<f32, DIM>;
  for (var i = gid.x; i < sparams.count; i += stride) {
    let lo = sparams.base.x + i;
    let hi = sparams.base.y + select(0u, 1u, lo < i);  // carry into the high word
    brox_ball_offset(sparams.key, lo, hi, sparams.t, &y);
    for (var k = 0u; k < DIM; k++) {
      y[k] += center[k];
    }
    let cand = Best(brox_order_key(objective(&y)), lo, hi, 0u);
    if (brox_better(cand, best)) {
      best = cand;
    }
  }
  wg_best[lid] = best;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let other = wg_best[lid + s];
      if (brox_better(other, wg_best[lid])) {
        wg_best[lid] = other;
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    partials[sparams.partial_offset + wid.x] = wg_best[0];
  }
}
