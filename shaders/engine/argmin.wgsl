// Argmin reduction. Pass 1: each thread walks its samples (grid stride), regenerating each from
// its index, keeps its best; a workgroup reduction writes one BroxBest per workgroup. Samples are
// never stored. Pass 2 (brox_argmin_reduce): one workgroup reduces the partial bests.

// struct BroxReduceParams: generated from its layout in TypeScript (src/engine/layouts.ts)
@group(0) @binding(8) var<uniform> brox_rparams: BroxReduceParams;
@group(0) @binding(9) var<storage, read_write> brox_result: array<BroxBest>;

fn brox_finish_pass(best: BroxBest, ids: BroxIds) {
  let w = brox_wg_reduce(best, ids);
  if (ids.lid == 0u) {
    brox_partials[brox_sparams.partial_offset + ids.wid.x] = w;
  }
}

@compute @workgroup_size(WG)
fn brox_argmin_pass(ids: BroxIds) {
  let step = brox_step();
  var best = BROX_NO_BEST;
  var y: array<f32, DIM>;
  for (var i = ids.gid.x; i < step.count; i += ids.nwg.x * WG) {
    let ix = brox_sample_index(i);
    var key = 0xffffffffu;  // infeasible samples are never evaluated
    if (brox_sample_point(step.key, ix.x, ix.y, step.t, &y)) {
      key = brox_order_key(objective(&y));
    }
    let cand = BroxBest(key, ix.x, ix.y, 0u);
    if (brox_better(cand, best)) {
      best = cand;
    }
  }
  brox_finish_pass(best, ids);
}

fn brox_reduce_partials(ids: BroxIds) -> BroxBest {
  var best = BROX_NO_BEST;
  for (var i = ids.lid; i < brox_rparams.n; i += WG) {
    let c = brox_partials[i];
    if (brox_better(c, best)) {
      best = c;
    }
  }
  return brox_wg_reduce(best, ids);
}

@compute @workgroup_size(WG)
fn brox_argmin_reduce(ids: BroxIds) {
  let w = brox_reduce_partials(ids);
  if (ids.lid == 0u) {
    brox_result[0] = w;
  }
}
