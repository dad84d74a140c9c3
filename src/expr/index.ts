import { BroxError } from '../errors.js';
import type { Objective, ObjectiveFn } from '../objectives/types.js';
import { checkDim } from '../validate.js';
import { ExprError } from './ast.js';
import { check, emit } from './compile.js';
import { parse } from './parse.js';

export { ExprError } from './ast.js';

export interface ExprObjectiveOptions {
  /** The expression, e.g. "sum(i, x[i]^2 - 10*cos(2*pi*x[i])) + 10*n". */
  expr: string;
  dim: number;
  name?: string;
  domain?: [number, number];
}

/**
 * An objective from one expression: parsed once, checked, and compiled to both WGSL and a JS twin
 * from the same tree, so the GPU and CPU backends always compute the same function.
 * Errors are BroxError('expr', 'column C: ...').
 */
export function exprObjective(o: ExprObjectiveOptions): Objective {
  if (!o || typeof o.expr !== 'string' || o.expr.trim() === '') throw new BroxError('expr', 'must be a non-empty expression string');
  const dim = checkDim(o.dim);
  let code: { wgsl: string; jsBody: string };
  try {
    const tree = parse(o.expr);
    check(tree, dim);
    code = emit(tree, dim);
  } catch (e) {
    if (e instanceof ExprError) throw new BroxError('expr', e.message);
    throw e;
  }
  // A generated function: portable to CPU worker threads (no closure) and inspectable via toString.
  const js = new Function('x', code.jsBody) as ObjectiveFn;
  return Object.freeze({ name: o.name ?? 'expr', dim, wgsl: code.wgsl, js, domain: o.domain, minimum: null, expr: o.expr });
}
