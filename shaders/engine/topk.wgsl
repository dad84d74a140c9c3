// Top-k reduction. Pass 1 writes (order key, index within the chunk) of every sample of a chunk;
// the rest of the buffer (up to a power of two) holds (0xffffffff, 0xffffffff), which sorts last.
// Then a bitonic sort by (key, index) — a total order, so ties go to the lowest index and the
// result is deterministic — and the host reads the first k pairs.

@group(0) @binding(13) var<storage, read_write> brox_keys: array<vec2<u32>>;

// struct BroxSortParams: generated from its layout in TypeScript (src/engine/layouts.ts)
@group(0) @binding(14) var<uniform> brox_sort: BroxSortParams;

@compute @workgroup_size(WG)
fn brox_topk_keys(ids: BroxIds) {
  let step = brox_step();
  var y: array<f32, DIM>;
  let total = arrayLength(&brox_keys);
  for (var i = ids.gid.x; i < total; i += ids.nwg.x * WG) {
    var key = 0xffffffffu;
    var idx = 0xffffffffu;
    if (i < step.count) {
      let ix = brox_sample_index(i);
      idx = i;
      if (brox_sample_point(step.key, ix.x, ix.y, step.t, &y)) {
        key = brox_order_key(objective(&y));
      }
    }
    brox_keys[i] = vec2<u32>(key, idx);
  }
}

fn brox_pair_less(a: vec2<u32>, b: vec2<u32>) -> bool {
  return a.x < b.x || (a.x == b.x && a.y < b.y);
}

// One compare-exchange step of the bitonic network over all n pairs (n / 2 comparisons).
@compute @workgroup_size(WG)
fn brox_topk_sort_step(ids: BroxIds) {
  let half = brox_sort.n / 2u;
  for (var t = ids.gid.x; t < half; t += ids.nwg.x * WG) {
    // t-th pair (i, i ^ j) with i having bit j clear
    let low = t & (brox_sort.j - 1u);
    let i = ((t - low) << 1u) | low;
    let l = i | brox_sort.j;
    let ascending = (i & brox_sort.k) == 0u;
    let a = brox_keys[i];
    let b = brox_keys[l];
    if (brox_pair_less(b, a) == ascending) {
      brox_keys[i] = b;
      brox_keys[l] = a;
    }
  }
}
