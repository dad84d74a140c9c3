// CEM's population: N samples y = mu + s * z, z ~ N(0, I) (the engine's Gaussian with the diagonal
// map s that brox_cem_tell writes into the geometry), scale 1.
@group(0) @binding(8) var<uniform> brox_mp: BroxCemParams;

fn brox_pop_count() -> u32 {
  return brox_mp.n_pop;
}

fn brox_pop_scale() -> f32 {
  return 1.0;
}
