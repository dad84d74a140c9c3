// Pass 1 of the oracle: each thread walks its samples (grid stride), regenerating each one from its
// index, keeps its own best; a workgroup reduction writes one Best per workgroup. Samples are never
// stored. The centre and the step number k (the RNG call) live in `state`, on the GPU, so BPM can
// run many steps per submission (bpm.wgsl). Needs DIM, best.wgsl, a wg_reduce_*.wgsl, the ball and
// the objective.

struct SampleParams {
  seed: u32,
  count: u32,           // samples in this dispatch (<= 2^30, so i + stride never wraps)
  base: vec2<u32>,      // first sample index of this dispatch, (lo, hi)
  partial_offset: u32,  // where this dispatch's workgroups write in `partials`
  k_base: u32,          // step number of radii[0]
  pad0: u32,
  pad1: u32,
}

struct State {
  k: u32,          // step number = RNG call
  stopped: u32,    // BPM: 0 running, 1 fixed point, 2 target reached, 3 ftol
  fcenter: f32,    // f(center), float32
  pad: u32,
  center: array<f32, DIM>,
}

override WG: u32 = 64;  // power of two; chosen per device by the tuner

@group(0) @binding(0) var<uniform> sparams: SampleParams;
// The sample passes only read the state (read-only lets the compiler cache and hoist loads);
// the BPM entry points write it through binding 9, the same buffer.
@group(0) @binding(1) var<storage, read> cstate: State;
@group(0) @binding(9) var<storage, read_write> state: State;
@group(0) @binding(2) var<storage, read_write> partials: array<Best>;
// Per step k: (radius, 1 if the radius shrinks after this step). Written by the host from its
// float64 schedule, so the GPU-resident loop uses exactly the radii of the step-by-step loop.
@group(0) @binding(11) var<storage, read> radii: array<vec2<f32>>;

fn brox_radius(k: u32) -> f32 {
  return radii[k - sparams.k_base].x;
}

// What both sample kernels share: the step's RNG key and radius, how many samples to draw, the
// 64-bit index of grid-stride sample i, and the end of the pass (reduce, write one Best).
struct BroxStep {
  key: vec2<u32>,
  t: f32,
  // A stopped BPM run skips the rest of its batch (a zero loop bound, not an early return, so the
  // workgroup reduction stays in uniform control flow).
  count: u32,
}

fn brox_step() -> BroxStep {
  let k = cstate.k;
  return BroxStep(vec2<u32>(sparams.seed, k), brox_radius(k), select(sparams.count, 0u, cstate.stopped != 0u));
}

fn brox_sample_index(i: u32) -> vec2<u32> {
  let lo = sparams.base.x + i;
  return vec2<u32>(lo, sparams.base.y + select(0u, 1u, lo < i));  // carry into the high word
}

fn brox_finish_pass(best: Best, ids: BroxIds) {
  let w = brox_wg_reduce(best, ids);
  if (ids.lid == 0u) {
    partials[sparams.partial_offset + ids.wid.x] = w;
  }
}

@compute @workgroup_size(WG)
fn sample_main(ids: BroxIds) {
  let step = brox_step();
  var best = BROX_NO_BEST;
  var y: array<f32, DIM>;
  for (var i = ids.gid.x; i < step.count; i += ids.nwg.x * WG) {
    let ix = brox_sample_index(i);
    brox_ball_offset(step.key, ix.x, ix.y, step.t, &y);
    for (var c = 0u; c < DIM; c++) {
      y[c] += cstate.center[c];
    }
    let cand = Best(brox_order_key(objective(&y)), ix.x, ix.y, 0u);
    if (brox_better(cand, best)) {
      best = cand;
    }
  }
  brox_finish_pass(best, ids);
}
