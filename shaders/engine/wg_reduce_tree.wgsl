// Workgroup min over Best, as a shared-memory tree. The fallback when the device has no
// `subgroups` feature. Result is valid in every invocation after the last barrier.


var<workgroup> brox_wg_slots: array<BroxBest, WG>;

fn brox_wg_reduce(b: BroxBest, ids: BroxIds) -> BroxBest {
  brox_wg_slots[ids.lid] = b;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (ids.lid < s) {
      let other = brox_wg_slots[ids.lid + s];
      if (brox_better(other, brox_wg_slots[ids.lid])) {
        brox_wg_slots[ids.lid] = other;
      }
    }
    workgroupBarrier();
  }
  return brox_wg_slots[0];
}
