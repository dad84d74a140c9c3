// What every sampling kernel shares: the per-dispatch parameters (struct BroxSampleParams, whose
// text src/engine/layouts.ts generates), the radius of step k, and 64-bit sample indices.

@group(0) @binding(0) var<uniform> brox_sparams: BroxSampleParams;
// Per step k: (radius, 1 if the radius shrinks after this step), written by the host from its
// float64 schedule (a resident loop reads one entry per step).
@group(0) @binding(3) var<storage, read> brox_radii: array<vec2<f32>>;

fn brox_radius(k: u32) -> f32 {
  return brox_radii[k - brox_sparams.k_base].x;
}

// 64-bit index of grid-stride sample i of this dispatch, as (lo, hi).
fn brox_sample_index(i: u32) -> vec2<u32> {
  let lo = brox_sparams.base_lo + i;
  return vec2<u32>(lo, brox_sparams.base_hi + select(0u, 1u, lo < i));  // carry into the high word
}
