// CMA-ES's population: lambda samples x = m + sigma B D z, z ~ N(0, I) (the engine's Gaussian with
// the factor B D that brox_cma_tell writes into the geometry), sigma from the method's state.
@group(0) @binding(8) var<uniform> brox_mp: BroxCmaParams;
@group(0) @binding(12) var<storage, read> brox_mstate_r: array<f32>;

fn brox_pop_count() -> u32 {
  return brox_mp.lambda;
}

fn brox_pop_scale() -> f32 {
  return brox_mstate_r[brox_ms_base() + 0];
}
