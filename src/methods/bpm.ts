/**
 * BPM as a method of minimize(): x_{k+1} = brox_t(x_k) by the sampled oracle (Gruntkowska, Li,
 * Rane, Richtárik, arXiv:2502.02002; progress rule from "Broximal Alignment", arXiv:2604.13483),
 * with the practical pieces that are ours:
 * - radius schedules: 'constant' (the papers' setting), 'geometric' (t_k = t0 gamma^k, floor
 *   tMin), 'adaptive' (trust-region style: shrink by `shrinkBy` when no sample beats the centre,
 *   grow by `growBy` after a success, capped at t0) — algorithms.md section 3;
 * - restarts: when the radius reaches its floor with budget left, reset it to t0 around the best
 *   point (a fresh RNG call, so fresh samples), so the run keeps looking for better basins;
 * - refinement rounds inside each oracle call (`rounds`, `shrink`), off by default: the quality
 *   notes measured greedier steps losing the global moves of a large ball;
 * - the alignment paper's progress rule (`progress: 'farthest'`): among samples within `ftol` of
 *   the best value, take the one farthest from the centre.
 * Defaults were picked on the quality bench (bench/quality), not from the papers (they use a
 * constant radius and exact oracles).
 */
import { BroxError } from '../errors.js';
import type { Bounds } from '../samplers/types.js';
import { checkInteger, checkNumber, checkOneOf } from '../validate.js';
import type { Method, MethodContext, StepReport } from './types.js';

export type Schedule = 'constant' | 'geometric' | 'adaptive';

export interface BpmParams {
  /** Initial radius t0 (default: a quarter of the mean box width; 1 without bounds). */
  radius: number;
  schedule: Schedule;
  /** Geometric: t_k = t0 * decay^k. */
  decay: number;
  /** Radius floor, as a fraction of t0: adaptive/geometric stop shrinking (and restart) there. */
  minRatio: number;
  /** Adaptive: factors after a failed / successful step. */
  shrinkBy: number;
  growBy: number;
  /** Samples per step. */
  samples: number;
  rounds: number;
  shrink: number;
  restarts: boolean;
  progress: 'best' | 'farthest';
  /** Progress rule: samples within ftol (absolute) of the best count as minimisers. */
  ftol: number;
  /** Candidates the progress rule looks at (top-k). */
  candidates: number;
}

export interface BpmState {
  p: BpmParams;
  x: Float64Array;
  fun: number;
  t: number;
  k: number;
  restarts: number;
  lastImprovedFraction: number;
  lastT: number;
}

const meanWidth = (b: Bounds | null): number | null => {
  if (!b) return null;
  let s = 0;
  for (let i = 0; i < b.lo.length; i++) s += b.hi[i] - b.lo[i];
  return s / b.lo.length;
};

const dist = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};

export const bpmMethod: Method<BpmParams, BpmState> = {
  name: 'bpm',
  description: 'Ball Proximal Point Method with adaptive radius and restarts (default)',
  defaults(dim, bounds) {
    const w = meanWidth(bounds);
    return {
      radius: w ? 0.25 * w : 1, // the quality notes' t0 (0.25 x domain width)
      schedule: 'adaptive',
      decay: 0.97,
      minRatio: 1e-6,
      shrinkBy: 0.5, // quality notes: halve on failure...
      growBy: 1.5, // ...x1.5 on success, capped at t0
      samples: dim <= 2 ? 1 << 10 : dim <= 10 ? 1 << 12 : 1 << 14,
      rounds: 1,
      shrink: 0.25,
      restarts: true,
      progress: 'best',
      ftol: 0,
      candidates: 64,
    };
  },
  params(user, d) {
    const out = { ...d };
    for (const [k, v] of Object.entries(user)) {
      switch (k) {
        case 'radius': out.radius = checkNumber(v, 'params.radius', 0, Number.MAX_VALUE, true); break;
        case 'schedule': out.schedule = checkOneOf(v, ['constant', 'geometric', 'adaptive'] as const, 'params.schedule'); break;
        case 'decay': out.decay = checkNumber(v, 'params.decay', 0, 1, true); break;
        case 'minRatio': out.minRatio = checkNumber(v, 'params.minRatio', 0, 1); break;
        case 'shrinkBy': out.shrinkBy = checkNumber(v, 'params.shrinkBy', 0, 1, true); break;
        case 'growBy': out.growBy = checkNumber(v, 'params.growBy', 1, 100); break;
        case 'samples': out.samples = checkInteger(v, 'params.samples', 1, 2 ** 40); break;
        case 'rounds': out.rounds = checkInteger(v, 'params.rounds', 1, 64); break;
        case 'shrink': out.shrink = checkNumber(v, 'params.shrink', 0, 1, true); break;
        case 'restarts': if (typeof v !== 'boolean') throw new BroxError('params.restarts', 'must be true or false'); out.restarts = v; break;
        case 'progress': out.progress = checkOneOf(v, ['best', 'farthest'] as const, 'params.progress'); break;
        case 'ftol': out.ftol = checkNumber(v, 'params.ftol', 0, Number.MAX_VALUE); break;
        case 'candidates': out.candidates = checkInteger(v, 'params.candidates', 1, 4096); break;
        default: throw new BroxError(`params.${k}`, `unknown BPM parameter; allowed: ${Object.keys(d).join(', ')}`);
      }
    }
    return out;
  },
  async init(ctx, x0, p) {
    const [fun] = await ctx.evaluate([x0]);
    return { p, x: x0, fun: Number.isNaN(fun) ? Infinity : fun, t: p.radius, k: 0, restarts: 0, lastImprovedFraction: NaN, lastT: p.radius };
  },
  async step(ctx: MethodContext, s: BpmState, k: number): Promise<StepReport> {
    const p = s.p;
    const t = s.t;
    const samples = Math.max(1, Math.min(p.samples, Math.floor(ctx.evalsLeft() / p.rounds)));
    let xNew: ArrayLike<number> = s.x;
    let fNew = s.fun;
    let index = -1;
    let nfev = 0;
    if (p.progress === 'farthest') {
      const r = await ctx.topk(s.x, t, { ball: 'l2', samples, k: Math.min(p.candidates, samples) });
      nfev += r.nfev;
      if (r.values.length && r.values[0] < s.fun) {
        let pick = 0;
        for (let i = 1; i < r.values.length; i++) if (r.values[i] <= r.values[0] + p.ftol && dist(r.points[i], s.x) > dist(r.points[pick], s.x)) pick = i;
        xNew = r.points[pick];
        fNew = r.values[pick];
        index = r.indices[pick];
      }
    } else {
      const r = await ctx.brox(s.x, t, { samples, rounds: p.rounds, shrink: p.shrink });
      nfev += r.nfev - 1; // the centre's value is already known
      if (r.improved) {
        xNew = r.x;
        fNew = r.fun;
        index = r.index;
      }
    }
    const improved = fNew < s.fun;
    const prevF = s.fun;
    if (improved) {
      s.x = Float64Array.from(xNew);
      s.fun = fNew;
    }
    // the radius for the next step
    const tMin = p.radius * p.minRatio;
    let stop: StepReport['stop'];
    if (p.schedule === 'geometric') s.t = Math.max(tMin, p.radius * p.decay ** (k + 1));
    else if (p.schedule === 'adaptive') s.t = improved ? Math.min(p.radius, t * p.growBy) : Math.max(tMin, t * p.shrinkBy);
    const atFloor = p.schedule === 'constant' || (t <= tMin && s.t <= tMin);
    if (!improved && atFloor) {
      // a fixed point of the sampled oracle at the final radius
      if (p.restarts && ctx.evalsLeft() > samples) {
        s.t = p.radius;
        s.restarts++;
      } else stop = 'fixed-point';
    }
    void prevF;
    s.lastT = t;
    return { x: s.x, fun: s.fun, nfev, radius: t, improved, index, stop, info: { restarts: s.restarts, radius: s.t } };
  },
  /**
   * The certificate: at the final point and the last step's radius, the fraction of samples that
   * beat the centre (0: a sampled fixed point at that radius), from a value-statistics pass.
   */
  async finish(ctx, s) {
    const samples = Math.min(s.p.samples, 1 << 14);
    const m = await ctx.moments(s.x, s.lastT, { ball: 'l2', samples, temperature: 0 });
    return { certificate: { improvedFraction: m.fractionBelowCenter, radius: s.lastT, samples, evaluations: m.nfev }, restarts: s.restarts, finalRadius: s.t };
  },
};
