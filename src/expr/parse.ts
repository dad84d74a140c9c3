import { ExprError, FUNCTIONS, type Node } from './ast.js';

type Tok = { t: 'num'; v: number; pos: number } | { t: 'id'; v: string; pos: number } | { t: 'op'; v: string; pos: number } | { t: 'end'; pos: number };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+(\.(?!\.)\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i)); // '0..n' is 0, then '..'
    if (num) {
      out.push({ t: 'num', v: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z_0-9]*/.exec(src.slice(i));
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
      return { kind: 'neg', arg: unary(), pos: t.pos };
    }
    if (isOp('+')) {
      k++;
      return unary();
    }
    return power();
  }
  function power(): Node {
    const base = atom();
    if (isOp('^')) {
      const t = toks[k++];
      return { kind: 'bin', op: '^', left: base, right: unary(), pos: t.pos };
    }
    return base;
  }
  function atom(): Node {
    const t = peek();
    if (t.t === 'num') {
      k++;
      if (!Number.isFinite(t.v) || Math.abs(t.v) > 3.4028234663852886e38) throw new ExprError(col(t), `number ${t.v} is outside the float32 range`);
      return { kind: 'num', value: t.v, pos: t.pos };
    }
    if (t.t === 'op' && t.v === '(') {
      k++;
      const e = expr();
      expect(')', 'to close the parenthesis');
      return e;
    }
    if (t.t !== 'id') throw new ExprError(col(t), `expected a number, a name or '(', found ${describe(t)}`);
    k++;
    const name = t.v;
    if (name === 'x') {
      if (!isOp('[')) throw new ExprError(col(t), "x must be indexed, as in x[0] or x[i]");
      k++;
      const index = expr();
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
        from = expr();
        expect('..', `in the bounds of ${name}(${v.v}=a..b, ...)`);
        to = expr();
      }
      expect(',', `after the index variable of ${name}`);
      const body = expr();
      expect(')', `to close ${name}(`);
      return { kind: 'reduce', op: name, variable: v.v, from, to, body, pos: t.pos };
    }
    if (isOp('(')) {
      if (!Object.hasOwn(FUNCTIONS, name)) throw new ExprError(col(t), `unknown function '${name}'; known: ${Object.keys(FUNCTIONS).join(', ')}, sum, prod`);
      k++;
      const args: Node[] = [];
      if (!isOp(')')) {
        args.push(expr());
        while (isOp(',')) {
          k++;
          args.push(expr());
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
  return root;
}

function describe(t: Tok): string {
  if (t.t === 'end') return 'the end of the expression';
  return t.t === 'num' ? `number ${t.v}` : `'${t.v}'`;
}
