import { BroxError, preview } from '../errors.js';
import { checkDim } from '../validate.js';
import type { Objective } from './types.js';

/** A design matrix with m rows a_i (length d) and a target per row. */
export interface Dataset {
  /** Rows a_i, all of the same length d (1..1024); or every row in one row-major Float32Array, with `d`. */
  A: ArrayLike<ArrayLike<number>> | Float32Array;
  /** Targets, one per row. */
  y: ArrayLike<number>;
  /** The row length d when A is one flat Float32Array (large data: no array per row). */
  d?: number;
}

/** Packs [A row-major, y] as float32: the GPU buffer, and the values the JS twin reads. */
function pack(ds: Dataset, argument: string): { data: Float32Array; m: number; d: number } {
  if (!ds || !ds.A || !ds.y || typeof ds.A.length !== 'number') throw new BroxError(argument, 'must be { A: rows, y: targets }');
  if (ds.A instanceof Float32Array) return packFlat(ds.A, ds.y, ds.d, argument);
  const m = ds.A.length;
  if (m < 1) throw new BroxError(`${argument}.A`, 'must have at least one row');
  const d = ds.A[0]?.length;
  checkDim(d, 1, 1024, `${argument}.A[0].length`);
  if (ds.y.length !== m) throw new BroxError(`${argument}.y`, `must have one target per row (${m}), got ${preview(ds.y.length)}`);
  const data = new Float32Array(m * d + m);
  for (let i = 0; i < m; i++) {
    const row = ds.A[i];
    if (!row || row.length !== d) throw new BroxError(`${argument}.A[${i}]`, `must have length ${d} like row 0, got ${preview(row?.length)}`);
    for (let k = 0; k < d; k++) {
      const v = row[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new BroxError(`${argument}.A[${i}][${k}]`, `must be a finite number, got ${preview(v)}`);
      data[i * d + k] = v;
    }
    const t = ds.y[i];
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new BroxError(`${argument}.y[${i}]`, `must be a finite number, got ${preview(t)}`);
    data[m * d + i] = t;
  }
  return { data, m, d };
}

/** pack() for A given as one row-major Float32Array of m rows of length d. */
function packFlat(A: Float32Array, y: ArrayLike<number>, d: unknown, argument: string): { data: Float32Array; m: number; d: number } {
  checkDim(d, 1, 1024, `${argument}.d`);
  const w = d as number;
  const m = A.length / w;
  if (!Number.isInteger(m) || m < 1) throw new BroxError(`${argument}.A`, `must hold whole rows of d = ${w} values (at least one), got ${A.length} values`);
  if (y.length !== m) throw new BroxError(`${argument}.y`, `must have one target per row (${m}), got ${preview(y.length)}`);
  const data = new Float32Array(m * w + m);
  data.set(A);
  for (let i = 0; i < m; i++) data[m * w + i] = y[i];
  for (let j = 0; j < data.length; j++) {
    if (Number.isFinite(data[j])) continue;
    if (j < m * w) throw new BroxError(`${argument}.A[${Math.floor(j / w)}][${j % w}]`, `must be a finite number, got ${A[j]}`);
    throw new BroxError(`${argument}.y[${j - m * w}]`, `must be a finite number, got ${preview(y[j - m * w])}`);
  }
  return { data, m, d: w };
}

/** a_i . x for the packed data (float64 arithmetic on the float32 values). */
function dot(data: Float32Array, d: number, i: number, x: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += data[i * d + k] * x[k];
  return s;
}

const wgslLoop = (m: number, d: number, term: string) => `const BROX_M: u32 = ${m}u;
fn brox_row_dot(i: u32, x: ptr<function, array<f32, DIM>>) -> f32 {
  var s = 0.0;
  for (var k = 0u; k < DIM; k++) {
    s += brox_data[i * DIM + k] * (*x)[k];
  }
  return s;
}
fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {
  var f = 0.0;
  for (var i = 0u; i < BROX_M; i++) {
    let z = brox_row_dot(i, x);
    let t = brox_data[BROX_M * DIM + i];
    ${term}
  }
  return f;
}
// d = ${d}
`;

function make(name: string, ds: Dataset, argument: string, wgslTerm: string, term: (z: number, t: number) => number): Objective {
  const { data, m, d } = pack(ds, argument);
  const js = (x: ArrayLike<number>) => {
    let f = 0;
    for (let i = 0; i < m; i++) f += term(dot(data, d, i, x), data[m * d + i]);
    return f;
  };
  return Object.freeze({ name, dim: d, wgsl: wgslLoop(m, d, wgslTerm), js, data, minimum: null, cost: m * (2 * d + 8) });
}

/** Least squares: f(x) = sum_i (a_i . x - b_i)^2 = ||A x - b||^2. */
export const leastSquares = (ds: Dataset): Objective =>
  make('least-squares', ds, 'data', 'f += (z - t) * (z - t);', (z, t) => (z - t) ** 2);

/**
 * Logistic regression loss: f(x) = sum_i log(1 + exp(-y_i a_i . x)), labels y_i in {-1, +1}
 * (0 is read as -1). Written as the stable softplus max(u, 0) + log(1 + exp(-|u|)).
 */
export const logisticRegression = (ds: Dataset): Objective =>
  make(
    'logistic',
    ds,
    'data',
    'let u = -select(-1.0, 1.0, t > 0.0) * z;\n    f += max(u, 0.0) + log(1.0 + exp(-abs(u)));',
    (z, t) => {
      const u = -(t > 0 ? 1 : -1) * z;
      return Math.max(u, 0) + Math.log(1 + Math.exp(-Math.abs(u)));
    },
  );

/** Phase retrieval: f(x) = sum_i ((a_i . x)^2 - y_i)^2 (x and -x are both minimisers). */
export const phaseRetrieval = (ds: Dataset): Objective =>
  make('phase-retrieval', ds, 'data', 'f += (z * z - t) * (z * z - t);', (z, t) => (z * z - t) ** 2);

export const DATA_OBJECTIVES = { 'least-squares': leastSquares, logistic: logisticRegression, 'phase-retrieval': phaseRetrieval } as const;
export type DataObjectiveName = keyof typeof DATA_OBJECTIVES;
