// Pass 2 of the oracle: one workgroup reduces the per-workgroup bests of pass 1 to one winner.

struct ReduceParams {
  n: u32,          // partials to reduce
  hist_base: u32,  // BPM: step number of history slot 0
  f_target: f32,   // BPM: stop once f <= f_target
  ftol: f32,       // BPM: stop when the relative decrease is <= ftol (0: off)
}

@group(0) @binding(3) var<uniform> rparams: ReduceParams;
@group(0) @binding(4) var<storage, read_write> result: array<Best>;

fn brox_reduce_partials(ids: BroxIds) -> Best {
  var best = BROX_NO_BEST;
  for (var i = ids.lid; i < rparams.n; i += WG) {
    let c = partials[i];
    if (brox_better(c, best)) {
      best = c;
    }
  }
  return brox_wg_reduce(best, ids);
}

@compute @workgroup_size(WG)
fn reduce_main(ids: BroxIds) {
  let w = brox_reduce_partials(ids);
  if (ids.lid == 0u) {
    result[0] = w;
  }
}
