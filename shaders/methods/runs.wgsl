// The run a tell kernel works for: run 0 at offsets 0 (one run per dispatch), or workgroup x of a
// fused dispatch of many runs (src/methods/fused-group.ts), entered by brox_enter_run: its state,
// method state, population, order, history and geometry then sit at these offsets in the group's
// buffers, and its batch ends before step brox_kend.
@group(0) @binding(18) var<uniform> brox_runs_info: BroxRunsInfo;
// per run: seed, hist_base (its batch's first RNG call), k_end, 0
@group(0) @binding(19) var<storage, read> brox_runs: array<vec4<u32>>;

var<private> brox_run: u32 = 0u;
var<private> brox_ms: u32 = 0u;
var<private> brox_ps: u32 = 0u;
var<private> brox_os: u32 = 0u;
var<private> brox_hs: u32 = 0u;
var<private> brox_gs: u32 = 0u;
var<private> brox_kend: u32 = 0xffffffffu;
// a fused run's first history record; the one-run entries read the method's uniform instead
var<private> brox_hbase: u32 = 0xffffffffu;

// n: the population size (the run's keys and points, and its order, are n-strided)
fn brox_enter_run(r: u32, n: u32) {
  brox_run = r;
  brox_ms = r * brox_runs_info.mstride;
  brox_ps = r * n * (1u + DIM);
  brox_os = r * n;
  brox_hs = r * brox_runs_info.hstride;
  brox_gs = r * brox_runs_info.gstride;
  brox_kend = brox_runs[r].z;
  brox_hbase = brox_runs[r].y;
}

fn brox_hist_base(one_run: u32) -> u32 {
  return select(brox_hbase, one_run, brox_hbase == 0xffffffffu);
}
