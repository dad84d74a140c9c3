// The anneal's schedule at step k of K, twin of schedule() in src/methods/annealed.ts: sigma_k and
// lambda_k geometric from (sigma0, lambda0) to (sigma_min, lambda_min). Shared by the population
// pass (the scale) and the tell (the temperature).
fn annealed_frac(k: f32, kk: f32) -> f32 {
  return select(1.0, min(1.0, k / (kk - 1.0)), kk > 1.0);
}

fn annealed_sigma(frac: f32) -> f32 {
  return brox_mp.sigma0 * pow(brox_mp.sigma_min / brox_mp.sigma0, frac);
}

fn annealed_lambda(frac: f32) -> f32 {
  return brox_mp.lambda0 * pow(brox_mp.lambda_min / brox_mp.lambda0, frac);
}
