import prelude from '../../shaders/expr/prelude.wgsl?raw';
import { ExprError, type Node } from './ast.js';

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

const INT_ONLY = 'an index or bound must be an integer expression of index variables, n and whole numbers (+, -, *)';

/** Interval of an integer expression (indices and bounds), or an error at its column. */
function intRange(node: Node, s: Scope, n: number): Interval {
  switch (node.kind) {
    case 'num':
      if (!Number.isInteger(node.value)) throw new ExprError(node.pos + 1, `${INT_ONLY}; ${node.value} is not whole`);
      return [node.value, node.value];
    case 'const':
      if (node.name !== 'n') throw new ExprError(node.pos + 1, `${INT_ONLY}; '${node.name}' is not an integer`);
      return [n, n];
    case 'var': {
      const r = s.vars.get(node.name);
      if (!r) throw new ExprError(node.pos + 1, `unknown name '${node.name}' (index variables are bound by sum or prod)`);
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

interface Target {
  /** Integer literal / expression syntax and float literal syntax of the language. */
  int(node: string): string;
  float(v: number): string;
  intToFloat(e: string): string;
  index(i: string): string;
  call(fn: string, args: string[]): string;
  pow(a: string, b: string): string;
  declare(name: string, init: string): string; // mutable
  constant(name: string, value: string): string;
  loop(v: string, from: string, to: string, body: string[]): string;
}

const WGSL: Target = {
  int: (e) => e,
  float: (v) => {
    const s = String(v);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  },
  intToFloat: (e) => `f32(${e})`,
  index: (i) => `(*x)[u32(${i})]`,
  // functions whose WGSL built-ins differ from Math.* (domain, NaN, accuracy) go through the prelude
  call: (fn, a) => (['sin', 'cos', 'tan', 'log', 'sqrt', 'tanh', 'min', 'max', 'sign'].includes(fn) ? `brox_expr_${fn}(${a.join(', ')})` : `${fn}(${a.join(', ')})`),
  pow: (a, b) => `brox_expr_pow(${a}, ${b})`,
  declare: (name, init) => `var ${name} = ${init};`,
  constant: (name, value) => `let ${name} = ${value};`,
  loop: (v, from, to, body) => `for (var ${v}: i32 = ${from}; ${v} <= ${to}; ${v}++) {\n${body.join('\n')}\n}`,
};

const JS: Target = {
  int: (e) => e,
  float: (v) => String(v),
  intToFloat: (e) => e,
  index: (i) => `x[${i}]`,
  call: (fn, a) => `Math.${fn}(${a.join(', ')})`,
  pow: (a, b) => `Math.pow(${a}, ${b})`,
  declare: (name, init) => `let ${name} = ${init};`,
  constant: (name, value) => `const ${name} = ${value};`,
  loop: (v, from, to, body) => `for (let ${v} = ${from}; ${v} <= ${to}; ${v}++) {\n${body.join('\n')}\n}`,
};

/** Generates one target's code from the checked tree: statements plus a result expression. */
function generate(root: Node, n: number, T: Target): { stmts: string[]; value: string } {
  let tmp = 0;
  const fresh = (p: string) => `${p}${++tmp}`;
  const ivar = (name: string) => `ix_${name}`;

  function int(node: Node): string {
    switch (node.kind) {
      case 'num':
        return T.int(`${node.value}`);
      case 'const':
        return T.int(`${n}`);
      case 'var':
        return ivar(node.name);
      case 'neg':
        return `(-${int(node.arg)})`;
      case 'bin':
        return `(${int(node.left)} ${node.op} ${int(node.right)})`;
      default:
        throw new Error('unreachable: checked before');
    }
  }

  function float(node: Node, out: string[]): string {
    switch (node.kind) {
      case 'num':
        return T.float(node.value);
      case 'const':
        return node.name === 'n' ? T.float(n) : T.float(node.name === 'pi' ? Math.PI : Math.E);
      case 'var':
        return T.intToFloat(ivar(node.name));
      case 'index':
        return T.index(int(node.index));
      case 'neg':
        return `(-${float(node.arg, out)})`;
      case 'call':
        if (node.fn === 'pow') return power(node.args[0], node.args[1], out); // pow(a, b) is a ^ b
        return T.call(node.fn, node.args.map((a) => float(a, out)));
      case 'bin': {
        if (node.op === '^') return power(node.left, node.right, out);
        return `(${float(node.left, out)} ${node.op} ${float(node.right, out)})`;
      }
      case 'reduce': {
        const acc = fresh('r');
        out.push(T.declare(acc, T.float(node.op === 'sum' ? 0 : 1)));
        const body: string[] = [];
        const v = float(node.body, body);
        body.push(`${acc} ${node.op === 'sum' ? '+=' : '*='} ${v};`);
        out.push(T.loop(ivar(node.variable), node.from ? int(node.from) : T.int('0'), node.to ? int(node.to) : T.int(`${n - 1}`), body));
        return acc;
      }
    }
  }

  function power(base: Node, exp: Node, out: string[]): string {
    const k = integerExponent(exp);
    if (k !== null && Math.abs(k) <= 16) {
      // repeated multiplication: exact for negative bases, identical on both targets
      if (k === 0) return T.float(1);
      const b = fresh('p');
      out.push(T.constant(b, float(base, out)));
      const prod = `(${new Array(Math.abs(k)).fill(b).join(' * ')})`;
      return k > 0 ? prod : `(${T.float(1)} / ${prod})`;
    }
    return T.pow(float(base, out), float(exp, out));
  }

  const stmts: string[] = [];
  const value = float(root, stmts);
  return { stmts, value };
}

function integerExponent(node: Node): number | null {
  if (node.kind === 'num' && Number.isInteger(node.value)) return node.value;
  if (node.kind === 'neg' && node.arg.kind === 'num' && Number.isInteger(node.arg.value)) return -node.arg.value;
  return null;
}

/** Checks names, arities, integer contexts and that every x[...] stays inside 0..n-1. */
export function check(root: Node, n: number): void {
  const walk = (node: Node, s: Scope): void => {
    switch (node.kind) {
      case 'num':
      case 'const':
        return;
      case 'var':
        if (!s.vars.has(node.name)) throw new ExprError(node.pos + 1, `unknown name '${node.name}' (known: x[...], n, pi, e and index variables of sum/prod)`);
        return;
      case 'index': {
        const [lo, hi] = intRange(node.index, s, n);
        if (s.live && (lo < 0 || hi > n - 1)) {
          throw new ExprError(node.pos + 1, `x[...] reads index ${lo < 0 ? lo : hi}, outside 0..${n - 1} (n = ${n}); narrow the bounds, e.g. sum(i=0..n-2, ...)`);
        }
        return;
      }
      case 'neg':
        return walk(node.arg, s);
      case 'bin':
        walk(node.left, s);
        return walk(node.right, s);
      case 'call':
        for (const a of node.args) walk(a, s);
        return;
      case 'reduce': {
        if (s.vars.has(node.variable)) throw new ExprError(node.pos + 1, `index variable '${node.variable}' is already in use by an enclosing sum/prod`);
        const from = node.from ? intRange(node.from, s, n) : ([0, 0] as Interval);
        const to = node.to ? intRange(node.to, s, n) : ([n - 1, n - 1] as Interval);
        const live = s.live && from[0] <= to[1];
        const trips = s.trips * Math.max(1, to[1] - from[0] + 1);
        if (live && trips > MAX_TRIPS) {
          throw new ExprError(node.pos + 1, `${node.op} over '${node.variable}' makes ${trips} loop iterations per evaluation (with enclosing sums/prods); at most ${MAX_TRIPS}`);
        }
        const vars = new Map(s.vars).set(node.variable, [from[0], Math.max(from[0], to[1])] as Interval);
        return walk(node.body, { vars, live, trips });
      }
    }
  };
  walk(root, { vars: new Map(), live: true, trips: 1 });
}

/** WGSL (array form of the objective contract) and a JS twin from the same checked tree. */
export function emit(root: Node, n: number): { wgsl: string; jsBody: string } {
  const w = generate(root, n, WGSL);
  const j = generate(root, n, JS);
  const indent = (lines: string[]) => lines.join('\n').replace(/^/gm, '  ');
  const wgsl = `${prelude}\nfn objective(x: ptr<function, array<f32, DIM>>) -> f32 {\n${indent([...w.stmts, `return ${w.value};`])}\n}\n`;
  const jsBody = `"use strict";\n${[...j.stmts, `return ${j.value};`].join('\n')}`;
  return { wgsl, jsBody };
}
