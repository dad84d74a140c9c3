// Rank of population member i among the first n order keys of brox_popr (population.wgsl's
// layout): lowest key first, ties to the lower index — the engine's top-k order, so a tell kernel
// picks the members its step-by-step twin gets from topk. O(n) per member: CMA-ES and CEM call it
// from a rank pass of one thread per member (n <= 2^14), before their tell.
fn brox_pop_rank(i: u32, n: u32) -> u32 {
  let ki = brox_popr[brox_ps + i];
  var r = 0u;
  for (var j = 0u; j < n; j++) {
    let kj = brox_popr[brox_ps + j];
    r += select(0u, 1u, kj < ki || (kj == ki && j < i));
  }
  return r;
}

// Member i's coordinate c (its f32 bits after the n keys).
fn brox_pop_point(n: u32, i: u32, c: u32) -> f32 {
  return bitcast<f32>(brox_popr[brox_ps + n + i * DIM + c]);
}
