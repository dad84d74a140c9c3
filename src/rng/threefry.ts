// Threefry-2x32 with 20 rounds (the reference) and 13 rounds (the lean generator) (Salmon et al.,
// "Parallel random numbers: as easy as 1, 2, 3", SC'11). Only 32-bit add/rotate/xor, so the WGSL
// twin in shaders/rng/threefry.wgsl is bit-identical. Unrolled by hand (no arrays, no modulo, no
// allocation): the 13- and 20-round forms share their first 12 rounds, written once.

const PARITY = 0x1bd11bda;

/** Rounds 1-12 with the key injections after rounds 4, 8 and 12; the state goes to out. */
function rounds12(k0: number, k1: number, c0: number, c1: number, out: Uint32Array): void {
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (PARITY ^ ks0 ^ ks1) >>> 0;
  let x0 = (c0 + ks0) | 0;
  let x1 = (c1 + ks1) | 0;
  // rounds 1-4: rotations 13, 15, 26, 6
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + ks1) | 0; x1 = (x1 + ks2 + 1) | 0;
  // rounds 5-8: rotations 17, 29, 16, 24
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + ks2) | 0; x1 = (x1 + ks0 + 2) | 0;
  // rounds 9-12
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + ks0) | 0; x1 = (x1 + ks1 + 3) | 0;
  out[0] = x0;
  out[1] = x1;
}

/** Threefry-2x32-20 of counter (c0, c1) under key (k0, k1); writes two u32 words into out. */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array): void {
  rounds12(k0, k1, c0, c1, out);
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (PARITY ^ ks0 ^ ks1) >>> 0;
  let x0 = out[0] | 0;
  let x1 = out[1] | 0;
  // rounds 13-16, then 17-20
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + ks1) | 0; x1 = (x1 + ks2 + 4) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + ks2) | 0; x1 = (x1 + ks0 + 5) | 0;
  out[0] = x0;
  out[1] = x1;
}

/**
 * Threefry-2x32-13: the first 13 rounds of the same schedule (keys injected after rounds 4, 8 and
 * 12, none after the last), as Random123's threefry2x32_R(13, ...). 13 is the fewest rounds with
 * which Threefry-2x32 passes TestU01's SmallCrush, Crush and BigCrush in Salmon et al. (SC'11,
 * Table 2); their default of 20 is that plus a safety margin. Used by the lean generator
 * (src/rng/lean.ts); keys and refinement-round hashes always use the 20-round function above.
 */
export function threefry2x32r13(k0: number, k1: number, c0: number, c1: number, out: Uint32Array): void {
  rounds12(k0, k1, c0, c1, out);
  const x0 = (out[0] + out[1]) | 0; // round 13, rotation 17
  out[1] = ((out[1] << 17) | (out[1] >>> 15)) ^ x0;
  out[0] = x0;
}

/** u32 -> float in (0, 1): odd multiples of 2^-24, exact in both f32 and f64, never 0 or 1. */
export function toUnit(bits: number): number {
  return (bits >>> 9) * 1.1920928955078125e-7 + 5.9604644775390625e-8;
}
