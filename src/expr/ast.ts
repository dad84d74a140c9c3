/** Expression trees of the objective language (see README "Objectives from one expression"). */
export type Node =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'const'; name: 'pi' | 'e' | 'n'; pos: number }
  | { kind: 'var'; name: string; pos: number } // an index variable bound by sum/prod
  | { kind: 'index'; index: Node; pos: number } // x[index]
  | { kind: 'neg'; arg: Node; pos: number }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/' | '^'; left: Node; right: Node; pos: number }
  | { kind: 'call'; fn: string; args: Node[]; pos: number }
  | { kind: 'reduce'; op: 'sum' | 'prod'; variable: string; from: Node | null; to: Node | null; body: Node; pos: number };

export const FUNCTIONS: Record<string, number> = {
  sin: 1, cos: 1, tan: 1, exp: 1, log: 1, sqrt: 1, abs: 1, floor: 1, tanh: 1, sign: 1, min: 2, max: 2, pow: 2,
};

/** Longest expression accepted by default, in characters (ExprObjectiveOptions.maxLength). */
export const MAX_LENGTH = 100_000;
/** Deepest nesting of parentheses, calls, unary minus and ^ while parsing (the parser recurses). */
export const MAX_NESTING = 256;
/**
 * Deepest nesting of sum/prod: each is a loop, and WGSL bounds statement nesting in a function (127
 * levels in Tint; a loop takes two, so 61 nested sums compile and 62 do not), with room to spare.
 */
export const MAX_LOOP_NESTING = 48;
/** Deepest expression tree, a + b + c + ... chains included (the checker and emitters recurse). */
export const MAX_DEPTH = 2048; // a 2000-term sum fits; the emitters overflow the stack near 4000
/** Integer expressions (indices, bounds) stay within +-2^24: i32-safe and exact in f32. */
export const MAX_INT = 2 ** 24;
/** Largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;

/** A parse or check error at a 1-based column of the expression. */
export class ExprError extends Error {
  constructor(readonly column: number, readonly detail: string) {
    super(`column ${column}: ${detail}`);
  }
}
