/**
 * Small dense linear algebra for the population methods (row-major Float64Array, d x d).
 *
 * The symmetric eigensolver is the cyclic Jacobi method with Rutishauser's threshold strategy
 * (Golub & Van Loan, "Matrix Computations", 4th ed., Sect. 8.5; Rutishauser, "The Jacobi method for
 * real symmetric matrices", Numer. Math. 9, 1966): short, dependency-free and accurate to a few ulps
 * in every eigenvalue, including the small ones that CMA-ES needs for C^(-1/2). It costs O(d^3) per
 * sweep and converges quadratically (typically 6-10 sweeps), which is negligible next to the
 * population's evaluations for the dimensions CMA-ES is used at (d <= a few hundred), and CMA-ES
 * decomposes lazily (every 1/(10 d (c1 + cmu)) generations, tutorial Sect. B.2).
 */

export interface SymmetricEigen {
  /** Eigenvalues, in ascending order. */
  values: Float64Array;
  /** Eigenvectors as columns: vectors[i * d + j] is component i of the eigenvector of values[j]. */
  vectors: Float64Array;
  /** Jacobi sweeps used. */
  sweeps: number;
}

/** Eigen-decomposition A = V diag(values) V^T of a symmetric matrix (only its upper triangle is read). */
export function symmetricEigen(A: ArrayLike<number>, d: number, maxSweeps = 60): SymmetricEigen {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      a[i * d + j] = A[i * d + j];
      a[j * d + i] = A[i * d + j];
    }
  }
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  const diag = new Float64Array(d);
  const b = new Float64Array(d);
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) diag[i] = b[i] = a[i * d + i];
  let sweep = 0;
  for (; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d - 1; p++) for (let q = p + 1; q < d; q++) off += Math.abs(a[p * d + q]);
    if (off === 0) break;
    // Threshold strategy: large rotations only in the first sweeps, every nonzero entry after.
    const thresh = sweep < 3 ? (0.2 * off) / (d * d) : 0;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        const g = 100 * Math.abs(apq);
        // After 4 sweeps, an entry negligible next to both diagonal entries is set to zero.
        if (sweep > 3 && Math.abs(diag[p]) + g === Math.abs(diag[p]) && Math.abs(diag[q]) + g === Math.abs(diag[q])) {
          a[p * d + q] = 0;
          continue;
        }
        if (Math.abs(apq) <= thresh) continue;
        const h = diag[q] - diag[p];
        let t: number;
        if (Math.abs(h) + g === Math.abs(h)) {
          t = apq / h;
        } else {
          const theta = (0.5 * h) / apq;
          t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
          if (theta < 0) t = -t;
        }
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        const tau = s / (1 + c);
        const dh = t * apq;
        z[p] -= dh;
        z[q] += dh;
        diag[p] -= dh;
        diag[q] += dh;
        a[p * d + q] = 0;
        for (let j = 0; j < p; j++) rotate(a, j * d + p, j * d + q, s, tau);
        for (let j = p + 1; j < q; j++) rotate(a, p * d + j, j * d + q, s, tau);
        for (let j = q + 1; j < d; j++) rotate(a, p * d + j, q * d + j, s, tau);
        for (let j = 0; j < d; j++) rotate(v, j * d + p, j * d + q, s, tau);
      }
    }
    for (let p = 0; p < d; p++) {
      b[p] += z[p];
      diag[p] = b[p];
      z[p] = 0;
    }
  }
  // Canonical form, shared with the GPU twin (shaders/math/jacobi.wgsl, brox_eigen_canonical) so
  // that both give CMA-ES the same factor B D, hence the same samples: ascending values (ties keep
  // their index order), each vector's largest-magnitude component (the first of equals) positive.
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => diag[i] - diag[j]);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    values[k] = diag[order[k]];
    let big = 0;
    for (let i = 1; i < d; i++) if (Math.abs(v[i * d + order[k]]) > Math.abs(v[big * d + order[k]])) big = i;
    const sign = v[big * d + order[k]] < 0 ? -1 : 1;
    for (let i = 0; i < d; i++) vectors[i * d + k] = sign * v[i * d + order[k]];
  }
  return { values, vectors, sweeps: sweep };
}

function rotate(m: Float64Array, ij: number, kl: number, s: number, tau: number): void {
  const g = m[ij];
  const h = m[kl];
  m[ij] = g - s * (h + g * tau);
  m[kl] = h + s * (g - h * tau);
}

/** y = A x for a row-major d x d matrix. */
export function matVec(A: ArrayLike<number>, x: ArrayLike<number>, d: number, out = new Float64Array(d)): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += A[i * d + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** y = A^T x for a row-major d x d matrix. */
export function matTVec(A: ArrayLike<number>, x: ArrayLike<number>, d: number, out = new Float64Array(d)): Float64Array {
  out.fill(0);
  for (let i = 0; i < d; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    for (let j = 0; j < d; j++) out[j] += A[i * d + j] * xi;
  }
  return out;
}

/** The rows of a row-major d x d matrix as plain arrays (the engine's `factor` / `cov` format). */
export function toRows(A: ArrayLike<number>, d: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) {
    const r = new Array<number>(d);
    for (let j = 0; j < d; j++) r[j] = A[i * d + j];
    rows.push(r);
  }
  return rows;
}

export function norm2(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** A uniform point of the box, one ctx.random() draw per coordinate. */
export function uniformInBox(lo: ArrayLike<number>, hi: ArrayLike<number>, random: () => number): Float64Array {
  const x = new Float64Array(lo.length);
  for (let i = 0; i < x.length; i++) x[i] = Math.min(hi[i], lo[i] + random() * (hi[i] - lo[i]));
  return x;
}
