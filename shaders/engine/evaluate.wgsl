// Batch evaluation: brox_values[r] = objective(brox_points[r]). Needs DIM and the objective.

// struct BroxEvalParams: generated from its layout in TypeScript (src/engine/layouts.ts)

@group(0) @binding(17) var<uniform> brox_eparams: BroxEvalParams;
@group(0) @binding(18) var<storage, read> brox_points: array<f32>;
@group(0) @binding(19) var<storage, read_write> brox_values: array<f32>;

@compute @workgroup_size(WG)
fn brox_evaluate(ids: BroxIds) {
  let stride = ids.nwg.x * WG;
  var y: array<f32, DIM>;
  for (var r = ids.gid.x; r < brox_eparams.count; r += stride) {
    for (var c = 0u; c < DIM; c++) {
      y[c] = brox_points[r * DIM + c];
    }
    brox_values[r] = objective(&y);
  }
}
