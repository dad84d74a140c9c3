// Workgroup min over Best with subgroupMin (needs `enable subgroups;` and the device feature).
// Lexicographic (key, hi, lo) min = three subgroupMin steps. One slot per subgroup in shared
// memory, claimed with an atomic because WGSL does not promise how invocations map to
// subgroups; invocation 0 then scans the few slots (WG / subgroup size of them). Subgroup size
// is read from the builtin, never assumed (32 on NVIDIA, 4 on SwiftShader).

struct BroxIds {
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(subgroup_invocation_id) sg_lane: u32,
  @builtin(subgroup_size) sg_size: u32,
}

var<workgroup> wg_slots: array<Best, WG>;
var<workgroup> wg_nslots: atomic<u32>;  // zero-initialised per workgroup

fn brox_wg_reduce(b: Best, ids: BroxIds) -> Best {
  let k = subgroupMin(b.key);
  let hi = subgroupMin(select(0xffffffffu, b.hi, b.key == k));
  let lo = subgroupMin(select(0xffffffffu, b.lo, b.key == k && b.hi == hi));
  if (ids.sg_lane == 0u) {
    wg_slots[atomicAdd(&wg_nslots, 1u)] = Best(k, lo, hi, 0u);
  }
  workgroupBarrier();
  var best = BROX_NO_BEST;
  if (ids.lid == 0u) {
    let n = atomicLoad(&wg_nslots);
    for (var i = 0u; i < n; i++) {
      if (brox_better(wg_slots[i], best)) {
        best = wg_slots[i];
      }
    }
  }
  return best;  // valid in invocation 0
}
