// Population pass of a resident method: sample i of the step (i < brox_pop_count()) is drawn
// around the state's centre at the scale brox_pop_scale() (both defined by the method's chunk that
// follows), evaluated, and kept whole: its order key (best.wgsl: NaN -> +inf, infeasible -> +inf)
// and its point. The method's tell kernel ranks the keys and reads the points it needs. Twin: the
// topk call of the step-by-step executor draws the same samples (same key, same index).

@group(0) @binding(13) var<storage, read_write> brox_pop: array<u32>;  // keys[lambda] | points[lambda * DIM] (f32 bits)

@compute @workgroup_size(WG)
fn brox_population_pass(ids: BroxIds) {
  let n = brox_pop_count();
  let i = ids.gid.x;
  if (i >= n || brox_cstate.halt != 0u) {
    return;
  }
  var y: array<f32, DIM>;
  var key = 0xffffffffu;
  if (brox_sample_point(brox_round_key(brox_sparams.seed, brox_cstate.k, 0u), i, 0u, brox_pop_scale(), &y)) {
    key = brox_order_key(objective(&y));
  }
  brox_pop[i] = key;
  for (var c = 0u; c < DIM; c++) {
    brox_pop[n + i * DIM + c] = bitcast<u32>(y[c]);
  }
}
