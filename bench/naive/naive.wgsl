// A deliberately plain reference kernel, kept only to compare against in `npm run bench`: one
// thread per sample, the sample in a private array, Rastrigin inlined with the built-in cos, and
// every thread doing a global atomicMin on the value's order key (no index, no tree reduction).
// It draws the same samples as brox (same RNG and ball), so its minimum matches the oracle's.
// Needs DIM, threefry.wgsl, trig.wgsl, reference.wgsl, samplers/l2.wgsl, best.wgsl.

struct NaiveParams {
  seed: u32,
  count: u32,
  t: f32,
  row: u32,  // threads per row of the 2-D grid
}

@group(0) @binding(20) var<uniform> np: NaiveParams;
@group(0) @binding(21) var<storage, read> ncenter: array<f32>;
@group(0) @binding(22) var<storage, read_write> nbest: atomic<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * np.row;
  if (i >= np.count) {
    return;
  }
  var y: array<f32, DIM>;
  brox_sampler_unit(vec2<u32>(np.seed, 0u), i, 0u, &y);
  var f = 10.0 * f32(DIM);
  for (var k = 0u; k < DIM; k++) {
    let v = np.t * y[k] + ncenter[k];
    f += v * v - 10.0 * brox_cos2pi(v);
  }
  atomicMin(&nbest, brox_order_key(f));
}
