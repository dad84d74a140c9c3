import prelude from '../../shaders/expr/prelude.wgsl?raw';
import type { Node } from './ast.js';
import { smallIntegerExponent } from './fold.js';

interface Target {
  /** Integer literal / expression syntax and float literal syntax of the language. */
  int(node: string): string;
  float(v: number): string;
  intToFloat(e: string): string;
  index(i: string): string;
  call(fn: string, args: string[]): string;
  pow(a: string, b: string): string;
  /** Float arithmetic (integer index arithmetic stays plain). */
  arith(op: '+' | '-' | '*' | '/', a: string, b: string): string;
  neg(a: string): string;
  declare(name: string, init: string): string; // mutable
  constant(name: string, value: string): string;
  loop(v: string, from: string, to: string, body: string[]): string;
}

const ARITH = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' } as const;

const WGSL: Target = {
  int: (e) => e,
  float: (v) => {
    const s = Object.is(v, -0) ? '-0' : String(v);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  },
  intToFloat: (e) => `f32(${e})`,
  index: (i) => `(*x)[u32(${i})]`,
  // every float operation goes through the prelude: NaN, infinities and signed zeros are decided
  // there from the operands' bits, as JavaScript computes them, not left to the driver
  call: (fn, a) => `brox_expr_${fn}(${a.join(', ')})`,
  pow: (a, b) => `brox_expr_pow(${a}, ${b})`,
  arith: (op, a, b) => `brox_expr_${ARITH[op]}(${a}, ${b})`,
  neg: (a) => `brox_expr_neg(${a})`,
  declare: (name, init) => `var ${name} = ${init};`,
  constant: (name, value) => `let ${name} = ${value};`,
  loop: (v, from, to, body) => `for (var ${v}: i32 = ${from}; ${v} <= ${to}; ${v}++) {\n${body.join('\n')}\n}`,
};

const JS: Target = {
  int: (e) => e,
  float: (v) => (Object.is(v, -0) ? '-0' : String(v)),
  intToFloat: (e) => e,
  index: (i) => `x[${i}]`,
  call: (fn, a) => `Math.${fn}(${a.join(', ')})`,
  pow: (a, b) => `Math.pow(${a}, ${b})`,
  arith: (op, a, b) => `(${a} ${op} ${b})`,
  neg: (a) => `(-${a})`,
  declare: (name, init) => `let ${name} = ${init};`,
  constant: (name, value) => `const ${name} = ${value};`,
  loop: (v, from, to, body) => `for (let ${v} = ${from}; ${v} <= ${to}; ${v}++) {\n${body.join('\n')}\n}`,
};

/** Subexpressions nested deeper than this are bound to a temporary: WGSL compilers bound nesting. */
const HOIST_DEPTH = 24;

/** Generated code and how deeply it nests. */
type Code = { s: string; d: number };

/** Generates one target's code from the checked, folded tree: statements plus a result expression. */
function generate(root: Node, n: number, T: Target): { stmts: string[]; value: string } {
  let tmp = 0;
  const fresh = (p: string) => `${p}${++tmp}`;
  const ivar = (name: string) => `ix_${name}`;
  const leaf = (s: string): Code => ({ s, d: 0 });
  /** A pure expression: binding it to a `let` first changes neither value nor rounding. */
  const nest = (s: string, parts: Code[], out: string[]): Code => {
    const d = 1 + Math.max(0, ...parts.map((p) => p.d));
    if (d <= HOIST_DEPTH) return { s, d };
    const t = fresh('h');
    out.push(T.constant(t, s));
    return leaf(t);
  };

  function int(node: Node, out: string[]): Code {
    switch (node.kind) {
      case 'num':
        return leaf(T.int(`${node.value}`));
      case 'const':
        return leaf(T.int(`${n}`));
      case 'var':
        return leaf(ivar(node.name));
      case 'neg': {
        const a = int(node.arg, out);
        return nest(`(-${a.s})`, [a], out);
      }
      case 'bin': {
        const a = int(node.left, out);
        const b = int(node.right, out);
        return nest(`(${a.s} ${node.op} ${b.s})`, [a, b], out);
      }
      default:
        throw new Error('unreachable: checked before');
    }
  }

  function float(node: Node, out: string[]): Code {
    switch (node.kind) {
      case 'num':
        return leaf(T.float(node.value));
      case 'const':
        throw new Error('unreachable: folded before');
      case 'var':
        return leaf(T.intToFloat(ivar(node.name)));
      case 'index': {
        const i = int(node.index, out);
        return nest(T.index(i.s), [i], out);
      }
      case 'neg': {
        const a = float(node.arg, out);
        return nest(T.neg(a.s), [a], out);
      }
      case 'call': {
        if (node.fn === 'pow') return power(node.args[0], node.args[1], out); // pow(a, b) is a ^ b
        const args = node.args.map((a) => float(a, out));
        return nest(T.call(node.fn, args.map((a) => a.s)), args, out);
      }
      case 'bin': {
        if (node.op === '^') return power(node.left, node.right, out);
        const a = float(node.left, out);
        const b = float(node.right, out);
        return nest(T.arith(node.op, a.s, b.s), [a, b], out);
      }
      case 'reduce': {
        const acc = fresh('r');
        out.push(T.declare(acc, T.float(node.op === 'sum' ? 0 : 1)));
        const bounds: string[] = []; // bounds are evaluated once, before the loop
        const from = node.from ? int(node.from, bounds).s : T.int('0');
        const to = node.to ? int(node.to, bounds).s : T.int(`${n - 1}`);
        const body: string[] = [];
        const v = float(node.body, body);
        body.push(`${acc} = ${T.arith(node.op === 'sum' ? '+' : '*', acc, v.s)};`);
        out.push(...bounds, T.loop(ivar(node.variable), from, to, body));
        return leaf(acc);
      }
    }
  }

  function power(base: Node, exp: Node, out: string[]): Code {
    const k = smallIntegerExponent(exp);
    if (k !== null) {
      // repeated multiplication: exact for negative bases, identical on both targets (fold.ts power)
      if (k === 0) return leaf(T.float(1));
      const b = fresh('p');
      out.push(T.constant(b, float(base, out).s));
      let prod = b; // left to right, as JavaScript evaluates b * b * ...
      for (let i = 1; i < Math.abs(k); i++) prod = T.arith('*', prod, b);
      return { s: k > 0 ? prod : T.arith('/', T.float(1), prod), d: Math.abs(k) };
    }
    const a = float(base, out);
    const e = float(exp, out);
    return nest(T.pow(a.s, e.s), [a, e], out);
  }

  const stmts: string[] = [];
  const value = float(root, stmts).s;
  return { stmts, value };
}

/** WGSL (array form of the objective contract) and a JS twin from the same checked, folded tree. */
export function emit(root: Node, n: number): { wgsl: string; jsBody: string } {
  const w = generate(root, n, WGSL);
  const j = generate(root, n, JS);
  const indent = (lines: string[]) => lines.join('\n').replace(/^/gm, '  ');
  const wgsl = `${prelude}\nfn objective(x: ptr<function, array<f32, DIM>>) -> f32 {\n${indent([...w.stmts, `return ${w.value};`])}\n}\n`;
  const jsBody = `"use strict";\n${[...j.stmts, `return ${j.value};`].join('\n')}`;
  return { wgsl, jsBody };
}
