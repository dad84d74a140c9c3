import { threefry2x32 } from '../rng/threefry.js';
import { fold } from './bounds.js';
import { applyMap, offsetNorm, type PreparedSampler } from './spec.js';
import type { Bounds } from './types.js';
import type { Objective } from '../objectives/types.js';

/** One sampling pass as every backend receives it: an oracle round of one call. */
export interface SampleSpec {
  objective: Objective;
  sampler: PreparedSampler;
  bounds: Bounds | null;
  seed: number;
  /** Step number = RNG call. */
  call: number;
  round: number;
  center: ArrayLike<number>;
  t: number;
  /** The call's ball (refinement rounds project into it). */
  outer: ArrayLike<number>;
  tOuter: number;
}

/** The geometry and RNG key of a spec (host side). */
export function geometryOf(s: SampleSpec): { g: Geometry; k0: number; k1: number } {
  const [k0, k1] = roundKey(s.seed, s.call, s.round);
  return { g: { sampler: s.sampler, center: Float64Array.from(s.center), t: s.t, outer: Float64Array.from(s.outer), tOuter: s.tOuter, bounds: s.bounds, round: s.round }, k0, k1 };
}

/** Regenerates sample `index` of a spec in float64 (null when infeasible): the same point on every backend. */
export function pointOf(s: SampleSpec, index: number): Float64Array | null {
  const { g, k0, k1 } = geometryOf(s);
  const y = new Float64Array(g.center.length);
  return samplePoint(g, k0, k1, index, y, scratch(y.length)) ? y : null;
}

/**
 * Where the samples of one oracle round live. Round 0 samples the call's ball (centre = outer);
 * refinement round r samples a smaller ball around the best point so far, and every point is
 * mapped back into the call's (outer) ball and the bounds.
 */
export interface Geometry {
  sampler: PreparedSampler;
  /** This round's centre and radius/scale. */
  center: Float64Array;
  t: number;
  /** The call's centre and radius: samples are projected into this ball (refinement rounds). */
  outer: Float64Array;
  tOuter: number;
  bounds: Bounds | null;
  round: number;
}

const PARITY_ROUND = 0x726f756e; // "roun"

/**
 * The RNG key of a round: (seed, call) for round 0 (the key every call always had), a Threefry
 * hash of it for refinement rounds, so rounds draw independent samples and a winner is
 * regenerated from (round, index). Twin of brox_round_key in shaders/engine/sample_point.wgsl.
 */
export function roundKey(seed: number, call: number, round: number): [number, number] {
  if (round === 0) return [seed >>> 0, call >>> 0];
  const w = new Uint32Array(2);
  threefry2x32(seed, call, round, PARITY_ROUND, w);
  return [w[0], w[1]];
}

/** Scratch per dimension, so the CPU hot loop allocates nothing. */
export interface Scratch {
  tmp: Float64Array;
  v: Float64Array;
}
export const scratch = (d: number): Scratch => ({ tmp: new Float64Array(d), v: new Float64Array(d) });

/**
 * Sample `index` of a round: unit offset -> linear map -> scale t -> add the centre -> into the
 * outer ball (refinement rounds) -> fold into the bounds. Returns false for a sample that cannot
 * be made feasible (a full M-norm ball folded at a face), which is then never evaluated.
 * Twin of brox_sample_point in shaders/engine/sample_point.wgsl.
 */
export function samplePoint(g: Geometry, k0: number, k1: number, index: number, out: Float64Array, s: Scratch): boolean {
  g.sampler.plugin.unit(out, k0, k1, index, g.sampler.gen);
  return placePoint(g, out, s);
}

/**
 * The steps of samplePoint after the unit offset: the offset is src[off .. off + d) times scale
 * (by default out itself), the point is written to out.
 */
export function placePoint(g: Geometry, out: Float64Array, s: Scratch, src: Float64Array = out, off = 0, scale = 1): boolean {
  const d = out.length;
  const sp = g.sampler;
  if (sp.map.kind !== 'none') {
    for (let i = 0; i < d; i++) out[i] = src[off + i] * scale;
    applyMap(sp.map, out, s.tmp);
    src = out;
    off = 0;
    scale = 1;
  }
  const c = g.center;
  const t = g.t;
  let finite = true;
  for (let i = 0; i < d; i++) {
    const v = c[i] + t * (src[off + i] * scale);
    out[i] = v;
    if (v - v !== 0) finite = false; // NaN or +-inf: one loop, no call (the CPU hot path)
  }
  if (!finite) return false; // an overflowed sample is never evaluated
  const ball = g.sampler.plugin.ball;
  if (ball && g.round > 0) {
    for (let i = 0; i < d; i++) s.v[i] = (out[i] - g.outer[i]) / g.tOuter;
    const n = offsetNorm(g.sampler, s.v, s.tmp);
    if (n > 1) for (let i = 0; i < d; i++) out[i] = g.outer[i] + (g.tOuter * s.v[i]) / n;
  }
  const b = g.bounds;
  if (b) {
    for (let i = 0; i < d; i++) out[i] = fold(out[i], b.lo[i], b.hi[i]);
    if (ball && g.sampler.map.kind === 'full') {
      // the call's ball: round 0's own (centre, t) — what every call's outer ball is at round 0,
      // so a resident loop need not write its centre into the geometry before each step
      const o = g.round > 0 ? g.outer : c;
      const to = g.round > 0 ? g.tOuter : t;
      for (let i = 0; i < d; i++) s.v[i] = (out[i] - o[i]) / to;
      if (offsetNorm(g.sampler, s.v, s.tmp) > 1 + 1e-6) return false;
    }
  }
  return true;
}

/**
 * Samples per block when the generator draws normals in blocks (the CPU scans): at most 256 and
 * about BLOCK_NORMALS normals, so a block stays in the core's L1/L2 cache between being written and
 * read; a multiple of 4 (the WebAssembly kernel's lanes).
 */
const BLOCK_NORMALS = 4096; // 32 KiB of float64; measured at d = 100: 0.56 M samples/s, 0.46 M with 25 600
const blockFor = (d: number): number => Math.max(4, Math.min(256, Math.floor(BLOCK_NORMALS / d / 4) * 4));

/**
 * The CPU scans' source of points: samplePoint, sample by sample, or -- for samplers built from
 * normals (l2, M-norm, Gaussian) on a generator that draws them in blocks (lean: WebAssembly SIMD)
 * -- the same points from a block of normals drawn ahead. Indices lie in [start, end); asked in
 * increasing order (as the scans do), each block is drawn once.
 */
export class PointStream {
  private readonly block: boolean;
  private readonly withU: boolean;
  private z: Float64Array | null = null;
  private ss: Float64Array | null = null;
  private u: Float64Array | undefined = undefined;
  private first = 0;
  private count = 0;

  constructor(
    private readonly g: Geometry,
    private readonly k0: number,
    private readonly k1: number,
    private readonly end: number,
  ) {
    this.block = !!(g.sampler.plugin.normalScale && g.sampler.gen.normalsBlock && (g.sampler.gen.hasBlocks?.() ?? true));
    this.withU = g.sampler.plugin.ball; // a ball's radius uniform; a Gaussian population has none
  }

  /** Writes sample `index` into out (false: infeasible, do not evaluate). */
  point(index: number, out: Float64Array, s: Scratch): boolean {
    const g = this.g;
    if (!this.block) return samplePoint(g, this.k0, this.k1, index, out, s);
    const d = out.length;
    if (index < this.first || index >= this.first + this.count) {
      this.first = index;
      this.count = Math.min(blockFor(d), this.end - index);
      ({ z: this.z, ss: this.ss, u: this.u } = g.sampler.gen.normalsBlock!(this.k0, this.k1, index, this.count, d, this.withU));
    }
    const k = index - this.first;
    const scale = g.sampler.plugin.normalScale!(this.ss![k], this.u?.[k], this.k0, this.k1, index, d, g.sampler.gen);
    return placePoint(g, out, s, this.z!, k * d, scale);
  }
}
