import { BroxError } from '../errors.js';
import type { GpuEngine } from '../engine/engine.js';
import type { GeneratorName } from '../rng/generator.js';
import { createCpuOracle } from '../oracle/cpu.js';
import { orderValue } from '../oracle/cpu-scan.js';
import type { Oracle } from '../oracle/types.js';
import type { Objective } from '../objectives/types.js';
import type { Bounds } from '../samplers/types.js';
import type { MinimizeOptions, MinimizeResult, MinimizeStatus } from './minimize-types.js';
import { STATUS, type BpmHistoryEntry } from './status.js';
import type { Method, MethodContext, ResidentBatch, ResidentForm, ResidentSession, StepReport } from './types.js';

const MESSAGES: Record<MinimizeStatus, { success: boolean; message: string }> = {
  ...STATUS,
  converged: { success: true, message: "the method's own convergence tolerances were met (a local result unless the method restarts)" },
};

/** Internal: a primitive asked for evaluations the budget no longer has. */
export class BudgetSpent extends Error {}

/** What one run is made of: minimize()'s validated arguments for one seed. */
export interface RunSetup {
  obj: Objective;
  d: number;
  name: string;
  method: Method<any, any>;
  bounds: Bounds | null;
  seed: number;
  generator: GeneratorName;
  maxEvals: number;
  maxIter: number;
  fTarget: number;
  keep: number;
  signal?: AbortSignal;
  random: () => number;
  start: Float64Array;
  params: unknown;
  callback?: MinimizeOptions['callback'];
  /** This run's index among the call's runs (0 for a single run). */
  index: number;
  finish64: boolean;
}

/**
 * One run of a method: what every method shares (the budget, RNG call numbers, the best point
 * seen, history, the callback, the float64 hand-over, the result), whichever executor advances it.
 * `step()` is the step-by-step executor's unit; `absorb()` takes a resident batch (src/methods/
 * executor.ts runs the batches of many runs in one submission).
 */
export class Run {
  status: MinimizeStatus | null = null;
  nit = 0;
  nfev = 0;
  /** The next RNG call number (one per primitive call, one per resident generation). */
  call = 0;
  bestX: Float64Array;
  bestF = Infinity;
  history: BpmHistoryEntry[] = [];
  info: Record<string, unknown> | undefined;
  /** The method's resident session while the run is resident; `resident` false after a device loss. */
  session: ResidentSession<unknown> | null = null;
  resident: boolean;
  ranResident = false;
  steps64 = 0;
  readonly ctx: MethodContext;
  private state: unknown;
  private active: Oracle;
  private cpu64: Oracle | null = null;
  private sawValue = false;
  private budgetOn = true;
  private prev: Float64Array;
  private lastEntry: BpmHistoryEntry | null = null;

  constructor(
    readonly setup: RunSetup,
    readonly oracle: Oracle,
    resident: boolean,
  ) {
    this.resident = resident;
    this.active = oracle;
    this.bestX = setup.start;
    this.prev = setup.start;
    const { obj, d, bounds, seed, generator, fTarget, signal, random } = setup;
    const left = () => (this.budgetOn ? setup.maxEvals - this.nfev : Infinity);
    const spend = (n: number) => {
      if (n < 1) throw new BudgetSpent();
      return n;
    };
    const common = () => ({ seed, generator, call: this.call++, bounds: bounds ? ([bounds.lo, bounds.hi] as const) : null, signal });
    // Every primitive: samples clipped to the budget, evaluations counted, the best value seen kept.
    this.ctx = {
      objective: obj,
      dim: d,
      bounds,
      seed,
      generator,
      fTarget,
      oracle,
      evalsLeft: left,
      random,
      brox: async (x, t, o) => {
        const rounds = o.rounds ?? 1;
        const samples = spend(Math.min(o.samples, Math.floor(left() / rounds)));
        const r = await this.active.brox(obj, x, t, { ...common(), samples, ball: o.ball, rounds, shrink: o.shrink });
        this.nfev += samples * rounds;
        this.seen(r.x, r.fun);
        return r;
      },
      topk: async (center, t, o) => {
        const samples = spend(Math.min(o.samples, left()));
        const r = await this.active.topk(obj, center, t, { ...common(), samples, k: Math.min(o.k, samples), ball: o.ball });
        this.nfev += samples;
        if (r.values.length) this.seen(r.points[0], r.values[0]);
        return r;
      },
      moments: async (center, t, o) => {
        const samples = spend(Math.min(o.samples, Math.floor(left() / 2)));
        const r = await this.active.moments(obj, center, t, { ...common(), samples, ball: o.ball, temperature: o.temperature, second: o.second });
        this.nfev += r.nfev;
        this.seen(r.best, r.bestFun);
        return r;
      },
      evaluate: async (points) => {
        if (points.length > left()) throw new BudgetSpent();
        const vals: number[] = [];
        for (let i = 0; i < points.length; i++) {
          vals.push(orderValue(obj.js(points[i])));
          this.seen(points[i], vals[i]);
        }
        this.nfev += points.length;
        return vals;
      },
    };
  }

  private seen(x: ArrayLike<number>, f: number): void {
    if (!this.budgetOn) return; // finish(): reported in info, never the result
    this.sawValue = true;
    if (f < this.bestF) {
      this.bestF = f;
      this.bestX = Float64Array.from(x);
    }
  }

  /** Float64 finish (WebGPU): a run that asks for it sends its primitives to a CPU oracle (float64 twins, the same samples) until it stops asking. */
  private useFloat64(on: boolean): void {
    if (!this.setup.finish64 || this.oracle.backend !== 'webgpu') return;
    this.active = on ? (this.cpu64 ??= createCpuOracle('float64 finish')) : this.oracle;
  }

  async start(): Promise<void> {
    const { method, start, params, fTarget } = this.setup;
    try {
      this.state = await method.init(this.ctx, Float64Array.from(start), params);
      if (!this.sawValue) await this.ctx.evaluate([start]);
    } catch (e) {
      if (!(e instanceof BudgetSpent)) throw e;
      this.status = 'max-evals'; // a budget smaller than the method's start (maxEvals: 1 is x0 alone)
      return;
    }
    if (this.bestF <= fTarget) this.status = 'target-reached';
  }

  /** Before any work of a round: the signal, maxIter and the budget. True while the run goes on. */
  going(): boolean {
    if (this.status !== null) return false;
    if (this.setup.signal?.aborted) throw new BroxError('signal', 'the run was aborted', 'ABORTED');
    if (this.nit >= this.setup.maxIter) this.status = 'max-iter';
    else if (this.setup.maxEvals - this.nfev < 1) this.status = 'max-evals';
    return this.status === null;
  }

  private record(rep: StepReport, used: number, ms: number): BpmHistoryEntry {
    let step = 0;
    for (let i = 0; i < this.setup.d; i++) step += (rep.x[i] - this.prev[i]) ** 2;
    this.prev = Float64Array.from(rep.x);
    const entry: BpmHistoryEntry = { k: this.nit, x: Array.from(rep.x), fun: rep.fun, step: Math.sqrt(step), radius: rep.radius, nfev: used || rep.nfev, ms, improved: rep.improved, index: rep.index ?? -1 };
    if (this.setup.keep > 0) {
      this.history.push(entry);
      if (this.history.length > this.setup.keep) this.history.shift();
    }
    this.lastEntry = entry;
    return entry;
  }

  private async callback(radius: number): Promise<void> {
    const cb = this.setup.callback;
    if (this.status === null && cb && this.lastEntry) {
      const stop = await cb({ x: Array.from(this.bestX), fun: this.bestF, nit: this.nit, nfev: this.nfev, radius, last: this.lastEntry, run: this.setup.index });
      if (stop === true) this.status = 'callback-stop';
    }
  }

  /** One step by step (every backend; the reference). */
  async step(): Promise<void> {
    this.closeSession();
    const ts = performance.now();
    const before = this.nfev;
    let rep: StepReport;
    try {
      rep = await this.setup.method.step(this.ctx, this.state, this.nit);
    } catch (e) {
      if (e instanceof BudgetSpent) {
        this.status = 'max-evals';
        return;
      }
      throw e;
    }
    this.nit++;
    this.info = rep.info;
    if (this.active !== this.oracle) this.steps64++;
    this.useFloat64(!!rep.float64);
    this.record(rep, this.nfev - before, performance.now() - ts);
    if (this.bestF <= this.setup.fTarget) this.status = 'target-reached';
    else if (rep.stop) this.status = rep.stop;
    else await this.callback(rep.radius);
  }

  /** The method's resident form when it can take the run's state now (WebGPU only). */
  form(engine: GpuEngine | undefined): ResidentForm<unknown> | undefined {
    const form = this.resident ? this.setup.method.resident : undefined;
    return form && engine && !engine.lost && form.ready(this.state, this.setup.d, engine) ? form : undefined;
  }

  /** Generations the next resident batch may run, at most `cap` (0: go step by step), the session opened (`batch` sizes its buffers). */
  async plan(engine: GpuEngine, batch: number, cap: number): Promise<number> {
    const form = this.form(engine);
    if (!form) return 0;
    const { obj, d, bounds, seed, generator, fTarget, maxIter, maxEvals } = this.setup;
    this.session ??= await form.open(engine, { objective: obj, dim: d, bounds, seed, generator, fTarget, batch }, this.state);
    return Math.max(0, Math.min(batch, cap, maxIter - this.nit, Math.floor((maxEvals - this.nfev) / this.session.population), form.limit?.(this.state) ?? Infinity));
  }

  /** A resident batch came back: the method's host side, then history, budget and stop per generation. */
  async absorb(batch: ResidentBatch<unknown>, ms: number): Promise<void> {
    const form = this.setup.method.resident!;
    this.ranResident = true;
    const { reports, reopen, used, calls } = form.after(this.ctx, this.state, batch);
    this.call += calls ?? used ?? batch.generations.length;
    if (reopen || (used !== undefined && used < batch.generations.length)) this.closeSession();
    const per = ms / Math.max(1, reports.length);
    // every generation as a step: history, budget, stop, and the callback after each (as step by step)
    for (const [i, rep] of reports.entries()) {
      this.nfev += rep.nfev;
      this.seen(rep.x, rep.fun);
      this.nit++;
      if (rep.info) this.info = rep.info;
      this.record(rep, 0, per);
      if (this.bestF <= this.setup.fTarget) this.status = 'target-reached';
      else if (rep.stop) this.status = rep.stop;
      else {
        if (this.setup.signal?.aborted) throw new BroxError('signal', 'the run was aborted', 'ABORTED'); // no callback after an abort
        await this.callback(rep.radius);
      }
      if (this.status !== null) {
        if (i < reports.length - 1) form.rewind?.(this.state, rep);
        break;
      }
    }
    this.useFloat64(!!reports.at(-1)?.float64);
    // the GPU made no progress: go on step by step
    if (reports.length === 0 && !reopen) (this.closeSession(), (this.resident = false));
  }

  /** A lost device or GPU error mid-batch: the host state is the last batch's and `call` did not advance, so step by step redoes the generations with the same RNG calls. */
  dropResident(): void {
    this.closeSession();
    this.resident = false;
  }

  closeSession(): void {
    this.session?.close();
    this.session = null;
  }

  /** After the run: the method's own report (outside the budget), then the scipy-like result. */
  async end(t0: number): Promise<MinimizeResult> {
    this.closeSession();
    const { method, fTarget, name } = this.setup;
    if (method.finish) {
      this.budgetOn = false;
      const used = this.nfev;
      this.info = { ...this.info, ...(await method.finish(this.ctx, this.state)) };
      this.nfev = used;
    }
    let info = this.info;
    if (this.steps64 > 0) info = { ...info, float64: { steps: this.steps64 } };
    const status = this.status ?? 'max-iter';
    // With a target, only reaching it is success (a fixed point or a converged run above it is not);
    // without one, the status table says (scipy's sense: the method's own criterion was met).
    const { success: stopped, message } = MESSAGES[status];
    const success = Number.isFinite(fTarget) ? status === 'target-reached' : stopped;
    return { x: Array.from(this.bestX), fun: this.bestF, nit: this.nit, nfev: this.nfev, success, status, message, history: this.history, backend: this.oracle.backend, method: name, ms: performance.now() - t0, info };
  }

  destroy(): void {
    this.closeSession();
    this.cpu64?.destroy();
    this.cpu64 = null;
  }
}
