// Workgroup min over Best with subgroupMin (needs `enable subgroups;` and the device feature).
// Lexicographic (key, hi, lo) min = three subgroupMin steps. One slot per subgroup in shared
// memory, claimed with an atomic because WGSL does not promise how invocations map to
// subgroups; invocation 0 then scans the few slots (WG / subgroup size of them). Subgroup size
// is read from the builtin, never assumed (32 on NVIDIA, 4 on SwiftShader).


var<workgroup> brox_wg_slots: array<BroxBest, WG>;
var<workgroup> brox_wg_nslots: atomic<u32>;  // zero-initialised per workgroup

fn brox_wg_reduce(b: BroxBest, ids: BroxIds) -> BroxBest {
  let k = subgroupMin(b.key);
  let hi = subgroupMin(select(0xffffffffu, b.hi, b.key == k));
  let lo = subgroupMin(select(0xffffffffu, b.lo, b.key == k && b.hi == hi));
  if (ids.sg_lane == 0u) {
    brox_wg_slots[atomicAdd(&brox_wg_nslots, 1u)] = BroxBest(k, lo, hi, 0u);
  }
  workgroupBarrier();
  var best = BROX_NO_BEST;
  if (ids.lid == 0u) {
    let n = atomicLoad(&brox_wg_nslots);
    for (var i = 0u; i < n; i++) {
      if (brox_better(brox_wg_slots[i], best)) {
        best = brox_wg_slots[i];
      }
    }
  }
  return best;  // valid in invocation 0
}
