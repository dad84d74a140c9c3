// Annealed smoothing's population: N samples y = mu + sigma_k z, z ~ N(0, I).
@group(0) @binding(8) var<uniform> brox_mp: BroxAnnealedParams;
@group(0) @binding(12) var<storage, read> brox_mstate_r: array<f32>;

fn brox_pop_count() -> u32 {
  return brox_mp.n_pop;
}

fn brox_pop_scale() -> f32 {
  return annealed_sigma(annealed_frac(brox_mstate_r[brox_ms_base() + 1], brox_mstate_r[brox_ms_base() + 2]));
}
