// Batch evaluation: values[r] = objective(points[r]). Needs DIM and the objective.

struct EvalParams {
  count: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(6) var<uniform> eparams: EvalParams;
@group(0) @binding(7) var<storage, read> points: array<f32>;
@group(0) @binding(8) var<storage, read_write> values: array<f32>;

@compute @workgroup_size(WG)
fn evaluate_main(ids: BroxIds) {
  let stride = ids.nwg.x * WG;
  var y: array<f32, DIM>;
  for (var r = ids.gid.x; r < eparams.count; r += stride) {
    for (var c = 0u; c < DIM; c++) {
      y[c] = points[r * DIM + c];
    }
    values[r] = objective(&y);
  }
}
