// Population pass of a resident method: sample i of the step (i < brox_pop_count()) is drawn
// around the state's centre at the scale brox_pop_scale() (both defined by the method's chunk that
// follows), evaluated, and kept whole: its order key (best.wgsl: NaN -> +inf, infeasible -> +inf)
// and its point. The method's tell kernel ranks the keys and reads the points it needs. Twin: the
// topk call of the step-by-step executor draws the same samples (same key, same index).

@group(0) @binding(13) var<storage, read_write> brox_pop: array<u32>;  // keys[lambda] | points[lambda * DIM] (f32 bits), per run

// The run this invocation draws for: 0, or workgroup row y of a fused dispatch (center_runs.wgsl).
var<private> brox_run: u32 = 0u;

fn brox_population_member(i: u32) {
  let n = brox_pop_count();
  if (i >= n || brox_cur_halted()) {
    return;
  }
  var y: array<f32, DIM>;
  var key = 0xffffffffu;
  if (brox_sample_point(brox_round_key(brox_cur_seed(), brox_cur_k(), 0u), i, 0u, brox_pop_scale(), &y)) {
    key = brox_order_key(objective(&y));
  }
  let o = brox_pop_base(n);
  brox_pop[o + i] = key;
  for (var c = 0u; c < DIM; c++) {
    brox_pop[o + n + i * DIM + c] = bitcast<u32>(y[c]);
  }
}

@compute @workgroup_size(WG)
fn brox_population_pass(ids: BroxIds) {
  brox_population_member(ids.gid.x);
}

// Many runs: dispatch (members / WG, runs); the centre chunk is center_runs.wgsl.
@compute @workgroup_size(WG)
fn brox_population_runs(ids: BroxIds) {
  brox_run = ids.wid.y;
  brox_population_member(ids.gid.x);
}
