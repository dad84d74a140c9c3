// A candidate: the objective value as an order-preserving u32 key, and its 64-bit sample index.
// Comparing (key, hi, lo) as integers gives "lowest value, ties to the lowest index" exactly,
// with no float comparisons (which fast-math may reorder) and NaN mapped to +inf.
struct BroxBest {
  key: u32,
  lo: u32,
  hi: u32,
  pad: u32,
}

const BROX_NO_BEST = BroxBest(0xffffffffu, 0xffffffffu, 0xffffffffu, 0u);

fn brox_order_key(f: f32) -> u32 {
  var b = bitcast<u32>(f);
  if ((b & 0x7fffffffu) > 0x7f800000u) {
    b = 0x7f800000u; // NaN counts as +inf
  }
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

// a strictly better than b
fn brox_better(a: BroxBest, b: BroxBest) -> bool {
  if (a.key != b.key) { return a.key < b.key; }
  if (a.hi != b.hi) { return a.hi < b.hi; }
  return a.lo < b.lo;
}

// Inverse of brox_order_key (NaN came in as +inf and goes out as +inf).
fn brox_key_value(key: u32) -> f32 {
  return bitcast<f32>(select(~key, key & 0x7fffffffu, (key & 0x80000000u) != 0u));
}

// Per-workgroup bests of a sample pass (pass 2 reduces them).
@group(0) @binding(2) var<storage, read_write> brox_partials: array<BroxBest>;
