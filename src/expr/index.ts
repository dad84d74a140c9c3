import { BroxError } from '../errors.js';
import type { Objective, ObjectiveFn } from '../objectives/types.js';
import { checkDim, checkInteger } from '../validate.js';
import { ExprError, MAX_LENGTH } from './ast.js';
import { emit } from './compile.js';
import { foldWithCost, MAX_COST } from './fold.js';
import { parse } from './parse.js';

export { ExprError, MAX_DEPTH, MAX_LENGTH, MAX_LOOP_NESTING, MAX_NESTING } from './ast.js';
export { MAX_COST } from './fold.js';

export interface ExprObjectiveOptions {
  /** The expression, e.g. "sum(i, x[i]^2 - 10*cos(2*pi*x[i])) + 10*n". */
  expr: string;
  dim: number;
  name?: string;
  domain?: [number, number];
  /** Longest expression accepted, in characters (default 100,000): bounds parse time and memory. */
  maxLength?: number;
  /**
   * Most operations one evaluation may run, all sums/prods together (default MAX_COST = 2^26): one
   * evaluation cannot be interrupted, so this bounds how late a deadline or cancel takes effect.
   */
  maxCost?: number;
}

/**
 * An objective from one expression: parsed once, checked, and compiled to both WGSL and a JS twin
 * from the same tree, so the GPU and CPU backends always compute the same function.
 * Errors are BroxError('expr', 'column C: ...').
 */
export function exprObjective(o: ExprObjectiveOptions): Objective {
  if (!o || typeof o.expr !== 'string' || o.expr.trim() === '') throw new BroxError('expr', 'must be a non-empty expression string');
  const maxLength = o.maxLength === undefined ? MAX_LENGTH : checkInteger(o.maxLength, 'maxLength', 1, 2 ** 30);
  if (o.expr.length > maxLength) throw new BroxError('expr', `is ${o.expr.length} characters long; at most ${maxLength}`, 'LIMIT');
  const maxCost = o.maxCost === undefined ? MAX_COST : checkInteger(o.maxCost, 'maxCost', 1, 2 ** 40);
  const dim = checkDim(o.dim);
  let code: { wgsl: string; jsBody: string };
  let js: ObjectiveFn;
  let cost: number;
  try {
    const folded = foldWithCost(parse(o.expr), dim);
    cost = folded.cost;
    // before emitting: 3900 sibling sums of 2^22 steps each were accepted and ran 376 s per point
    if (cost > maxCost) throw new BroxError('expr', `runs about ${cost} operations per evaluation (every sum/prod step counted, sibling sums added up); at most ${maxCost}`, 'LIMIT');
    code = emit(folded.node, dim);
    // A generated function: portable to CPU worker threads (no closure) and inspectable via toString.
    js = new Function('x', code.jsBody) as ObjectiveFn;
  } catch (e) {
    if (e instanceof ExprError) throw new BroxError('expr', e.message);
    // the depth limits should make this unreachable; a deep stack at the call site still must not leak a RangeError
    if (e instanceof RangeError) throw new BroxError('expr', `too deeply nested to compile here (${e.message})`, 'LIMIT');
    throw e;
  }
  return Object.freeze({ name: o.name ?? 'expr', dim, wgsl: code.wgsl, js, domain: o.domain, minimum: null, expr: o.expr, cost });
}
