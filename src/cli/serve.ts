import type { GeneratorName } from '../rng/generator.js';
import { EventEmitter, once } from 'node:events';
import { version } from '../../package.json';
import { DEFAULT_MAX_ITER, MAX_RUNS, minimize } from '../methods/minimize.js';
import { checkDim, checkInteger } from '../validate.js';
import type { BoundsSpec, SamplerSpec } from '../samplers/types.js';
import { bpm, BPM_MAX_ITER, type BpmOptions } from '../bpm/bpm.js';
import { BroxError, preview } from '../errors.js';
import { exprObjective } from '../expr/index.js';
import { DATA_OBJECTIVES, type DataObjectiveName } from '../objectives/data.js';
import { defineObjective } from '../objectives/define.js';
import type { Objective } from '../objectives/types.js';
import { resolveObjective } from '../oracle/inputs.js';
import { DEFAULT_SAMPLES, type Oracle } from '../oracle/types.js';
import { limitWork } from '../oracle/work.js';
import { boundedLines } from './lines.js';
import { broxJson, jsonLine } from './output.js';
import type { MethodName } from '../methods/minimize-types.js';

/**
 * The JSON-lines protocol of `brox serve`: one request per line on stdin, one response per line on
 * stdout, in two forms (each request is answered in its own):
 * - brox's own: { "id", "method", "params" } -> { "id", "result" } or { "id", "error": { code, message,
 *   argument? } } with a string code (ErrorCode below); every request is answered.
 * - JSON-RPC 2.0 (https://www.jsonrpc.org/specification), for standard clients in any language:
 *   { "jsonrpc": "2.0", "id"?, "method", "params"? } -> { "jsonrpc": "2.0", "id", "result" } or
 *   { "jsonrpc": "2.0", "id", "error": { code, message, data: { code, argument? } } } with the
 *   standard numeric codes (RPC_CODES; brox's string code in data.code); a request without "id" is a
 *   notification (run, never answered); a JSON array is a batch, answered by one array line (none when
 *   all were notifications).
 * A line that is not JSON (or too long) has no form of its own: it is answered in the form of the last
 * request that had one (brox's until a JSON-RPC request arrives; JSON-RPC from the start with
 * `brox serve --jsonrpc`). Methods: SERVE_METHODS. Requests run concurrently (the oracle serialises
 * its own device work); responses come in request order. One oracle (and its GPU device) lives for
 * the whole session. `cancel` and `info` (CONTROL_METHODS) run as soon as they are read, whatever
 * the pending requests hold; their answers still come in request order.
 */
export type ErrorCode =
  | 'PARSE_ERROR'
  | 'INVALID_REQUEST'
  | 'METHOD_NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'FORBIDDEN'
  | 'WGSL_COMPILE'
  | 'NO_ADAPTER'
  | 'GPU_ERROR'
  | 'DEVICE_LOST'
  | 'LIMIT'
  | 'ABORTED'
  | 'TIMEOUT'
  | 'INTERNAL';

/** JSON-RPC 2.0 error codes: the standard ones, and brox's environment errors in the server range. */
export const RPC_CODES: Readonly<Record<ErrorCode, number>> = Object.freeze({
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_ARGUMENT: -32602,
  INTERNAL: -32603,
  FORBIDDEN: -32001,
  WGSL_COMPILE: -32002,
  NO_ADAPTER: -32003,
  GPU_ERROR: -32004,
  DEVICE_LOST: -32005,
  LIMIT: -32006,
  ABORTED: -32007,
  TIMEOUT: -32008,
});

/** Every method `brox serve` answers (the server's table below is typed against this list). */
export const SERVE_METHODS = ['info', 'define', 'brox', 'topk', 'moments', 'evaluate', 'bpm', 'minimize', 'cancel', 'undefine'] as const;
export type ServeMethod = (typeof SERVE_METHODS)[number];
/** Methods that do no work: run as soon as read, never waiting for a --max-pending slot. */
const CONTROL_METHODS: readonly string[] = ['cancel', 'info'];

class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly argument?: string,
  ) {
    super(message);
  }
}

type Params = Record<string, unknown>;

/** What one client may ask of the server; every limit is a `brox serve` flag. */
export interface ServeLimits {
  /** Longest request line in bytes (--max-line-bytes); longer lines are skipped unread. */
  maxLineBytes: number;
  /** Longest `define` expression in characters (--max-expr-chars). */
  maxExprChars: number;
  /**
   * Objective evaluations one request may run (--max-samples), defaults included: samples x rounds
   * of brox, samples of topk/moments, points of evaluate, the whole budget of bpm and minimize
   * (minimize with `runs: B`: B x maxEvals).
   */
  maxSamples: number;
  /** BPM iterations per run (--max-iter). */
  maxIter: number;
  /** Wall-clock deadline of one request in ms (--timeout-ms); the work is aborted then. */
  timeoutMs: number;
  /**
   * Requests running at once (--max-pending), work of cancelled requests that is still stopping
   * included; as many more wait read, and reading stdin pauses beyond them.
   */
  maxPending: number;
  /** Objectives defined at once (--max-defined); `undefine` frees a place. */
  maxDefined: number;
  /** Bytes the defined objectives hold at once: datasets and sources (--max-defined-bytes). */
  maxDefinedBytes: number;
  /** Operations per oracle call, evaluations x operations per evaluation (--max-work); refused up front. */
  maxWork: number;
}

export const DEFAULT_LIMITS: Readonly<ServeLimits> = Object.freeze({
  maxLineBytes: 32 * 2 ** 20,
  maxExprChars: 100_000,
  maxSamples: 2 ** 32,
  maxIter: 1_000_000,
  timeoutMs: 600_000,
  maxPending: 64,
  maxDefined: 1024,
  maxDefinedBytes: 128 * 2 ** 20,
  maxWork: 2 ** 44,
});

export interface ServeOptions {
  oracle: Oracle;
  /** Allow `define` with user WGSL + JS source (runs the caller's JavaScript in this process). */
  allowCode: boolean;
  limits?: Partial<ServeLimits>;
  /** Answer lines without a form of their own (not JSON, too long) in JSON-RPC 2.0 from the start. */
  jsonrpc?: boolean;
  /**
   * Drain and return when this aborts (SIGTERM/SIGINT in `brox serve`): stop reading, let running
   * requests finish within `drainGraceMs` (default 1000), answer the rest ABORTED.
   */
  shutdown?: AbortSignal;
  drainGraceMs?: number;
}

/** A request's id as it can be echoed: JSON-serialisable, else null (e.g. nested too deep to stringify). */
function echoId(id: unknown): { id: unknown; key: string | null } {
  if (id === undefined || id === null) return { id: null, key: null };
  try {
    const key = JSON.stringify(id);
    return key === undefined ? { id: null, key: null } : { id, key };
  } catch {
    return { id: null, key: null };
  }
}

/**
 * A bpm callback that lets the event loop run at least every `ms` (small CPU steps complete
 * without ever yielding, which would starve stdin, cancel and the deadline timer) and stops the
 * run once the request is aborted.
 */
function yieldEvery(ms: number, signal: AbortSignal): () => Promise<boolean> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last >= ms) {
      await new Promise((r) => setImmediate(r));
      last = performance.now();
    }
    return signal.aborted;
  };
}

/** Rejects when the signal aborts, with the reason it was given (cancel or deadline). */
const whenAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new ProtocolError('ABORTED', 'request aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });

/** What a defined objective holds in memory, roughly: its dataset and its sources (UTF-16). */
const heldBytes = (o: Objective): number => (o.data?.byteLength ?? 0) + 2 * (o.wgsl.length + String(o.js).length);

/** Waits until `output` drains, fails or closes, and removes every listener it added, whichever fired. */
function drained(output: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('error', done);
      output.off('close', done);
      resolve();
    };
    output.on('drain', done);
    output.on('error', done);
    output.on('close', done);
  });
}

export function createServer(opts: ServeOptions) {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  // every oracle call (optimisers' steps included) is refused up front beyond --max-work
  opts = { ...opts, oracle: limitWork(opts.oracle, limits.maxWork, ' on this server (brox serve --max-work)') };
  const defined = new Map<string, Objective>();
  let definedBytes = 0;
  /** Running requests by serialised id, for `cancel`. */
  const running = new Map<string, Set<AbortController>>();
  /** Every request whose work has not settled (answered or not): what --max-pending and a drain count. */
  const working = new Set<AbortController>();
  const settled = new EventEmitter();
  /** Set when the server drains: new requests are answered ABORTED with it. */
  let closing: ProtocolError | null = null;

  const objectiveFor = (p: Params, pointKey: string): Objective => {
    const name = p.objective;
    if (typeof name !== 'string') throw new BroxError('objective', 'must be a defined name or a built-in name');
    const mine = defined.get(name);
    if (mine) return mine;
    const pt = p[pointKey];
    return resolveObjective(name, Array.isArray(pt) ? pt.length : undefined);
  };
  /**
   * A request's value of `key` within the server's limit. Omitted or null (JSON's none), the
   * method's default applies, so `fallback` (the default, at most the limit) is what is passed:
   * a default must not carry a request past a limit.
   */
  const capped = (p: Params, key: string, max: number, flag: string, fallback?: number): number | undefined => {
    const v = p[key];
    if (v === undefined || v === null) return fallback === undefined ? undefined : Math.min(fallback, max);
    if (typeof v === 'number' && v > max) throw new BroxError(key, `at most ${max} per request on this server (brox serve ${flag}), got ${v}`, 'LIMIT');
    return v as number | undefined;
  };

  /**
   * Refuses (LIMIT) a request whose evaluations, defaults included, exceed --max-samples. Only
   * well-typed values are counted: the others get the method's own INVALID_ARGUMENT.
   */
  const evaluations = (p: Params, rounds?: unknown): void => {
    const n = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
    if (p.samples !== undefined && p.samples !== null && !n(p.samples)) return;
    const samples = (p.samples as number | null | undefined) ?? DEFAULT_SAMPLES; // null: the default, counted as such
    const r = n(rounds) ? (rounds as number) : 1;
    const total = samples * r;
    if (total <= limits.maxSamples) return;
    const what = `${p.samples == null ? `samples (omitted: the default ${DEFAULT_SAMPLES})` : `samples ${samples}`}${r > 1 ? ` x rounds ${r}` : ''} = ${total} evaluations`;
    throw new BroxError('samples', `at most ${limits.maxSamples} evaluations per request on this server (brox serve --max-samples); this request asks ${what}`, 'LIMIT');
  };

  /**
   * minimize's maxEvals per run: every one of the B runs spends its own budget, so B x maxEvals must
   * fit --max-samples; omitted, the default (2^24) shrinks to the share of one run.
   */
  const runBudget = (p: Params, runs: number): number | undefined => {
    const share = Math.floor(limits.maxSamples / runs);
    if (p.maxEvals === undefined || p.maxEvals === null) {
      if (share < 2 && runs > 1) throw new BroxError('runs', `${runs} runs of at least 2 evaluations each are more than this server's ${limits.maxSamples} evaluations per request (brox serve --max-samples); at most ${Math.floor(limits.maxSamples / 2)} runs here`, 'LIMIT');
      return Math.min(share, 2 ** 24);
    }
    if (runs === 1) return capped(p, 'maxEvals', limits.maxSamples, '--max-samples');
    const v = p.maxEvals;
    if (typeof v === 'number' && v > share) throw new BroxError('maxEvals', `at most ${share} per run with runs: ${runs} on this server (${limits.maxSamples} evaluations per request, brox serve --max-samples), got ${v} (x ${runs} runs = ${v * runs})`, 'LIMIT');
    return v as number | undefined;
  };

  const population = (p: Params, signal: AbortSignal) => ({
    samples: (evaluations(p), p.samples as number | undefined),
    seed: p.seed as number | undefined,
    generator: p.generator as GeneratorName | undefined,
    call: p.call as number | undefined,
    ball: p.ball as SamplerSpec | undefined,
    bounds: p.bounds as BoundsSpec | null | undefined,
    signal,
  });

  const methods: Record<ServeMethod, (p: Params, signal: AbortSignal) => Promise<unknown>> = {
    async info() {
      return { version, backend: opts.oracle.backend, adapter: opts.oracle.adapterInfo, reason: opts.oracle.reason, objectives: [...defined.keys()], definedBytes, limits };
    },
    async define(p) {
      if (typeof p.name !== 'string' || !/^[A-Za-z][\w.-]{0,63}$/.test(p.name)) throw new BroxError('name', 'must be 1-64 letters, digits, _ . - starting with a letter');
      const old = defined.get(p.name);
      if (!old && defined.size >= limits.maxDefined) throw new BroxError('name', `${limits.maxDefined} objectives are defined, the most this server holds (brox serve --max-defined); undefine one first`, 'LIMIT');
      let obj: Objective;
      if (typeof p.expr === 'string') {
        obj = exprObjective({ expr: p.expr, dim: p.dim as number, name: p.name, maxLength: limits.maxExprChars });
      } else if (p.data !== undefined) {
        const d = p.data as { kind?: string; A?: number[][]; y?: number[] };
        if (!d || typeof d.kind !== 'string' || !Object.hasOwn(DATA_OBJECTIVES, d.kind)) throw new BroxError('data.kind', `must be one of ${Object.keys(DATA_OBJECTIVES).join(', ')}`);
        obj = { ...DATA_OBJECTIVES[d.kind as DataObjectiveName]({ A: d.A!, y: d.y! }), name: p.name };
      } else if (typeof p.wgsl === 'string' || typeof p.js === 'string') {
        if (!opts.allowCode) throw new ProtocolError('FORBIDDEN', 'define with wgsl/js runs your code in the server: start it with `brox serve --allow-code`');
        if (typeof p.wgsl !== 'string' || typeof p.js !== 'string') throw new BroxError('js', 'wgsl and js must both be strings (js: the source of a function (x) => number)');
        let js: unknown;
        try {
          js = new Function(`return (${p.js});`)();
        } catch (e) {
          throw new BroxError('js', `does not parse as a JavaScript function: ${(e as Error).message}`);
        }
        obj = defineObjective({ name: p.name, dim: p.dim as number, wgsl: p.wgsl, js: js as (x: ArrayLike<number>) => number });
      } else {
        throw new BroxError('params', 'define needs {name, expr, dim}, {name, data: {kind, A, y}} or (with --allow-code) {name, wgsl, js, dim}');
      }
      const bytes = definedBytes - (old ? heldBytes(old) : 0) + heldBytes(obj);
      if (bytes > limits.maxDefinedBytes) throw new BroxError(p.data !== undefined ? 'data' : 'name', `defined objectives would hold ${bytes} bytes, more than this server's ${limits.maxDefinedBytes} (brox serve --max-defined-bytes); undefine some first`, 'LIMIT');
      if (old) opts.oracle.forget?.(old); // a redefinition frees the old dataset on the GPU
      defined.set(p.name, obj);
      definedBytes = bytes;
      return { name: p.name, dim: obj.dim };
    },
    async undefine(p) {
      const obj = typeof p.name === 'string' ? defined.get(p.name) : undefined;
      if (!obj) throw new BroxError('name', `must be the name of an objective defined on this server, got ${typeof p.name === 'string' ? JSON.stringify(preview(p.name)) : preview(p.name)}`);
      opts.oracle.forget?.(obj); // its dataset on the GPU; requests already running keep their own reference
      defined.delete(p.name as string);
      definedBytes -= heldBytes(obj);
      return { name: p.name, dim: obj.dim };
    },
    async brox(p, signal) {
      evaluations(p, p.rounds);
      const r = await opts.oracle.brox(objectiveFor(p, 'x'), p.x as number[], p.t as number, {
        samples: p.samples as number | undefined,
        seed: p.seed as number | undefined,
        generator: p.generator as GeneratorName | undefined,
        call: p.call as number | undefined,
        offset: p.offset as number | undefined, // index range [offset, offset + samples): sharding (python/brox/dask.py)
        ball: p.ball as SamplerSpec | undefined,
        bounds: p.bounds as BoundsSpec | undefined,
        rounds: p.rounds as number | undefined,
        shrink: p.shrink as number | undefined,
        signal,
      });
      return broxJson(r);
    },
    async topk(p, signal) {
      const r = await opts.oracle.topk(objectiveFor(p, 'x'), p.x as number[], p.t as number, { ...population(p, signal), k: p.k as number | undefined, offset: p.offset as number | undefined });
      const { points, values, indices, nfev, backend, ms } = r;
      return { points, values, indices, nfev, backend, ms };
    },
    async moments(p, signal) {
      const r = await opts.oracle.moments(objectiveFor(p, 'x'), p.x as number[], p.t as number, {
        ...population(p, signal),
        temperature: p.temperature as number | { relative: number },
        second: p.second as 'none' | 'diag' | 'full' | undefined,
        offset: p.offset as number | undefined, // index range [offset, offset + samples): shards join with mergeMoments on their `sums`
      });
      const { mean, second, fractionBelowCenter, fmin, fmean, fstd, bestIndex, best, bestFun, tau, ess, nfev, backend, ms, sums } = r;
      // `sums` (what mergeMoments joins) only for a range request: it is most of the answer's size
      return { mean, second, fractionBelowCenter, fmin, fmean, fstd, bestIndex, best, bestFun, tau, ess, nfev, backend, ms, ...(p.offset !== undefined && p.offset !== null ? { sums } : {}) };
    },
    async evaluate(p, signal) {
      const pts = p.points;
      if (Array.isArray(pts) && pts.length > limits.maxSamples) throw new BroxError('points', `at most ${limits.maxSamples} evaluations per request on this server (brox serve --max-samples); this request asks ${pts.length} points`, 'LIMIT');
      const evaluate = opts.oracle.evaluate as (o: Objective, p: number[][], opts?: { signal?: AbortSignal }) => Promise<number[]>;
      return { values: await evaluate.call(opts.oracle, objectiveFor({ ...p, x: Array.isArray(pts) ? pts[0] : undefined }, 'x'), pts as number[][], { signal }) };
    },
    async bpm(p, signal) {
      const options: BpmOptions & { signal: AbortSignal; history: false } = {
        radius: p.radius as number,
        maxIter: capped(p, 'maxIter', limits.maxIter, '--max-iter', BPM_MAX_ITER), // bpm()'s default, within the limit
        samples: (evaluations(p), p.samples as number | undefined), // per step; the run's whole budget is maxEvals
        seed: p.seed as number | undefined,
        generator: p.generator as GeneratorName | undefined,
        fTarget: (p.fTarget ?? undefined) as number | undefined, // null (JSON's none) = no target, as bounds: null
        ftol: p.ftol as number | undefined,
        maxEvals: capped(p, 'maxEvals', limits.maxSamples, '--max-samples', limits.maxSamples), // omitted or null: the whole cap
        radiusDecay: p.radiusDecay as number | undefined,
        radiusMin: p.radiusMin as number | undefined,
        ball: p.ball as SamplerSpec | undefined,
        bounds: p.bounds as BoundsSpec | undefined,
        oracle: opts.oracle,
        signal,
        history: false, // serve never sends the history: do not keep it (RSS of long runs)
        callback: yieldEvery(20, signal),
      };
      const r = await bpm(objectiveFor(p, 'x0'), p.x0 as number[], options);
      const { x, fun, nit, nfev, success, status, message, backend } = r;
      return { x, fun, nit, nfev, success, status, message, backend };
    },
    async minimize(p, signal) {
      const x0 = p.x0 as number[] | undefined | null;
      const dim = x0 ? undefined : p.dim === undefined ? undefined : checkDim(p.dim);
      const obj = objectiveFor({ ...p, x0: x0 ?? (dim !== undefined ? new Array(dim).fill(0) : undefined) }, 'x0');
      // checked here (minimize()'s own range and message): the budget below counts B runs
      const runs = checkInteger(p.runs ?? 1, 'runs', 1, MAX_RUNS);
      const r = await minimize(obj, x0 ?? null, {
        method: p.method as MethodName | undefined, // checked by minimize()
        bounds: p.bounds as BoundsSpec | null | undefined,
        maxEvals: runBudget(p, runs),
        maxIter: capped(p, 'maxIter', limits.maxIter, '--max-iter', DEFAULT_MAX_ITER), // minimize()'s default, within the limit
        fTarget: (p.fTarget ?? undefined) as number | undefined, // null (JSON's none) = no target, as bounds: null
        seed: p.seed as number | undefined,
        generator: p.generator as GeneratorName | undefined,
        samples: p.samples as number | undefined,
        params: p.params as Record<string, unknown> | undefined,
        oracle: opts.oracle,
        signal,
        runs,
        history: false, // not sent: not kept (in any run)
        // every run's steps call it: each stops once the request is aborted (minimize() also throws ABORTED between rounds)
        callback: yieldEvery(20, signal),
      });
      const { x, fun, nit, nfev, success, status, message, backend, method, info } = r;
      if (!r.runs) return { x, fun, nit, nfev, success, status, message, backend, method, info };
      const seed0 = (p.seed as number | undefined) ?? 0; // minimize()'s default; checked there
      const each = r.runs.map((q, i) => ({ seed: (seed0 + i) >>> 0, x: q.x, fun: q.fun, nit: q.nit, nfev: q.nfev, success: q.success, status: q.status, message: q.message, info: q.info }));
      return { x, fun, nit, nfev, success, status, message, backend, method, info, best: r.best, runs: each };
    },
    async cancel(p) {
      const target = echoId(p.id);
      const set = target.key !== null ? running.get(target.key) : undefined;
      for (const ac of set ?? []) ac.abort(new ProtocolError('ABORTED', `cancelled by request`));
      return { cancelled: set?.size ?? 0 };
    },
  };

  /** Runs one parsed request under its own AbortController (cancel and the deadline abort it). */
  async function dispatch(key: string | null, m: (p: Params, s: AbortSignal) => Promise<unknown>, params: Params): Promise<unknown> {
    if (closing) throw closing;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new ProtocolError('TIMEOUT', `request ran past its deadline of ${limits.timeoutMs} ms (brox serve --timeout-ms)`)), limits.timeoutMs);
    const set = key !== null ? (running.get(key) ?? running.set(key, new Set()).get(key)!) : null;
    set?.add(ac);
    const work = m(params, ac.signal);
    // counted until the work itself settles, not its answer: aborted work still stopping holds its slot
    working.add(ac);
    const release = () => (working.delete(ac), settled.emit('settled'));
    work.then(release, release);
    try {
      // the race answers at once on abort even if the work notices the signal only later
      return await Promise.race([work, whenAborted(ac.signal)]);
    } catch (e) {
      throw ac.signal.aborted && ac.signal.reason instanceof ProtocolError ? ac.signal.reason : e;
    } finally {
      clearTimeout(timer);
      set?.delete(ac);
      if (set && set.size === 0 && key !== null) running.delete(key);
    }
  }

  /** The form of lines that have none of their own (not JSON, too long): the last request's. */
  let sessionRpc = !!opts.jsonrpc;
  const lookup = (name: string) => (Object.hasOwn(methods, name) ? methods[name as ServeMethod] : undefined);
  const unknownMethod = (name: string) => new ProtocolError('METHOD_NOT_FOUND', `unknown method '${name.slice(0, 64)}'; allowed: ${SERVE_METHODS.join(', ')}`);
  const isRpc = (r: unknown): boolean => !!r && typeof r === 'object' && !Array.isArray(r) && Object.hasOwn(r, 'jsonrpc');

  /**
   * One line in, one serialised response line out, or null (JSON-RPC notifications); never throws,
   * whatever the line holds.
   */
  const handle = (line: string): Promise<string | null> => prepare(line).answer();

  /**
   * Parses a line (in read order: the session's form is taken here) and says whether it is a control
   * request (cancel, info: run at once, whatever is pending); `answer` runs it.
   */
  function prepare(line: string): { control: boolean; answer: () => Promise<string | null> } {
    let req: unknown;
    try {
      req = JSON.parse(line);
    } catch (e) {
      const err = new ProtocolError('PARSE_ERROR', `not JSON: ${(e as Error).message}`);
      const rpc = sessionRpc;
      return { control: false, answer: async () => (rpc ? serialiseRpc(null, { error: rpcError(err) }) : serialise(null, { error: errorBody(err) })) };
    }
    // a batch: an array in a JSON-RPC session, or one holding a JSON-RPC request (brox's form has no
    // arrays: `[1, 2]` before any JSON-RPC request gets brox's INVALID_REQUEST, as it always did)
    if (Array.isArray(req) && (sessionRpc || req.some(isRpc))) {
      sessionRpc = true;
      return {
        control: false,
        answer: async () => {
          if (req.length === 0) return serialiseRpc(null, { error: rpcError(new ProtocolError('INVALID_REQUEST', 'an empty batch: a batch is an array of one or more requests')) });
          const replies = (await Promise.all(req.map(handleRpc))).filter((r): r is string => r !== null);
          return replies.length ? `[${replies.join(',')}]` : null;
        },
      };
    }
    const method = req && typeof req === 'object' && !Array.isArray(req) ? (req as { method?: unknown }).method : undefined;
    const control = typeof method === 'string' && CONTROL_METHODS.includes(method);
    if (isRpc(req)) {
      sessionRpc = true;
      return { control, answer: () => handleRpc(req) };
    }
    return { control, answer: () => handleBrox(req) };
  }

  /** A JSON-RPC 2.0 request: its response (serialised), or null for a notification. */
  async function handleRpc(req: unknown): Promise<string | null> {
    if (!req || typeof req !== 'object' || Array.isArray(req)) return serialiseRpc(null, { error: rpcError(new ProtocolError('INVALID_REQUEST', 'a request is an object {"jsonrpc": "2.0", "method", "params"?, "id"?}')) });
    const r = req as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
    const hasId = Object.hasOwn(r, 'id');
    const idOk = !hasId || r.id === null || typeof r.id === 'string' || (typeof r.id === 'number' && Number.isFinite(r.id));
    const id = hasId && idOk ? r.id : null;
    const invalid = (message: string) => serialiseRpc(id, { error: rpcError(new ProtocolError('INVALID_REQUEST', message)) });
    if (r.jsonrpc !== '2.0') return invalid(`"jsonrpc" must be "2.0", got ${JSON.stringify(r.jsonrpc)?.slice(0, 32)}`);
    if (!idOk) return invalid('"id" must be a string, a number or null (or absent: a notification)');
    if (typeof r.method !== 'string') return invalid('"method" must be a string');
    let body: Record<string, unknown>;
    try {
      const m = lookup(r.method);
      if (!m) throw unknownMethod(r.method);
      if (Array.isArray(r.params)) throw new BroxError('params', 'must be an object of named parameters (brox methods take no positional parameters)');
      if (r.params !== undefined && (typeof r.params !== 'object' || r.params === null)) return invalid('"params" must be an object');
      body = { result: await dispatch(hasId ? echoId(r.id).key : null, m, (r.params ?? {}) as Params) };
    } catch (e) {
      body = { error: rpcError(e) };
    }
    return hasId ? serialiseRpc(id, body) : null; // a notification is never answered, even on error
  }

  /** A request in brox's own form, answered exactly as before JSON-RPC support. */
  async function handleBrox(req: unknown): Promise<string> {
    let id: unknown = null;
    let body: Record<string, unknown>;
    try {
      if (!req || typeof req !== 'object' || Array.isArray(req)) throw new ProtocolError('INVALID_REQUEST', 'a request is a JSON object { "id", "method", "params" }');
      const r = req as { id?: unknown; method?: unknown; params?: unknown };
      const echo = echoId(r.id);
      id = echo.id;
      if (typeof r.method !== 'string') throw new ProtocolError('INVALID_REQUEST', '"method" must be a string');
      const m = lookup(r.method);
      if (!m) throw unknownMethod(r.method);
      if (r.params !== undefined && (typeof r.params !== 'object' || r.params === null || Array.isArray(r.params))) throw new ProtocolError('INVALID_REQUEST', '"params" must be an object');
      body = { result: await dispatch(echo.key, m, (r.params ?? {}) as Params) };
    } catch (e) {
      body = { error: errorBody(e) };
    }
    return serialise(id, body);
  }

  /** Lines from `boundedLines` that were too long: answered without reading them. */
  const tooLong = (bytes: number): string => {
    const err = new ProtocolError('LIMIT', `request line of ${bytes} bytes is longer than ${limits.maxLineBytes} (brox serve --max-line-bytes); skipped`, 'line');
    return sessionRpc ? serialiseRpc(null, { error: rpcError(err) }) : serialise(null, { error: { code: 'LIMIT', argument: 'line', message: err.message } });
  };

  /**
   * Starts a drain: requests from now on are answered ABORTED; running ones get `graceMs` to finish,
   * then are aborted. Returns a function that clears the grace timer.
   */
  const close = (why: string, graceMs: number): (() => void) => {
    closing = new ProtocolError('ABORTED', `the server is shutting down (${why})`);
    const timer = setTimeout(() => {
      for (const ac of working) ac.abort(closing);
    }, graceMs);
    return () => clearTimeout(timer);
  };

  return { handle, prepare, tooLong, limits, close, working: () => working.size, settled };
}

function errorBody(e: unknown): Record<string, unknown> {
  if (e instanceof ProtocolError) return e.argument ? { code: e.code, message: e.message, argument: e.argument } : { code: e.code, message: e.message };
  if (e instanceof BroxError) return { code: e.code, message: e.message, argument: e.argument };
  // a RangeError from a runaway recursion, an engine bug: report it, keep serving
  const message = e instanceof Error ? e.message : (() => { try { return String(e); } catch { return 'unprintable error'; } })();
  return { code: 'INTERNAL', message };
}

/** A JSON-RPC 2.0 error object: the standard code, brox's code (and argument) in data. */
function rpcError(e: unknown): { code: number; message: string; data: Record<string, unknown> } {
  const b = errorBody(e) as { code: ErrorCode; message: string; argument?: string };
  return { code: RPC_CODES[b.code] ?? -32000, message: b.message, data: b.argument !== undefined ? { code: b.code, argument: b.argument } : { code: b.code } };
}

/** serialise() for JSON-RPC 2.0 responses. */
function serialiseRpc(id: unknown, body: Record<string, unknown>): string {
  try {
    return jsonLine({ jsonrpc: '2.0', id, ...body });
  } catch (e) {
    try {
      return jsonLine({ jsonrpc: '2.0', id, error: rpcError(new ProtocolError('INTERNAL', `response could not be serialised: ${(e as Error).message}`)) });
    } catch {
      return jsonLine({ jsonrpc: '2.0', id: null, error: { code: RPC_CODES.INTERNAL, message: 'response could not be serialised', data: { code: 'INTERNAL' } } });
    }
  }
}

/** Never throws: an id or result that cannot be serialised falls back to id null / an INTERNAL error. */
function serialise(id: unknown, body: Record<string, unknown>): string {
  try {
    return jsonLine({ id, ...body });
  } catch (e) {
    try {
      return jsonLine({ id, error: errorBody(new ProtocolError('INTERNAL', `response could not be serialised: ${(e as Error).message}`)) });
    } catch {
      return jsonLine({ id: null, error: { code: 'INTERNAL', message: 'response could not be serialised' } });
    }
  }
}

/** Control answers (cancel, info) and finished answers that may wait behind a slow first one. */
const CONTROL_ROOM = 1024;

/**
 * Serves stdin -> stdout until EOF (or opts.shutdown). At most `maxPending` requests run at a time
 * (their work counted until it settles, cancelled work still stopping included); up to as many more
 * wait read, and reading pauses beyond them. Control requests (cancel, info) run as soon as read.
 * Responses are written in request order, each exactly once.
 */
export async function serveStdio(opts: ServeOptions, input: AsyncIterable<Buffer | string> = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const server = createServer(opts);
  const { maxPending } = server.limits;
  const queue: Promise<string | null>[] = []; // responses not yet written, in request order (null: none, a notification)
  const events = new EventEmitter();
  let ended = false;
  let broken = false; // the client closed our stdout: keep reading to EOF, write nothing
  output.on('error', () => void (broken = true));
  const writer = (async () => {
    for (;;) {
      if (queue.length === 0) {
        if (ended) return;
        await once(events, 'pushed');
        continue;
      }
      const text = await queue[0];
      queue.shift();
      events.emit('shifted');
      if (text !== null && !broken && !output.write(text + '\n')) await drained(output);
    }
  })();
  /** Work requests read but not started (maxPending run): started in read order as work settles. */
  const waiting: Array<() => void> = [];
  const pump = () => {
    while (waiting.length > 0 && (server.working() < maxPending || opts.shutdown?.aborted)) waiting.shift()!();
  };
  const room = () => waiting.length < maxPending && queue.length < 2 * maxPending + CONTROL_ROOM;
  // one 'room' event for both ways room is made (a single listener per wait: no listener build-up)
  events.on('shifted', () => events.emit('room'));
  server.settled.on('settled', () => (pump(), events.emit('room')));
  const stop = Symbol('stop');
  const stopped = new Promise<typeof stop>((resolve) => {
    if (!opts.shutdown) return;
    if (opts.shutdown.aborted) resolve(stop);
    else opts.shutdown.addEventListener('abort', () => resolve(stop), { once: true });
  });
  const lines = boundedLines(input, server.limits.maxLineBytes)[Symbol.asyncIterator]();
  for (;;) {
    const read = lines.next();
    read.catch(() => {}); // left pending by a drain: stdin destroyed under it must not be an unhandled rejection
    const next = await Promise.race([read, stopped]);
    if (next === stop || next.done) break;
    const item = next.value;
    if ('line' in item && item.line.trim() === '') continue;
    if ('tooLong' in item) queue.push(Promise.resolve(server.tooLong(item.tooLong)));
    else {
      const req = server.prepare(item.line);
      if (req.control) queue.push(req.answer());
      else {
        // its place in the answers is taken now; it runs when a slot is free
        queue.push(new Promise((resolve) => waiting.push(() => resolve(req.answer()))));
        pump();
      }
    }
    events.emit('pushed');
    while (!room() && !opts.shutdown?.aborted) await Promise.race([once(events, 'room'), stopped]);
  }
  let clearGrace = () => {};
  if (opts.shutdown?.aborted) {
    const why = opts.shutdown.reason;
    clearGrace = server.close(typeof why === 'string' ? why : 'shutdown', opts.drainGraceMs ?? 1000);
    pump(); // the waiting ones are answered ABORTED at once
  }
  ended = true;
  events.emit('pushed');
  await writer;
  clearGrace();
}
