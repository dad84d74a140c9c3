// Workgroup min over Best, as a shared-memory tree. The fallback when the device has no
// `subgroups` feature. Result is valid in every invocation after the last barrier.

struct BroxIds {
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
}

var<workgroup> wg_slots: array<Best, WG>;

fn brox_wg_reduce(b: Best, ids: BroxIds) -> Best {
  wg_slots[ids.lid] = b;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (ids.lid < s) {
      let other = wg_slots[ids.lid + s];
      if (brox_better(other, wg_slots[ids.lid])) {
        wg_slots[ids.lid] = other;
      }
    }
    workgroupBarrier();
  }
  return wg_slots[0];
}
