// Pass 2 of the oracle: one workgroup reduces the per-workgroup bests of pass 1 to one winner.
// Needs best.wgsl.

override RWG: u32 = 256;  // power of two

@group(0) @binding(0) var<uniform> rcount: vec4<u32>;  // x: number of partials
@group(0) @binding(1) var<storage, read> rpartials: array<Best>;
@group(0) @binding(2) var<storage, read_write> rresult: array<Best>;

var<workgroup> r_best: array<Best, RWG>;

@compute @workgroup_size(RWG)
fn reduce_main(@builtin(local_invocation_index) lid: u32) {
  var best = BROX_NO_BEST;
  for (var i = lid; i < rcount.x; i += RWG) {
    let c = rpartials[i];
    if (brox_better(c, best)) {
      best = c;
    }
  }
  r_best[lid] = best;
  workgroupBarrier();
  for (var s = RWG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let other = r_best[lid + s];
      if (brox_better(other, r_best[lid])) {
        r_best[lid] = other;
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    rresult[0] = r_best[0];
  }
}
