// Random search's tell, GPU twin of `step` in src/methods/random.ts: the best of the generation's
// samples (lowest key, ties to the lower index: topk k = 1) replaces the best point when it is
// better. One workgroup; nothing else to adapt.

// struct BroxRandomParams: generated from its layout in TypeScript (src/methods/random-resident.ts)
@group(0) @binding(8) var<uniform> brox_mp: BroxRandomParams;
@group(0) @binding(11) var<storage, read_write> brox_state: array<BroxState>;  // [brox_run]
@group(0) @binding(12) var<storage, read_write> brox_mstate: array<f32>;
@group(0) @binding(13) var<storage, read> brox_popr: array<u32>;
@group(0) @binding(16) var<storage, read_write> brox_hist: array<f32>;

// brox_mstate: best_f, pad, pad, pad | best x[DIM]
const RANDOM_BX = 4u;
const BROX_RANDOM_TARGET = 8u;

var<workgroup> random_key: array<u32, 256>;
var<workgroup> random_idx: array<u32, 256>;
var<workgroup> random_flag: u32;

@compute @workgroup_size(WG)
fn brox_random_tell(@builtin(local_invocation_index) lid: u32) {
  random_tell(lid);
}

// Many runs (runs.wgsl): one workgroup per run.
@compute @workgroup_size(WG)
fn brox_random_tell_runs(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  brox_enter_run(wid.x, brox_mp.n_pop);
  random_tell(lid);
}

fn random_tell(lid: u32) {
  if (lid == 0u) { random_flag = select(brox_state[brox_run].halt, 1u, brox_state[brox_run].k >= brox_kend); }
  if (workgroupUniformLoad(&random_flag) != 0u) { return; }
  let n = brox_mp.n_pop;
  var bk = 0xffffffffu;
  var bi = 0xffffffffu;
  for (var i = lid; i < n; i += WG) {
    let k = brox_popr[brox_ps + i];
    if (k < bk) { bk = k; bi = i; }  // i grows: ties keep the lower index
  }
  random_key[lid] = bk;
  random_idx[lid] = bi;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let k = random_key[lid + s];
      let i = random_idx[lid + s];
      if (k < random_key[lid] || (k == random_key[lid] && i < random_idx[lid])) {
        random_key[lid] = k;
        random_idx[lid] = i;
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let best = random_idx[0];
    let f = brox_key_value(random_key[0]);
    if (best != 0xffffffffu && f < brox_mstate[brox_ms + 0]) {
      brox_mstate[brox_ms + 0] = f;
      for (var c = 0u; c < DIM; c++) { brox_mstate[brox_ms + RANDOM_BX + c] = brox_pop_point(n, best, c); }
    }
    let h = (brox_state[brox_run].k - brox_hist_base(brox_mp.hist_base)) * 2u;
    brox_hist[brox_hs + h] = f;
    brox_hist[brox_hs + h + 1u] = bitcast<f32>(best);
    var stop = 0u;
    if (brox_mstate[brox_ms + 0] <= brox_mp.f_target) { stop = BROX_RANDOM_TARGET; }
    brox_state[brox_run].halt = stop;
    brox_state[brox_run].k = brox_state[brox_run].k + 1u;
  }
}
