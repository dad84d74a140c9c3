// Symmetric eigendecomposition in one workgroup: parallel cyclic Jacobi with the round-robin
// ("chess tournament") ordering of Brent & Luk, "The solution of singular-value and symmetric
// eigenvalue problems on multiprocessor arrays", SIAM J. Sci. Stat. Comput. 6 (1985): each round
// rotates DIM/2 disjoint (p, q) pairs at once, DIM - 1 rounds per sweep, so a sweep costs 3 (DIM - 1)
// barriers instead of 3 DIM (DIM - 1) / 2. Rotation as Golub & Van Loan, "Matrix Computations",
// Alg. 8.5.1 (sym.schur2): J = [[c, s], [-s, c]] on (p, q), A <- J^T A J zeroes a_pq.
// The matrix and its eigenvectors live in a storage array (DIM^2 floats does not fit in
// workgroup memory at DIM = 100). Twin (same decomposition, another ordering): symmetricEigen in
// src/methods/linalg.ts; the eigenpairs are compared, not the order.
// Needs DIM, WG, the method state brox_mstate (read-write storage array<f32>) and the offsets
// BROX_JAC_A (the matrix) and BROX_JAC_V (the eigenvectors) in it.

const BROX_JAC_N2: u32 = DIM + (DIM & 1u);  // a dummy index pads odd DIM
var<workgroup> brox_jac_cs: array<vec2<f32>, 512>;
var<workgroup> brox_jac_done: u32;

// Index at position i of round r (position 0 fixed, the others rotate).
fn brox_jac_pos(i: u32, r: u32) -> u32 {
  if (i == 0u) { return 0u; }
  return ((i - 1u + r) % (BROX_JAC_N2 - 1u)) + 1u;
}

fn brox_jac_pair(k: u32, r: u32) -> vec2<u32> {
  let p = brox_jac_pos(k, r);
  let q = brox_jac_pos(BROX_JAC_N2 - 1u - k, r);
  return vec2<u32>(min(p, q), max(p, q));
}

// On entry brox_mstate holds the symmetric matrix at BROX_JAC_A and, when `warm`, the vectors of a
// nearby decomposition at BROX_JAC_V (the matrix then is V^T C V, nearly diagonal: a sweep or two
// instead of six to ten from scratch); otherwise V starts as I. On exit the diagonal at
// BROX_JAC_A holds the eigenvalues and BROX_JAC_V the eigenvectors (of C) as columns.
fn brox_jacobi(lid: u32, max_sweeps: u32, warm: bool) -> u32 {
  if (!warm) {
    for (var i = lid; i < DIM * DIM; i += WG) {
      brox_mstate[brox_ms + BROX_JAC_V + i] = select(0.0, 1.0, i / DIM == i % DIM);
    }
  }
  storageBarrier();
  workgroupBarrier();
  var sweeps = 0u;
  for (var sweep = 0u; sweep < max_sweeps; sweep++) {
    // off-diagonal and diagonal squared norms, summed by all threads in brox_jac_cs (free between
    // rounds; 512 slots, a WG above 512 adds in chunks)
    var part = vec2<f32>(0.0, 0.0);
    for (var e = lid; e < DIM * DIM; e += WG) {
      let v = brox_mstate[brox_ms + BROX_JAC_A + e];
      if (e / DIM == e % DIM) { part.y += v * v; } else { part.x += v * v; }
    }
    if (lid < 512u) { brox_jac_cs[lid] = vec2<f32>(0.0, 0.0); }
    workgroupBarrier();
    for (var t = 0u; t < WG; t += 512u) {
      if (lid >= t && lid - t < 512u) { brox_jac_cs[lid - t] += part; }
      workgroupBarrier();
    }
    for (var s = 256u; s > 0u; s >>= 1u) {
      if (lid < s) { brox_jac_cs[lid] += brox_jac_cs[lid + s]; }
      workgroupBarrier();
    }
    if (lid == 0u) {
      let n = brox_jac_cs[0];
      // converged at float32's resolution: rounding leaves off ~ (DIM eps)^2 of the diagonal
      brox_jac_done = select(0u, 1u, n.x <= 1e-13 * f32(DIM) * n.y || n.x == 0.0);
    }
    if (workgroupUniformLoad(&brox_jac_done) != 0u) { break; }
    sweeps = sweep + 1u;
    for (var r = 0u; r < BROX_JAC_N2 - 1u; r++) {
      for (var k = lid; k < BROX_JAC_N2 / 2u; k += WG) {
        let pq = brox_jac_pair(k, r);
        var cs = vec2<f32>(1.0, 0.0);
        if (pq.y < DIM) {
          let apq = brox_mstate[brox_ms + BROX_JAC_A + pq.x * DIM + pq.y];
          if (apq != 0.0) {
            let tau = (brox_mstate[brox_ms + BROX_JAC_A + pq.y * DIM + pq.y] - brox_mstate[brox_ms + BROX_JAC_A + pq.x * DIM + pq.x]) / (2.0 * apq);
            let t = select(-1.0, 1.0, tau >= 0.0) / (abs(tau) + sqrt(1.0 + tau * tau));
            let c = 1.0 / sqrt(1.0 + t * t);
            cs = vec2<f32>(c, t * c);
          }
        }
        brox_jac_cs[k] = cs;
      }
      workgroupBarrier();
      // A J and V J: columns p and q of every row
      for (var task = lid; task < DIM * (BROX_JAC_N2 / 2u); task += WG) {
        let i = task % DIM;
        let k = task / DIM;
        let pq = brox_jac_pair(k, r);
        if (pq.y < DIM) {
          let cs = brox_jac_cs[k];
          let ap = brox_mstate[brox_ms + BROX_JAC_A + i * DIM + pq.x];
          let aq = brox_mstate[brox_ms + BROX_JAC_A + i * DIM + pq.y];
          brox_mstate[brox_ms + BROX_JAC_A + i * DIM + pq.x] = cs.x * ap - cs.y * aq;
          brox_mstate[brox_ms + BROX_JAC_A + i * DIM + pq.y] = cs.y * ap + cs.x * aq;
          let vp = brox_mstate[brox_ms + BROX_JAC_V + i * DIM + pq.x];
          let vq = brox_mstate[brox_ms + BROX_JAC_V + i * DIM + pq.y];
          brox_mstate[brox_ms + BROX_JAC_V + i * DIM + pq.x] = cs.x * vp - cs.y * vq;
          brox_mstate[brox_ms + BROX_JAC_V + i * DIM + pq.y] = cs.y * vp + cs.x * vq;
        }
      }
      storageBarrier();
      workgroupBarrier();
      // J^T (A J): rows p and q of every column
      for (var task = lid; task < DIM * (BROX_JAC_N2 / 2u); task += WG) {
        let j = task % DIM;
        let k = task / DIM;
        let pq = brox_jac_pair(k, r);
        if (pq.y < DIM) {
          let cs = brox_jac_cs[k];
          let ap = brox_mstate[brox_ms + BROX_JAC_A + pq.x * DIM + j];
          let aq = brox_mstate[brox_ms + BROX_JAC_A + pq.y * DIM + j];
          brox_mstate[brox_ms + BROX_JAC_A + pq.x * DIM + j] = cs.x * ap - cs.y * aq;
          brox_mstate[brox_ms + BROX_JAC_A + pq.y * DIM + j] = cs.y * ap + cs.x * aq;
        }
      }
      storageBarrier();
      workgroupBarrier();
    }
  }
  return sweeps;
}

// The canonical form of the twin (symmetricEigen): ascending eigenvalues (ties keep their index
// order) with their vectors, each vector's largest-magnitude component (the first of equals)
// positive. Uses BROX_JAC_A as scratch; on exit brox_jac_vals[j] is eigenvalue j and the vectors
// at BROX_JAC_V are in that order.
var<workgroup> brox_jac_vals: array<f32, DIM>;
var<workgroup> brox_jac_perm: array<u32, DIM>;

fn brox_eigen_canonical(lid: u32) {
  for (var j = lid; j < DIM; j += WG) {
    // rank of eigenvalue j among all (stable): its position in ascending order
    let vj = brox_mstate[brox_ms + BROX_JAC_A + j * DIM + j];
    var r = 0u;
    for (var i = 0u; i < DIM; i++) {
      let vi = brox_mstate[brox_ms + BROX_JAC_A + i * DIM + i];
      r += select(0u, 1u, vi < vj || (vi == vj && i < j));
    }
    brox_jac_perm[r] = j;
    brox_jac_vals[r] = vj;
  }
  workgroupBarrier();
  storageBarrier();
  // permuted, sign-fixed vectors into the scratch area, then back
  for (var k = lid; k < DIM; k += WG) {
    let c = brox_jac_perm[k];
    var big = 0u;
    for (var i = 1u; i < DIM; i++) {
      if (abs(brox_mstate[brox_ms + BROX_JAC_V + i * DIM + c]) > abs(brox_mstate[brox_ms + BROX_JAC_V + big * DIM + c])) { big = i; }
    }
    let sign = select(1.0, -1.0, brox_mstate[brox_ms + BROX_JAC_V + big * DIM + c] < 0.0);
    for (var i = 0u; i < DIM; i++) { brox_mstate[brox_ms + BROX_JAC_A + i * DIM + k] = sign * brox_mstate[brox_ms + BROX_JAC_V + i * DIM + c]; }
  }
  storageBarrier();
  workgroupBarrier();
  for (var e = lid; e < DIM * DIM; e += WG) { brox_mstate[brox_ms + BROX_JAC_V + e] = brox_mstate[brox_ms + BROX_JAC_A + e]; }
  storageBarrier();
  workgroupBarrier();
}

// Gram-Schmidt on the columns of BROX_JAC_V: a warm start multiplies the last vectors by new
// rotations every decomposition, and float32 rounding would otherwise erode their orthogonality
// over a run. The vectors are nearly orthonormal already, so one classical pass restores it.
var<workgroup> brox_jac_r: array<f32, DIM>;

fn brox_orthonormalize(lid: u32) {
  for (var j = 0u; j < DIM; j++) {
    for (var k = lid; k < DIM; k += WG) {
      var dot = 0.0;
      if (k <= j) {
        for (var i = 0u; i < DIM; i++) { dot += brox_mstate[brox_ms + BROX_JAC_V + i * DIM + k] * brox_mstate[brox_ms + BROX_JAC_V + i * DIM + j]; }
      }
      brox_jac_r[k] = dot;
    }
    workgroupBarrier();
    for (var i = lid; i < DIM; i += WG) {
      var v = brox_mstate[brox_ms + BROX_JAC_V + i * DIM + j];
      for (var k = 0u; k < j; k++) { v -= brox_jac_r[k] * brox_mstate[brox_ms + BROX_JAC_V + i * DIM + k]; }
      // |v_j - sum r_k v_k|^2 = r_jj - sum_k r_k^2 for orthonormal v_k
      var nn = brox_jac_r[j];
      for (var k = 0u; k < j; k++) { nn -= brox_jac_r[k] * brox_jac_r[k]; }
      brox_mstate[brox_ms + BROX_JAC_V + i * DIM + j] = v / sqrt(max(nn, 1e-30));
    }
    storageBarrier();
    workgroupBarrier();
  }
}
