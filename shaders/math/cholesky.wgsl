// Dense linear algebra for one workgroup on d x d row-major matrices held in a storage array
// `brox_la` (the including chunk declares it, read_write): Cholesky with its log-determinant, the
// inverse of a lower-triangular factor. Twins: cholesky / invertLower in src/samplers/linalg.ts.
// Every function is called by the whole workgroup in uniform control flow (barriers inside).

var<workgroup> brox_la_ok: u32;
var<workgroup> brox_la_logdet: f32;
var<workgroup> brox_la_tol: f32;

fn brox_la_sync() {
  storageBarrier();
  workgroupBarrier();
}

// L (at l) with A = L L^T for A at a (lower part read; l != a); the upper part of L is zeroed.
// True when A is positive definite (every pivot > 1e-7 max |a_ii|: float32's tolerance); the
// log-determinant of A is then in brox_la_logdet.
fn brox_la_chol(a: u32, l: u32, lid: u32) -> bool {
  if (lid == 0u) {
    var diag = 0.0;
    for (var i = 0u; i < DIM; i++) { diag = max(diag, abs(brox_la[a + i * DIM + i])); }
    brox_la_ok = select(0u, 1u, diag > 0.0 && diag < 3.0e38);
    brox_la_tol = 1e-7 * diag;
    brox_la_logdet = 0.0;
  }
  let tol = workgroupUniformLoad(&brox_la_tol);
  for (var j = 0u; j < DIM; j++) {
    if (lid == 0u) {
      var s = brox_la[a + j * DIM + j];
      for (var k = 0u; k < j; k++) { s -= brox_la[l + j * DIM + k] * brox_la[l + j * DIM + k]; }
      if (!(s > tol)) {
        brox_la_ok = 0u;
        s = 1.0;
      }
      brox_la[l + j * DIM + j] = sqrt(s);
      brox_la_logdet += log(s);
    }
    brox_la_sync();
    let ljj = brox_la[l + j * DIM + j];
    for (var i = j + 1u + lid; i < DIM; i += WG) {
      var v = brox_la[a + i * DIM + j];
      for (var k = 0u; k < j; k++) { v -= brox_la[l + i * DIM + k] * brox_la[l + j * DIM + k]; }
      brox_la[l + i * DIM + j] = v / ljj;
      brox_la[l + j * DIM + i] = 0.0;
    }
    brox_la_sync();
  }
  return workgroupUniformLoad(&brox_la_ok) == 1u;
}

// L^{-1} (at out, lower triangular) for lower-triangular L at l: one column per thread (forward
// substitution), columns independent.
fn brox_la_inv_lower(l: u32, out: u32, lid: u32) {
  for (var c = lid; c < DIM; c += WG) {
    for (var i = 0u; i < c; i++) { brox_la[out + i * DIM + c] = 0.0; }
    brox_la[out + c * DIM + c] = 1.0 / brox_la[l + c * DIM + c];
    for (var i = c + 1u; i < DIM; i++) {
      var s = 0.0;
      for (var k = c; k < i; k++) { s += brox_la[l + i * DIM + k] * brox_la[out + k * DIM + c]; }
      brox_la[out + i * DIM + c] = -s / brox_la[l + i * DIM + i];
    }
  }
  brox_la_sync();
}

// A at a scaled to determinant 1 (A <- A exp(-logdet / d)), L its factor at l; false (A unchanged)
// when A is not positive definite. unitDet in src/methods/bpm.ts.
fn brox_la_unit_det(a: u32, l: u32, lid: u32) -> bool {
  if (!brox_la_chol(a, l, lid)) { return false; }
  let f = exp(-workgroupUniformLoad(&brox_la_logdet) / f32(DIM));
  if (!(f > 0.0 && f < 3.0e38)) { return false; }
  for (var i = lid; i < DIM * DIM; i += WG) { brox_la[a + i] *= f; }
  brox_la_sync();
  return true;
}
