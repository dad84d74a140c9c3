import { createInterface } from 'node:readline';
import { version } from '../../package.json';
import { bpm } from '../bpm/bpm.js';
import { BroxError } from '../errors.js';
import { exprObjective } from '../expr/index.js';
import { DATA_OBJECTIVES, type DataObjectiveName } from '../objectives/data.js';
import { defineObjective } from '../objectives/define.js';
import type { Objective } from '../objectives/types.js';
import { resolveObjective } from '../oracle/inputs.js';
import type { Oracle } from '../oracle/types.js';
import { broxJson } from './output.js';

/**
 * The JSON-lines protocol of `brox serve`: one request per line on stdin,
 *   { "id", "method": "define" | "brox" | "evaluate" | "bpm" | "info", "params" }
 * one response per line on stdout, in order: { "id", "result" } or { "id", "error": { code, message } }.
 * One oracle (and its GPU device) lives for the whole session.
 */
export type ErrorCode = 'PARSE_ERROR' | 'INVALID_REQUEST' | 'METHOD_NOT_FOUND' | 'INVALID_ARGUMENT' | 'FORBIDDEN' | 'WGSL_COMPILE' | 'NO_ADAPTER' | 'GPU_ERROR' | 'INTERNAL';

class ProtocolError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

type Params = Record<string, unknown>;

export interface ServeOptions {
  oracle: Oracle;
  /** Allow `define` with user WGSL + JS source (runs the caller's JavaScript in this process). */
  allowCode: boolean;
}

export function createServer(opts: ServeOptions) {
  const defined = new Map<string, Objective>();

  const objectiveFor = (p: Params, pointKey: string): Objective => {
    const name = p.objective;
    if (typeof name !== 'string') throw new BroxError('objective', 'must be a defined name or a built-in name');
    const mine = defined.get(name);
    if (mine) return mine;
    const pt = p[pointKey];
    return resolveObjective(name, Array.isArray(pt) ? pt.length : undefined);
  };

  const methods: Record<string, (p: Params) => Promise<unknown>> = {
    async info() {
      return { version, backend: opts.oracle.backend, adapter: opts.oracle.adapterInfo, reason: opts.oracle.reason, objectives: [...defined.keys()] };
    },
    async define(p) {
      if (typeof p.name !== 'string' || !/^[A-Za-z][\w.-]{0,63}$/.test(p.name)) throw new BroxError('name', 'must be 1-64 letters, digits, _ . - starting with a letter');
      let obj: Objective;
      if (typeof p.expr === 'string') {
        obj = exprObjective({ expr: p.expr, dim: p.dim as number, name: p.name });
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
      const old = defined.get(p.name);
      if (old) opts.oracle.forget?.(old); // a redefinition frees the old dataset on the GPU
      defined.set(p.name, obj);
      return { name: p.name, dim: obj.dim };
    },
    async brox(p) {
      const r = await opts.oracle.brox(objectiveFor(p, 'x'), p.x as number[], p.t as number, { samples: p.samples as number | undefined, seed: p.seed as number | undefined, call: p.call as number | undefined });
      return broxJson(r);
    },
    async evaluate(p) {
      const pts = p.points;
      return { values: await opts.oracle.evaluate(objectiveFor({ ...p, x: Array.isArray(pts) ? pts[0] : undefined }, 'x'), pts as number[][]) };
    },
    async bpm(p) {
      const r = await bpm(objectiveFor(p, 'x0'), p.x0 as number[], {
        radius: p.radius as number,
        maxIter: p.maxIter as number | undefined,
        samples: p.samples as number | undefined,
        seed: p.seed as number | undefined,
        fTarget: p.fTarget as number | undefined,
        ftol: p.ftol as number | undefined,
        maxEvals: p.maxEvals as number | undefined,
        radiusDecay: p.radiusDecay as number | undefined,
        radiusMin: p.radiusMin as number | undefined,
        oracle: opts.oracle,
      });
      const { x, fun, nit, nfev, success, status, message, backend } = r;
      return { x, fun, nit, nfev, success, status, message, backend };
    },
  };

  /** One line in, one response object out (never throws). */
  async function handle(line: string): Promise<Record<string, unknown>> {
    let id: unknown = null;
    try {
      let req: unknown;
      try {
        req = JSON.parse(line);
      } catch (e) {
        throw new ProtocolError('PARSE_ERROR', `not JSON: ${(e as Error).message}`);
      }
      if (!req || typeof req !== 'object' || Array.isArray(req)) throw new ProtocolError('INVALID_REQUEST', 'a request is a JSON object { "id", "method", "params" }');
      const r = req as { id?: unknown; method?: unknown; params?: unknown };
      id = r.id ?? null;
      if (typeof r.method !== 'string') throw new ProtocolError('INVALID_REQUEST', '"method" must be a string');
      const m = Object.hasOwn(methods, r.method) ? methods[r.method] : undefined;
      if (!m) throw new ProtocolError('METHOD_NOT_FOUND', `unknown method '${r.method}'; allowed: ${Object.keys(methods).join(', ')}`);
      if (r.params !== undefined && (typeof r.params !== 'object' || r.params === null || Array.isArray(r.params))) throw new ProtocolError('INVALID_REQUEST', '"params" must be an object');
      return { id, result: await m((r.params ?? {}) as Params) };
    } catch (e) {
      if (e instanceof ProtocolError) return { id, error: { code: e.code, message: e.message } };
      if (e instanceof BroxError) return { id, error: { code: e.code, message: e.message, argument: e.argument } };
      return { id, error: { code: 'INTERNAL', message: (e as Error).message ?? String(e) } };
    }
  }

  return { handle };
}

/** Serves stdin -> stdout until EOF; requests are answered in order, one at a time. */
export async function serveStdio(opts: ServeOptions): Promise<void> {
  const server = createServer(opts);
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const res = await server.handle(line);
    process.stdout.write(JSON.stringify(res) + '\n');
  }
}
