/**
 * The default method of minimize(): CMA-ES with BIPOP restarts (cma-es.ts; Hansen, "Benchmarking a
 * BI-population CMA-ES on the BBOB-2009 function testbed", GECCO 2009 workshop) and, between its
 * runs, BPM in coordinate-subspace balls (bpm.ts, ball 'coord', no restarts) from the best point
 * seen. Why (measured on bench:bbob, README): CMA-ES solves the rotated and ill-conditioned
 * functions BPM cannot, but ends the separable Rastrigins (BBOB f3, f4) with one to six coordinates
 * in a wrong basin; a BPM coordinate sweep from there moves each of them to the right basin in
 * ~5e4-1e5 evaluations at d = 10, which CMA-ES restarts do not find in 1e6.
 *
 * The schedule (ours): CMA-ES runs; when one of its runs ends and the best point improved since
 * BPM last reached a fixed point, BPM sweeps from the best point until its own fixed point, or
 * until it has spent `bpmShare` x what CMA-ES spent (then CMA-ES resumes, and BPM continues its
 * sweep at the next run end if the best point is still its own); when a BPM phase improved the best
 * point, a CMA-ES run without restarts starts there with a small step (sigma0 x LOCAL_SIGMA) to
 * resolve the new basin to full precision, then the restarts go on. So BPM gets at most
 * bpmShare / (1 + bpmShare) of the budget, and none while CMA-ES's runs improve nothing. When
 * CMA-ES stops for good (budget for one more generation, or restarts off), BPM may finish its sweep.
 * On WebGPU every phase runs resident: CMA-ES's (cma-es-resident.ts) and BPM's coordinate sweeps
 * (bpm-coord-resident.ts; each sweep's first step, which evaluates its start, goes step by step).
 */
import { BroxError } from '../errors.js';
import type { BackendName } from '../oracle/types.js';
import type { Bounds } from '../samplers/types.js';
import { checkInteger, checkNumber } from '../validate.js';
import { bpmMethod, residentStepEvals, type BpmParams, type BpmState } from './bpm.js';
import { cmaEs, MAX_LAMBDA, type CmaEsParams, type CmaEsState } from './cma-es.js';
import type { Method, MethodContext, ResidentBatch, ResidentForm, StepReport } from './types.js';

export interface PortfolioParams {
  /** CMA-ES's parameters (cma-es.ts), its defaults for the run unless given. */
  cma: CmaEsParams;
  /** BPM's parameters (bpm.ts): its defaults with ball 'coord' and no restarts, unless given. */
  bpm: BpmParams;
  /** BPM spends at most this many evaluations per evaluation CMA-ES spent. */
  bpmShare: number;
}

export interface PortfolioState {
  p: PortfolioParams;
  cma: CmaEsState;
  bpm: BpmState | null;
  /** BPM's step counter (its 'mixed' ball alternates on it; 'coord' ignores it). */
  bpmK: number;
  /** 'cma': CMA-ES's restarts; 'bpm': a BPM sweep; 'local': a CMA-ES run (no restarts) from BPM's better point. */
  phase: 'cma' | 'bpm' | 'local';
  /** The local run, while phase is 'local'. */
  local: CmaEsState | null;
  /** The best value when the BPM phase began (a lower one at its end starts the local run). */
  phaseStartF: number;
  /** CMA-ES runs ended so far (its restarts, and its final stop). */
  cmaRuns: number;
  cmaEvals: number;
  bpmEvals: number;
  /** The best value when BPM last reached a fixed point: BPM runs again only below it. */
  bpmDoneAt: number;
  /** CMA-ES stopped for good: BPM may finish, then the portfolio stops. */
  cmaDone: boolean;
  bestX: Float64Array;
  bestF: number;
}

/** The BPM of the portfolio: coordinate-subspace balls, one sweep to a fixed point per start, down
 * to radii 1e-7 x its start (1e-4, BPM's default, left BBOB f4 at 1.5e-8 > 1e-8 on instance 2). */
const BPM_OVERRIDES = { ball: 'coord', restarts: false, minRatio: 1e-7 } as const;

/**
 * The local run's sigma0, as a fraction of CMA-ES's: BPM's coordinate moves land in the right basin
 * but resolve it only to ~1e-6..1e-8 (BBOB f3/f4, d = 5, 1e5 evaluations); CMA-ES from there with
 * a small step reaches 1e-8 in a few thousand evaluations (ours).
 */
const LOCAL_SIGMA = 1e-2;

function sub(user: unknown, key: string): Record<string, unknown> {
  if (user === undefined) return {};
  if (!user || typeof user !== 'object' || Array.isArray(user)) throw new BroxError(`params.${key}`, `must be an object of ${key === 'cma' ? 'cma-es' : 'bpm'} parameters`);
  return user as Record<string, unknown>;
}

/** A sub-method's parameter error, renamed params.cma.X / params.bpm.X (samples stays params.samples). */
function nested<T>(key: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof BroxError) || e.argument === 'params.samples') throw e;
    const arg = e.argument.replace(/^params\./, `params.${key}.`);
    throw new BroxError(arg, e.message.slice(e.argument.length + 2), e.code);
  }
}

/** Whether BPM has work: the best point improved since BPM's last fixed point, and its share of the budget is not spent. */
const bpmWanted = (st: PortfolioState): boolean => st.bestF < st.bpmDoneAt && (st.cmaDone || st.bpmEvals < st.p.bpmShare * st.cmaEvals);

/** A BPM phase begins: from the best point (a new sweep, or the one under way), resident again after any hand-over of the last phase. */
function enterBpm(st: PortfolioState): void {
  st.phase = 'bpm';
  st.phaseStartF = st.bestF;
  if (st.bpm) st.bpm.stepwise = false;
}

function keepBest(st: PortfolioState, x: ArrayLike<number>, f: number): void {
  if (f < st.bestF) ((st.bestF = f), (st.bestX = Float64Array.from(x)));
}

function info(st: PortfolioState, inner?: Record<string, unknown>): Record<string, unknown> {
  return { phase: st.phase, cmaEvals: st.cmaEvals, bpmEvals: st.bpmEvals, restarts: st.cma.restarts, [st.phase]: inner };
}

/** After a CMA-ES step or batch: count its runs, and hand over to BPM when a run ended and BPM has work. */
function afterCma(st: PortfolioState, stop: StepReport['stop']): StepReport['stop'] {
  keepBest(st, st.cma.bestX, st.cma.bestF);
  const runs = st.cma.restarts + (stop ? 1 : 0);
  const ended = runs > st.cmaRuns;
  st.cmaRuns = runs;
  if (stop) st.cmaDone = true;
  if (ended && bpmWanted(st)) {
    enterBpm(st);
    return undefined;
  }
  return stop;
}

/** After a step or batch of the local CMA-ES run: when it ends, back to the restarts. */
function afterLocal(st: PortfolioState, stop: StepReport['stop']): StepReport['stop'] {
  keepBest(st, st.local!.bestX, st.local!.bestF);
  if (!stop) return undefined;
  st.local = null;
  return handBack(st);
}

/** BPM or the local run ended: CMA-ES's restarts go on; once they are done, BPM if it has work, else stop. */
function handBack(st: PortfolioState): StepReport['stop'] {
  if (!st.cmaDone) {
    st.phase = 'cma';
    return undefined;
  }
  if (bpmWanted(st)) {
    enterBpm(st);
    return undefined;
  }
  st.phase = 'cma';
  return 'converged'; // both methods' own criteria met (or the budget left pays no CMA-ES generation)
}

/** A BPM step's report as the portfolio's: its best point; the end of the sweep (or of BPM's share) changes phase. */
function bpmReport(ctx: MethodContext, st: PortfolioState, rep: StepReport, nfev: number): StepReport {
  st.bpmEvals += nfev;
  keepBest(st, rep.x, rep.fun);
  let stop: StepReport['stop'];
  if (rep.stop) st.bpmDoneAt = st.bestF; // its fixed point: again only from a better point
  if (rep.stop || !bpmWanted(st)) {
    if (st.bestF < st.phaseStartF) {
      // BPM moved the best point to a better basin: a local CMA-ES run there for precision
      st.local = cmaEs.init(ctx, Float64Array.from(st.bestX), { ...st.p.cma, sigma0: st.p.cma.sigma0 * LOCAL_SIGMA, restarts: false }) as CmaEsState;
      st.phase = 'local';
    } else stop = handBack(st);
  }
  return { x: st.bestX, fun: st.bestF, nfev, radius: rep.radius, improved: rep.improved, index: rep.index, stop, info: info(st, rep.info) };
}

/** Resident BPM steps the phase may still take (bpmWanted before each): BPM's share of the budget left, in steps. */
const bpmRoom = (st: PortfolioState): number => (st.cmaDone ? Infinity : Math.max(1, Math.ceil((st.p.bpmShare * st.cmaEvals - st.bpmEvals) / residentStepEvals(st.bpm!))));

/**
 * A resident batch of the BPM sweep: only the steps step() would take (BPM's share of the budget
 * ends the phase after the step that reaches it), each reported as step() reports it.
 */
function afterBpmBatch(ctx: MethodContext, st: PortfolioState, batch: ResidentBatch<unknown>): ReturnType<ResidentForm<PortfolioState>['after']> {
  const room = bpmRoom(st);
  const taken = room < batch.generations.length ? { ...batch, generations: batch.generations.slice(0, room), halt: 0 } : batch;
  const out = bpmMethod.resident!.after(ctx, st.bpm!, taken);
  st.bpmK += out.reports.length;
  const reports = out.reports.map((r) => bpmReport(ctx, st, r, r.nfev));
  return { reports, reopen: out.reopen || st.phase !== 'bpm', used: out.used ?? reports.length };
}

export const portfolio: Method<PortfolioParams, PortfolioState> = {
  name: 'portfolio',
  description: 'CMA-ES with BIPOP restarts, and BPM coordinate sweeps from the best point between its runs (default)',

  defaults(dim: number, bounds: Bounds | null, backend?: BackendName): PortfolioParams {
    return {
      cma: cmaEs.defaults(dim, bounds, backend),
      bpm: bpmMethod.params!(BPM_OVERRIDES, bpmMethod.defaults(dim, bounds)),
      // measured on bench:bbob d = 10 (README): BPM's sweeps rarely use it all (they stop at
      // their fixed point), so the cap matters only on functions where they keep improving
      bpmShare: 0.5,
    };
  },

  params(user: Record<string, unknown>, d: PortfolioParams): PortfolioParams {
    const known = ['cma', 'bpm', 'bpmShare', 'samples'];
    for (const k of Object.keys(user)) if (!known.includes(k)) throw new BroxError(`params.${k}`, `unknown portfolio parameter; allowed: ${known.join(', ')} (cma and bpm take those methods' parameters as objects)`);
    // `samples` (minimize's samples-per-step option) is CMA-ES's first population size here
    if (user.samples !== undefined) checkInteger(user.samples, 'samples', 2, MAX_LAMBDA);
    const cmaUser = { ...sub(user.cma, 'cma'), ...(user.samples !== undefined ? { samples: user.samples } : {}) };
    return {
      cma: nested('cma', () => cmaEs.params!(cmaUser, d.cma)),
      bpm: nested('bpm', () => bpmMethod.params!(sub(user.bpm, 'bpm'), d.bpm)),
      bpmShare: user.bpmShare === undefined ? d.bpmShare : checkNumber(user.bpmShare, 'params.bpmShare', 0, 100),
    };
  },

  init(ctx: MethodContext, x0: Float64Array, p: PortfolioParams): PortfolioState {
    const cma = cmaEs.init(ctx, x0, p.cma) as CmaEsState;
    return { p, cma, bpm: null, bpmK: 0, phase: 'cma', local: null, phaseStartF: Infinity, cmaRuns: 0, cmaEvals: 0, bpmEvals: 0, bpmDoneAt: Infinity, cmaDone: false, bestX: Float64Array.from(x0), bestF: Infinity };
  },

  async step(ctx: MethodContext, st: PortfolioState, k: number): Promise<StepReport> {
    if (st.phase === 'bpm') {
      let nfev = 0;
      if (!st.bpm || st.bpm.fun > st.bestF) {
        // a new start: the best point (BPM's init evaluates it once)
        const before = ctx.evalsLeft();
        st.bpm = await bpmMethod.init(ctx, Float64Array.from(st.bestX), st.p.bpm);
        st.bpmK = 0;
        nfev += before - ctx.evalsLeft();
      }
      const rep = await bpmMethod.step(ctx, st.bpm, st.bpmK++);
      return bpmReport(ctx, st, rep, nfev + rep.nfev);
    }
    if (st.phase === 'local') {
      const rep = await cmaEs.step(ctx, st.local!, k);
      st.cmaEvals += rep.nfev;
      const stop = afterLocal(st, rep.stop);
      return { ...rep, x: st.bestX, fun: st.bestF, stop, info: info(st, rep.info) };
    }
    if (st.cmaDone) return { x: st.bestX, fun: st.bestF, nfev: 0, radius: st.cma.run.sigma, improved: false, stop: 'converged', info: info(st) };
    const rep = await cmaEs.step(ctx, st.cma, k);
    st.cmaEvals += rep.nfev;
    const stop = afterCma(st, rep.stop);
    return { ...rep, x: st.bestX, fun: st.bestF, stop, info: info(st, rep.info) };
  },

  resident: {
    ready: (st, dim, engine) =>
      (st.phase === 'cma' && !st.cmaDone && cmaEs.resident!.ready(st.cma, dim, engine)) ||
      (st.phase === 'local' && cmaEs.resident!.ready(st.local!, dim, engine)) ||
      // a BPM sweep under way (its start, which evaluates the best point, goes step by step)
      (st.phase === 'bpm' && st.bpm !== null && !(st.bpm.fun > st.bestF) && bpmMethod.resident!.ready(st.bpm, dim, engine)),
    limit: (st) => (st.phase === 'bpm' ? bpmRoom(st) : Infinity),
    open: (engine, ctx, st) => (st.phase === 'bpm' ? bpmMethod.resident!.open(engine, ctx, st.bpm!) : cmaEs.resident!.open(engine, ctx, st.phase === 'local' ? st.local! : st.cma)),
    after(ctx, st, batch) {
      const phase = st.phase;
      if (phase === 'bpm') return afterBpmBatch(ctx, st, batch);
      const out = cmaEs.resident!.after(ctx, phase === 'local' ? st.local! : st.cma, batch);
      for (const r of out.reports) st.cmaEvals += r.nfev;
      const last = out.reports.at(-1);
      const stop = phase === 'local' ? afterLocal(st, last?.stop) : afterCma(st, last?.stop);
      if (last) Object.assign(last, { stop, info: info(st, last.info) });
      // a change of phase closes the session (BPM steps on the host; the other CMA-ES reopens one)
      return { reports: out.reports, reopen: out.reopen || st.phase !== phase };
    },
  },
};
