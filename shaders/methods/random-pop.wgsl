// Random search's population: N samples uniform in the l_inf cube of radius T around the box
// centre, folded into the box by the engine (src/methods/random.ts says why that is uniform).
@group(0) @binding(8) var<uniform> brox_mp: BroxRandomParams;

fn brox_pop_count() -> u32 {
  return brox_mp.n_pop;
}

fn brox_pop_scale() -> f32 {
  return brox_mp.t;
}
