import { BroxError, preview } from '../errors.js';

/** A d x d matrix from nested arrays (row-major Float64Array), every entry finite. */
export function squareMatrix(m: unknown, d: number, argument: string): Float64Array {
  if (!Array.isArray(m) && !ArrayBuffer.isView(m)) throw new BroxError(argument, `must be a ${d} x ${d} matrix (array of rows)`);
  const rows = m as ArrayLike<unknown>;
  if (rows.length !== d) throw new BroxError(argument, `must have ${d} rows (the dimension), got ${rows.length}`);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const r = rows[i] as ArrayLike<unknown>;
    if (!r || typeof r !== 'object' || r.length !== d) throw new BroxError(argument, `row ${i} must have ${d} entries`);
    for (let j = 0; j < d; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new BroxError(argument, `entry [${i}][${j}] must be a finite number, got ${preview(v)}`);
      out[i * d + j] = v;
    }
  }
  return out;
}

/** Lower-triangular L with M = L L^T; refuses a non-symmetric or non-positive-definite M. */
export function cholesky(M: Float64Array, d: number, argument: string): Float64Array {
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(M[i]));
  let diag = 0;
  for (let i = 0; i < d; i++) diag = Math.max(diag, Math.abs(M[i * d + i]));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++)
      if (Math.abs(M[i * d + j] - M[j * d + i]) > 1e-12 * scale) {
        throw new BroxError(argument, `must be symmetric; entries [${i}][${j}] = ${M[i * d + j]} and [${j}][${i}] = ${M[j * d + i]} differ`);
      }
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = M[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] ** 2;
    if (!(s > 1e-14 * diag)) throw new BroxError(argument, `must be positive definite (Cholesky pivot ${j} is ${s}); allowed: symmetric positive definite matrices`);
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let v = M[i * d + j];
      for (let k = 0; k < j; k++) v -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = v / ljj;
    }
  }
  return L;
}

/** Inverse of a lower-triangular matrix (row-major), lower-triangular. */
export function invertLower(L: Float64Array, d: number): Float64Array {
  const X = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    X[j * d + j] = 1 / L[j * d + j];
    for (let i = j + 1; i < d; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * d + k] * X[k * d + j];
      X[i * d + j] = s / L[i * d + i];
    }
  }
  return X;
}

export function transpose(A: Float64Array, d: number): Float64Array {
  const T = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) T[j * d + i] = A[i * d + j];
  return T;
}
