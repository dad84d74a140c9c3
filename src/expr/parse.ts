import { ExprError, F32_MAX, FUNCTIONS, MAX_DEPTH, MAX_LOOP_NESTING, MAX_NESTING, type Node } from './ast.js';
import { preview } from '../errors.js';

type Tok = { t: 'num'; v: number; pos: number } | { t: 'id'; v: string; pos: number } | { t: 'op'; v: string; pos: number } | { t: 'end'; pos: number };

// sticky: matched in place at lastIndex, no slice of the rest per token
const NUM = /(\d+(\.(?!\.)\d*)?|\.\d+)([eE][+-]?\d+)?/y; // '0..n' is 0, then '..'
const ID = /[A-Za-z_][A-Za-z_0-9]*/y;
const at = (re: RegExp, src: string, i: number) => ((re.lastIndex = i), re.exec(src));

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = at(NUM, src, i);
    if (num) {
      out.push({ t: 'num', v: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = at(ID, src, i);
    if (id) {
      out.push({ t: 'id', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (src.startsWith('..', i)) {
      out.push({ t: 'op', v: '..', pos: i });
      i += 2;
      continue;
    }
    if ('+-*/^()[],='.includes(c)) {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    throw new ExprError(i + 1, `unexpected character '${c}'`);
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

/**
 * Recursive descent, lowest precedence first:
 *   expr  := term (('+' | '-') term)*
 *   term  := unary (('*' | '/') unary)*
 *   unary := '-' unary | power
 *   power := atom ('^' unary)?          (right-associative; -x^2 = -(x^2), 2^-1 allowed)
 *   atom  := number | pi | e | n | var | x '[' expr ']' | f '(' args ')'
 *          | (sum | prod) '(' var (= expr '..' expr)? ',' expr ')' | '(' expr ')'
 */
export function parse(src: string): Node {
  const toks = lex(src);
  let k = 0;
  const peek = () => toks[k];
  const col = (t: Tok) => t.pos + 1;
  const isOp = (v: string) => peek().t === 'op' && (peek() as { v: string }).v === v;
  let nesting = 0;
  let loops = 0; // sum/prod bodies being parsed
  /** Every recursive production goes through here: bounded recursion, a BroxError past the limit. */
  const nested = <T>(t: Tok, f: () => T): T => {
    if (++nesting > MAX_NESTING) throw new ExprError(col(t), `nested more than ${MAX_NESTING} deep (parentheses, calls, unary minus, ^)`);
    try {
      return f();
    } finally {
      nesting--;
    }
  };
  const expect = (v: string, what: string) => {
    if (!isOp(v)) throw new ExprError(col(peek()), `expected '${v}' ${what}, found ${describe(peek())}`);
    k++;
  };

  function expr(): Node {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const t = toks[k++] as { v: '+' | '-'; pos: number };
      left = { kind: 'bin', op: t.v, left, right: term(), pos: t.pos };
    }
    return left;
  }
  function term(): Node {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const t = toks[k++] as { v: '*' | '/'; pos: number };
      left = { kind: 'bin', op: t.v, left, right: unary(), pos: t.pos };
    }
    return left;
  }
  function unary(): Node {
    if (isOp('-')) {
      const t = toks[k++];
      return { kind: 'neg', arg: nested(t, unary), pos: t.pos };
    }
    if (isOp('+')) {
      const t = toks[k++];
      return nested(t, unary);
    }
    return power();
  }
  function power(): Node {
    const base = atom();
    if (isOp('^')) {
      const t = toks[k++];
      return { kind: 'bin', op: '^', left: base, right: nested(t, unary), pos: t.pos };
    }
    return base;
  }
  function atom(): Node {
    const t = peek();
    if (t.t === 'num') {
      k++;
      if (!Number.isFinite(t.v) || Math.abs(t.v) > F32_MAX) throw new ExprError(col(t), `number ${t.v} is outside the float32 range`);
      return { kind: 'num', value: t.v, pos: t.pos };
    }
    if (t.t === 'op' && t.v === '(') {
      k++;
      const e = nested(t, expr);
      expect(')', 'to close the parenthesis');
      return e;
    }
    if (t.t !== 'id') throw new ExprError(col(t), `expected a number, a name or '(', found ${describe(t)}`);
    k++;
    const name = t.v;
    if (name === 'x') {
      if (!isOp('[')) throw new ExprError(col(t), "x must be indexed, as in x[0] or x[i]");
      k++;
      const index = nested(t, expr);
      expect(']', 'to close x[');
      return { kind: 'index', index, pos: t.pos };
    }
    if (name === 'sum' || name === 'prod') {
      expect('(', `after ${name}`);
      const v = peek();
      if (v.t !== 'id' || v.v === 'x' || Object.hasOwn(FUNCTIONS, v.v) || ['pi', 'e', 'n', 'sum', 'prod'].includes(v.v)) {
        throw new ExprError(col(v), `${name} needs an index variable name first, as in ${name}(i, ...) or ${name}(i=0..n-2, ...)`);
      }
      k++;
      let from: Node | null = null;
      let to: Node | null = null;
      if (isOp('=')) {
        k++;
        from = nested(v, expr);
        expect('..', `in the bounds of ${name}(${v.v}=a..b, ...)`);
        to = nested(v, expr);
      }
      expect(',', `after the index variable of ${name}`);
      if (++loops > MAX_LOOP_NESTING) throw new ExprError(col(t), `sum/prod nested more than ${MAX_LOOP_NESTING} deep (each is a loop, and WGSL limits how deeply statements nest)`);
      const body = nested(t, expr);
      loops--;
      expect(')', `to close ${name}(`);
      return { kind: 'reduce', op: name, variable: v.v, from, to, body, pos: t.pos };
    }
    if (isOp('(')) {
      if (!Object.hasOwn(FUNCTIONS, name)) throw new ExprError(col(t), `unknown function '${preview(name)}'; known: ${Object.keys(FUNCTIONS).join(', ')}, sum, prod`);
      k++;
      const args: Node[] = [];
      if (!isOp(')')) {
        args.push(nested(t, expr));
        while (isOp(',')) {
          k++;
          args.push(nested(t, expr));
        }
      }
      expect(')', `to close ${name}(`);
      if (args.length !== FUNCTIONS[name]) throw new ExprError(col(t), `${name} takes ${FUNCTIONS[name]} argument${FUNCTIONS[name] > 1 ? 's' : ''}, got ${args.length}`);
      return { kind: 'call', fn: name, args, pos: t.pos };
    }
    if (name === 'pi' || name === 'e' || name === 'n') return { kind: 'const', name, pos: t.pos };
    if (Object.hasOwn(FUNCTIONS, name)) throw new ExprError(col(t), `${name} is a function: call it as ${name}(...)`);
    return { kind: 'var', name, pos: t.pos };
  }

  const root = expr();
  if (peek().t !== 'end') throw new ExprError(col(peek()), `unexpected ${describe(peek())}`);
  checkDepth(root);
  return root;
}

/** Tree depth without recursion: long a + b + ... chains nest to the left with no parser recursion. */
function checkDepth(root: Node): void {
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    if (d > MAX_DEPTH) throw new ExprError(node.pos + 1, `the expression tree is more than ${MAX_DEPTH} levels deep (e.g. a sum of more than ${MAX_DEPTH} terms); use sum(i, ...)`);
    for (const c of children(node)) stack.push([c, d + 1]);
  }
}

export function children(node: Node): Node[] {
  switch (node.kind) {
    case 'index':
      return [node.index];
    case 'neg':
      return [node.arg];
    case 'bin':
      return [node.left, node.right];
    case 'call':
      return node.args;
    case 'reduce':
      return [node.from, node.to, node.body].filter((c): c is Node => c !== null);
    default:
      return [];
  }
}

function describe(t: Tok): string {
  if (t.t === 'end') return 'the end of the expression';
  return t.t === 'num' ? `number ${t.v}` : `'${preview(String(t.v))}'`;
}
