// BPM's population pass (polished whole-ball steps, shaders/methods/bpm-polish.wgsl): n samples
// of the ball around the run's centre at the radius the method state holds on the GPU.
@group(0) @binding(8) var<uniform> brox_pp: BroxBpmPolishParams;
@group(0) @binding(14) var<storage, read> brox_mstate_r: array<f32>;

fn brox_pop_count() -> u32 {
  return brox_pp.n;
}

fn brox_pop_scale() -> f32 {
  return brox_mstate_r[0];  // MS_T
}
