// Random search's tell, GPU twin of `step` in src/methods/random.ts: the best of the generation's
// samples (lowest key, ties to the lower index: topk k = 1) replaces the best point when it is
// better. One workgroup; nothing else to adapt.

// struct BroxRandomParams: generated from its layout in TypeScript (src/methods/random-resident.ts)
@group(0) @binding(8) var<uniform> brox_mp: BroxRandomParams;
@group(0) @binding(11) var<storage, read_write> brox_state: BroxState;
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
  if (lid == 0u) { random_flag = brox_state.halt; }
  if (workgroupUniformLoad(&random_flag) != 0u) { return; }
  let n = brox_mp.n_pop;
  var bk = 0xffffffffu;
  var bi = 0xffffffffu;
  for (var i = lid; i < n; i += WG) {
    let k = brox_popr[i];
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
    if (best != 0xffffffffu && f < brox_mstate[0]) {
      brox_mstate[0] = f;
      for (var c = 0u; c < DIM; c++) { brox_mstate[RANDOM_BX + c] = brox_pop_point(n, best, c); }
    }
    let h = (brox_state.k - brox_mp.hist_base) * 2u;
    brox_hist[h] = f;
    brox_hist[h + 1u] = bitcast<f32>(best);
    var stop = 0u;
    if (brox_mstate[0] <= brox_mp.f_target) { stop = BROX_RANDOM_TARGET; }
    brox_state.halt = stop;
    brox_state.k = brox_state.k + 1u;
  }
}
