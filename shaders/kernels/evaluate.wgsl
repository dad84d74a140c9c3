// Batch evaluation: values[r] = objective(points[r]). Needs DIM and the objective; WG comes from
// sample.wgsl (same module).

struct EvalParams {
  count: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> eparams: EvalParams;
@group(0) @binding(1) var<storage, read> points: array<f32>;
@group(0) @binding(2) var<storage, read_write> values: array<f32>;

@compute @workgroup_size(WG)
fn evaluate_main(@builtin(global_invocation_id) gid: vec3<u32>,
                 @builtin(num_workgroups) nwg: vec3<u32>) {
  let stride = nwg.x * WG;
  var y: array<f32, DIM>;
  for (var r = gid.x; r < eparams.count; r += stride) {
    for (var k = 0u; k < DIM; k++) {
      y[k] = points[r * DIM + k];
    }
    values[r] = objective(&y);
  }
}
