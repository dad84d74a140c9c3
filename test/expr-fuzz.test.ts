import { describe, expect, it } from 'vitest';
import trig from '../shaders/math/trig.wgsl?raw';
import { BroxError } from '../src/errors';
import { exprObjective } from '../src/expr';
import { mulberry32, useGpuDevice } from './helpers';

// Fuzzing the expression language: whatever the text, exprObjective returns an objective or throws
// a BroxError, in bounded time, and what it accepts computes the same on the CPU and on WebGPU.

const FUZZ_COUNT = 100_000;
/** Every 16th accepted fuzz expression: its WGSL goes through the real WGSL compiler below. */
const acceptedSample: Array<{ expr: string; dim: number; wgsl: string }> = [];
const pick = <T>(rnd: () => number, a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
const int = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

const NUMBERS = ['0', '1', '2', '0.5', '.25', '3.', '1e30', '1e-30', '1e38', '3.4e38', '1e39', '1e-45', '1e400', '16777217', '2147483648', '7', '10', '1e5'];
const FUNS = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'floor', 'tanh', 'sign', 'min', 'max', 'pow', 'cosh', 'constructor'];

/** Random text from the language's grammar, valid or nearly so: wrong arities, unbound names, huge bounds. */
function grammarExpr(rnd: () => number, depth: number, vars: string[]): string {
  const r = rnd();
  if (depth <= 0 || r < 0.25) {
    const leaf = rnd();
    if (leaf < 0.3) return pick(rnd, NUMBERS);
    if (leaf < 0.6) return `x[${vars.length && rnd() < 0.6 ? pick(rnd, vars) : pick(rnd, ['0', '1', 'n-1', 'n', '-1', '5000', '0.5', 'i'])}]`;
    if (leaf < 0.8) return pick(rnd, ['n', 'pi', 'e', ...vars, 'q']);
    return pick(rnd, NUMBERS);
  }
  const sub = () => grammarExpr(rnd, depth - 1, vars);
  if (r < 0.55) return `${sub()} ${pick(rnd, ['+', '-', '*', '/', '^'])} ${sub()}`;
  if (r < 0.62) return `-${sub()}`;
  if (r < 0.7) return `(${sub()})`;
  if (r < 0.85) {
    const f = pick(rnd, FUNS);
    const arity = ['min', 'max', 'pow'].includes(f) ? (rnd() < 0.9 ? 2 : 1) : rnd() < 0.9 ? 1 : 2;
    return `${f}(${Array.from({ length: arity }, sub).join(', ')})`;
  }
  const v = pick(rnd, ['i', 'j', 'k']);
  const bounds = rnd() < 0.4 ? '' : `=${pick(rnd, ['0', '1', 'n-1', '-3', ...vars, '2*n'])}..${pick(rnd, ['n-1', 'n-2', '0', '3000000', 'n*n', ...vars])}`;
  return `${pick(rnd, ['sum', 'prod'])}(${v}${bounds}, ${grammarExpr(rnd, depth - 1, [...vars, v])})`;
}

const ALPHABET = '()[],.=+-*/^ xnpie0123456789sumprodijk$#é\u0000\u{1F600}\ud800';

/** Character-level mutations of a grammar expression, and a few structural extremes. */
function mutate(rnd: () => number, s: string): string {
  const r = rnd();
  if (r < 0.02) return '('.repeat(int(rnd, 100, 400)) + s + ')'.repeat(int(rnd, 0, 400));
  if (r < 0.03) return Array.from({ length: int(rnd, 100, 5000) }, () => s.slice(0, 12) || 'x[0]').join(pick(rnd, ['+', '*', '-']));
  if (r < 0.04) return '-'.repeat(int(rnd, 100, 400)) + s;
  if (r < 0.05) return `${s}^`.repeat(int(rnd, 50, 300)) + '2';
  let out = s;
  for (let m = int(rnd, 1, 4); m > 0; m--) {
    const at = int(rnd, 0, out.length);
    const op = rnd();
    if (op < 0.35) out = out.slice(0, at) + out.slice(at + 1);
    else if (op < 0.7) out = out.slice(0, at) + pick(rnd, [...ALPHABET]) + out.slice(at);
    else if (op < 0.85) out = out.slice(0, at) + out.slice(at, at + int(rnd, 1, 8)).repeat(2) + out.slice(at);
    else out = out.slice(at) + out.slice(0, at);
  }
  return out;
}

describe('expression fuzzing', () => {
  it(`${FUZZ_COUNT} random and mutated expressions: an objective or a BroxError, in bounded time`, () => {
    const rnd = mulberry32(20261123);
    const t0 = performance.now();
    let accepted = 0;
    let slowest = 0;
    const failures: string[] = [];
    for (let c = 0; c < FUZZ_COUNT; c++) {
      const base = grammarExpr(rnd, int(rnd, 0, 6), []);
      const expr = rnd() < 0.5 ? base : mutate(rnd, base);
      const dim = rnd() < 0.05 ? 1024 : int(rnd, 1, 8);
      const t = performance.now();
      try {
        const o = exprObjective({ expr, dim });
        if (accepted++ % 16 === 0) acceptedSample.push({ expr, dim, wgsl: o.wgsl });
      } catch (e) {
        // the stack-overflow fallback would make acceptance depend on the caller's stack: the limits must come first
        if (!(e instanceof BroxError) || /too deeply nested to compile here/.test(e.message)) failures.push(`${JSON.stringify(expr.slice(0, 200))} (dim ${dim}): ${(e as Error).stack}`);
      }
      slowest = Math.max(slowest, performance.now() - t);
    }
    const ms = performance.now() - t0;
    console.log(`expr fuzz: ${FUZZ_COUNT} expressions, ${accepted} accepted, ${(ms / 1000).toFixed(1)} s, slowest ${slowest.toFixed(1)} ms`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(FUZZ_COUNT / 10); // the generator must reach the emitters, not only the parser
    expect(slowest).toBeLessThan(2000);
  });

  it('the issue-10 expressions: the same BroxError column on both targets, or compiled', () => {
    const err = (expr: string, dim = 3) => {
      try {
        exprObjective({ expr, dim });
      } catch (e) {
        expect(e).toBeInstanceOf(BroxError);
        return (e as BroxError).message;
      }
      return 'accepted';
    };
    expect(err('x[0] + 1/0')).toBe('expr: column 9: constant expression is not finite (Infinity)');
    expect(err('0/0')).toBe('expr: column 2: constant expression is not finite (NaN)');
    expect(err('x[0] + 1e30*1e30')).toMatch(/^expr: column 12: constant expression 1\.0+1e\+60 is outside the float32 range$/);
    expect(err('x[0] * log(0)')).toMatch(/^expr: column 8: constant expression is not finite \(-Infinity\)$/);
    expect(err('x[3000000000]')).toMatch(/^expr: column 3: integer expression may reach 3000000000/);
    expect(err('sum(i=1..0, x[5000])')).toBe('accepted');
    expect(err('('.repeat(3000) + 'x[0]' + ')'.repeat(3000))).toMatch(/^expr: column 257: nested more than 256 deep/);
    expect(err(Array(2000).fill('x[0]').join(' + '))).toBe('accepted');
    expect(err(Array(5000).fill('x[0]').join('+'))).toMatch(/more than 2048 levels deep/);
    expect(err('x[0]+'.repeat(30_000) + '1')).toMatch(/^expr: is 150001 characters long; at most 100000$/);
    expect(() => exprObjective({ expr: 'x[0]+1', dim: 1, maxLength: 3 })).toThrow(/expr: is 6 characters long; at most 3/);
    // folded once, for both: the JS twin computes with the literal the shader gets
    const o = exprObjective({ expr: 'x[0] * (2^10 - sum(i=1..0, x[5000]) + prod(k=3..2, 7))', dim: 1 });
    expect(o.js([1])).toBe(1025);
    expect(o.wgsl).toContain('brox_expr_mul((*x)[u32(0)], 1025.0)');
    expect(o.wgsl).not.toContain('5000');
  });

  const gpu = useGpuDevice();

  it('the WGSL of accepted fuzz expressions compiles (no constant-evaluation or index errors)', async () => {
    const { device } = gpu();
    expect(acceptedSample.length).toBeGreaterThan(1000);
    const failures: string[] = [];
    for (const { expr, dim, wgsl } of acceptedSample) {
      const code = `${trig}\nconst DIM: u32 = ${dim}u;\n${wgsl}\n@group(0) @binding(0) var<storage, read_write> out: array<f32>;\n@compute @workgroup_size(1) fn main() {\n  var x: array<f32, DIM>;\n  out[0] = objective(&x);\n}\n`;
      const info = await device.createShaderModule({ code }).getCompilationInfo();
      const errs = info.messages.filter((m) => m.type === 'error');
      if (errs.length) failures.push(`${JSON.stringify(expr.slice(0, 200))} (dim ${dim}): ${errs.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('CPU (JS twin) and WebGPU agree on accepted expressions, a seeded sample batched into few shaders', async () => {
    const rnd = mulberry32(7);
    const { createOracle } = await import('../src/oracle/create'); // the fuzz above needs no engine
    const oracle = await createOracle({ backend: 'webgpu', device: gpu().device });
    try {
      const D = 4;
      const BATCH = 10;
      let compared = 0;
      for (let b = 0; b < 3; b++) {
        // one shader per batch: f = sum_k x[D+k] * e_k, evaluated with one selector x[D+k] = 1
        const exprs: string[] = [];
        while (exprs.length < BATCH) {
          const e = tameExpr(rnd, 4);
          try {
            exprObjective({ expr: e, dim: D });
            exprs.push(e);
          } catch (err) {
            expect(err).toBeInstanceOf(BroxError);
          }
        }
        const joined = exprs.map((e, k) => `x[${D + k}] * (${e})`).join(' + ');
        const obj = exprObjective({ expr: joined, dim: D + BATCH });
        const points: number[][] = [];
        for (let k = 0; k < BATCH; k++) {
          for (let p = 0; p < 4; p++) {
            const x = Array.from({ length: D + BATCH }, (_, i) => (i < D ? Math.fround(-1 + 2 * rnd()) : i === D + k ? 1 : 0));
            points.push(x);
          }
        }
        const onGpu = await oracle.evaluate(obj, points);
        points.forEach((x, i) => {
          const cpu = obj.js(x);
          expect(Number.isFinite(cpu), exprs[Math.floor(i / 4)]).toBe(true);
          expect(Math.abs(onGpu[i] - cpu), `${exprs[Math.floor(i / 4)]} at ${x.slice(0, D)}: GPU ${onGpu[i]}, CPU ${cpu}`).toBeLessThanOrEqual(2e-3 * (1 + Math.abs(cpu)));
          compared++;
        });
      }
      expect(compared).toBe(3 * BATCH * 4);
      // expressions that used to fail only on WebGPU now compile there and give the CPU's value
      const edge = exprObjective({ expr: 'x[0] + sum(i=1..0, x[5000]) + 2^-3 + sum(i=0..n-1, x[i])^2', dim: 2 });
      const [v] = await oracle.evaluate(edge, [[0.5, 0.25]]);
      expect(v).toBeCloseTo(edge.js([0.5, 0.25]), 5);
    } finally {
      oracle.destroy();
    }
  });
});

/** Well-conditioned expressions for x in [-1, 1]: bounded terms, no cancellation-prone division. */
function tameExpr(rnd: () => number, depth: number): string {
  if (depth <= 0 || rnd() < 0.2) return rnd() < 0.6 ? `x[${int(rnd, 0, 3)}]` : pick(rnd, ['0.5', '2', '1.25', 'pi', 'n']);
  const sub = () => tameExpr(rnd, depth - 1);
  switch (int(rnd, 0, 9)) {
    case 0:
      return `${sub()} + ${sub()}`;
    case 1:
      return `${sub()} * ${pick(rnd, ['0.5', 'x[1]', 'cos(x[2])'])}`;
    case 2:
      return `sin(${sub()})`;
    case 3:
      return `cos(${sub()}) * tanh(${sub()})`;
    case 4:
      return `exp(tanh(${sub()}))`;
    case 5:
      return `sqrt(1 + (${sub()})^2)`;
    case 6:
      return `${sub()} / (3 + sin(${sub()}))`;
    case 7:
      return `sum(i, x[i] * ${sub()})`;
    case 8:
      return `max(${sub()}, min(${sub()}, 1))`;
    default:
      return `abs(${sub()})^${int(rnd, 2, 3)} - prod(j=0..1, cos(x[j]))`;
  }
}
