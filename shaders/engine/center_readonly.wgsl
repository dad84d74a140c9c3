// Sample passes read the centre (and the step k) from the state, read-only: the compiler may cache
// and hoist the loads. A resident loop writes the same buffer through its own binding.
@group(0) @binding(1) var<storage, read> brox_cstate: BroxState;

fn brox_center(i: u32) -> f32 {
  return brox_cstate.center[i];
}

// One run per dispatch: its geometry, method state and population start at 0 (center_runs.wgsl
// is the fused form, many runs per dispatch); the population pass reads these.
fn brox_gbase() -> u32 { return 0u; }
fn brox_ms_base() -> u32 { return 0u; }
fn brox_pop_base(n: u32) -> u32 { return 0u; }
fn brox_cur_k() -> u32 { return brox_cstate.k; }
fn brox_cur_halted() -> bool { return brox_cstate.halt != 0u; }
fn brox_cur_seed() -> u32 { return brox_sparams.seed; }

// This dispatch's RNG key, scale, and sample count (0 once a resident loop has halted: a zero
// loop bound, not an early return, keeps workgroup reductions in uniform control flow).
struct BroxStep {
  key: vec2<u32>,
  t: f32,
  count: u32,
}

fn brox_step() -> BroxStep {
  let k = brox_cstate.k;
  return BroxStep(brox_round_key(brox_sparams.seed, k, brox_sparams.round), brox_radius(k), select(brox_sparams.count, 0u, brox_cstate.halt != 0u));
}
