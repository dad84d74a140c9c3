// The population pass of many runs in one dispatch (a fused group, src/methods/fused-group.ts):
// workgroup row y is run r, whose state, geometry, method state and population sit at r times
// their strides in the group's buffers; its seed, first history record and last step come from
// brox_runs. The one-run form is center_readonly.wgsl; the pass (population.wgsl) reads both alike.
@group(0) @binding(1) var<storage, read> brox_cstates: array<BroxState>;
@group(0) @binding(18) var<uniform> brox_runs_info: BroxRunsInfo;
// per run: seed, hist_base (its batch's first RNG call), k_end (its batch ends before this step), 0
@group(0) @binding(19) var<storage, read> brox_runs: array<vec4<u32>>;

fn brox_center(i: u32) -> f32 {
  return brox_cstates[brox_run].center[i];
}

fn brox_gbase() -> u32 { return brox_run * brox_runs_info.gstride; }
fn brox_ms_base() -> u32 { return brox_run * brox_runs_info.mstride; }
fn brox_pop_base(n: u32) -> u32 { return brox_run * n * (1u + DIM); }
fn brox_cur_k() -> u32 { return brox_cstates[brox_run].k; }
fn brox_cur_halted() -> bool { return brox_cstates[brox_run].halt != 0u || brox_cstates[brox_run].k >= brox_runs[brox_run].z; }
fn brox_cur_seed() -> u32 { return brox_runs[brox_run].x; }
