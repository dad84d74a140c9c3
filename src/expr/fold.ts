import { ExprError, F32_MAX, MAX_INT, type Node } from './ast.js';
import { preview } from '../errors.js';

/**
 * Checking and constant folding in one pass, before either emitter runs: both targets get the
 * same folded tree, so a constant is computed once (in float64, exactly as the JS twin would)
 * and WGSL never sees a constant expression it could reject (1/0, 1e30*1e30) or a constant
 * index into a loop that never runs (sum(i=1..0, x[5000])).
 */

type Interval = [number, number];
interface Scope {
  vars: Map<string, Interval>;
  /** False inside a sum/prod whose range is empty for this n: its body never runs. */
  live: boolean;
  /** Iterations of the enclosing sums/prods per evaluation (an upper bound). */
  trips: number;
}

/** Loop iterations allowed per evaluation: n^2 at n = 1024 and then some, but no runaway bounds. */
export const MAX_TRIPS = 1 << 22;

/**
 * Operations allowed per evaluation, all loops together (sibling sums add up: MAX_TRIPS bounds one
 * nesting chain only). One evaluation cannot be interrupted, so this bounds how late a deadline or
 * cancel can take effect on the CPU: 2^26 operations are ~0.02-0.3 s of JavaScript.
 */
export const MAX_COST = 1 << 26;

const INT_ONLY = 'an index or bound must be an integer expression of index variables, n and whole numbers (+, -, *)';

/** Interval of an integer expression (indices and bounds), or an error at its column. */
function intRange(node: Node, s: Scope, n: number): Interval {
  const r = intRangeOf(node, s, n);
  if (r[0] < -MAX_INT || r[1] > MAX_INT) throw new ExprError(node.pos + 1, `integer expression may reach ${r[0] < -MAX_INT ? r[0] : r[1]}; indices and bounds stay within -${MAX_INT}..${MAX_INT}`);
  return r;
}

function intRangeOf(node: Node, s: Scope, n: number): Interval {
  switch (node.kind) {
    case 'num':
      if (!Number.isInteger(node.value)) throw new ExprError(node.pos + 1, `${INT_ONLY}; ${node.value} is not whole`);
      return [node.value, node.value];
    case 'const':
      if (node.name !== 'n') throw new ExprError(node.pos + 1, `${INT_ONLY}; '${preview(node.name)}' is not an integer`);
      return [n, n];
    case 'var': {
      const r = s.vars.get(node.name);
      if (!r) throw new ExprError(node.pos + 1, `unknown name '${preview(node.name)}' (index variables are bound by sum or prod)`);
      return r;
    }
    case 'neg': {
      const [a, b] = intRange(node.arg, s, n);
      return [-b, -a];
    }
    case 'bin': {
      if (node.op === '/' || node.op === '^') throw new ExprError(node.pos + 1, `${INT_ONLY}; '${node.op}' is not allowed there`);
      const [a, b] = intRange(node.left, s, n);
      const [c, d] = intRange(node.right, s, n);
      if (node.op === '+') return [a + c, b + d];
      if (node.op === '-') return [a - d, b - c];
      const p = [a * c, a * d, b * c, b * d];
      return [Math.min(...p), Math.max(...p)];
    }
    default:
      throw new ExprError(node.pos + 1, INT_ONLY);
  }
}

/** An integer subtree: a literal when its interval is one value, else itself (already checked). */
function foldInt(node: Node, s: Scope, n: number): { node: Node; range: Interval } {
  const range = intRange(node, s, n);
  return { node: range[0] === range[1] ? { kind: 'num', value: range[0] + 0, pos: node.pos } : node, range };
}

/** An exponent the emitters expand into repeated multiplication (exact for negative bases). */
export function smallIntegerExponent(node: Node): number | null {
  return node.kind === 'num' && Number.isInteger(node.value) && Math.abs(node.value) <= 16 ? node.value : null;
}

/** a ^ b exactly as both emitters compute it. */
export function power(a: number, b: number): number {
  const k = Number.isInteger(b) && Math.abs(b) <= 16 ? b : null;
  if (k === null) return Math.pow(a, b);
  if (k === 0) return 1;
  let p = a;
  for (let i = 1; i < Math.abs(k); i++) p *= a;
  return k > 0 ? p : 1 / p;
}

const MATH: Record<string, (...a: number[]) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs,
  floor: Math.floor, tanh: Math.tanh, sign: Math.sign, min: Math.min, max: Math.max, pow: power,
};

/** A literal for a constant value, or an error at the column of the operation that produced it. */
function constant(value: number, pos: number): Node {
  if (!Number.isFinite(value)) throw new ExprError(pos + 1, `constant expression is not finite (${value})`);
  if (Math.abs(value) > F32_MAX) throw new ExprError(pos + 1, `constant expression ${value} is outside the float32 range`);
  return { kind: 'num', value, pos };
}

/**
 * Checks names, arities, integer contexts and that every x[...] stays inside 0..n-1, and returns
 * the folded tree: constant float subtrees and empty sums/prods become literals, integer
 * subtrees with one possible value become literals. `cost` is an upper bound of the operations
 * one evaluation runs: every node left after folding, times the iterations of its enclosing loops.
 */
export function checkAndFold(root: Node, n: number): Node {
  return foldWithCost(root, n).node;
}

export function foldWithCost(root: Node, n: number): { node: Node; cost: number } {
  let cost = 0;
  const walk = (node: Node, s: Scope): Node => {
    const out = step(node, s);
    if (out.kind !== 'num' && s.live) cost += s.trips;
    return out;
  };
  const step = (node: Node, s: Scope): Node => {
    switch (node.kind) {
      case 'num':
        return node;
      case 'const':
        return constant(node.name === 'n' ? n : node.name === 'pi' ? Math.PI : Math.E, node.pos);
      case 'var':
        if (!s.vars.has(node.name)) throw new ExprError(node.pos + 1, `unknown name '${preview(node.name)}' (known: x[...], n, pi, e and index variables of sum/prod)`);
        return node;
      case 'index': {
        const { node: index, range: [lo, hi] } = foldInt(node.index, s, n);
        if (s.live && (lo < 0 || hi > n - 1)) {
          throw new ExprError(node.pos + 1, `x[...] reads index ${lo < 0 ? lo : hi}, outside 0..${n - 1} (n = ${n}); narrow the bounds, e.g. sum(i=0..n-2, ...)`);
        }
        return { ...node, index };
      }
      case 'neg': {
        const arg = walk(node.arg, s);
        return arg.kind === 'num' ? constant(-arg.value, node.pos) : { ...node, arg };
      }
      case 'bin': {
        const left = walk(node.left, s);
        const right = walk(node.right, s);
        if (left.kind === 'num' && right.kind === 'num') {
          const a = left.value;
          const b = right.value;
          const v = node.op === '+' ? a + b : node.op === '-' ? a - b : node.op === '*' ? a * b : node.op === '/' ? a / b : power(a, b);
          return constant(v, node.pos);
        }
        return { ...node, left, right };
      }
      case 'call': {
        const args = node.args.map((a) => walk(a, s));
        if (args.every((a) => a.kind === 'num')) return constant(MATH[node.fn](...args.map((a) => (a as { value: number }).value)), node.pos);
        return { ...node, args };
      }
      case 'reduce': {
        if (s.vars.has(node.variable)) throw new ExprError(node.pos + 1, `index variable '${node.variable}' is already in use by an enclosing sum/prod`);
        // the trip count first: a runaway loop is reported as such, with the column of the sum
        const lo = node.from ? intRangeOf(node.from, s, n)[0] : 0;
        const hi = node.to ? intRangeOf(node.to, s, n)[1] : n - 1;
        const trips = s.trips * Math.max(1, hi - lo + 1);
        if (s.live && lo <= hi && trips > MAX_TRIPS) {
          throw new ExprError(node.pos + 1, `${node.op} over '${node.variable}' makes ${trips} loop iterations per evaluation (with enclosing sums/prods); at most ${MAX_TRIPS}`);
        }
        const from = node.from ? foldInt(node.from, s, n) : { node: null, range: [0, 0] as Interval };
        const to = node.to ? foldInt(node.to, s, n) : { node: null, range: [n - 1, n - 1] as Interval };
        const live = s.live && from.range[0] <= to.range[1];
        const vars = new Map(s.vars).set(node.variable, [from.range[0], Math.max(from.range[0], to.range[1])] as Interval);
        const body = walk(node.body, { vars, live, trips });
        // a loop that never runs is its neutral element on both targets (its body is still checked)
        if (!live || from.range[0] > to.range[1]) return { kind: 'num', value: node.op === 'sum' ? 0 : 1, pos: node.pos };
        cost += trips; // the loop's own step: counter, test, accumulate
        return { ...node, from: from.node, to: to.node, body };
      }
    }
  };
  const node = walk(root, { vars: new Map(), live: true, trips: 1 });
  return { node, cost };
}
