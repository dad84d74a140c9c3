// Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11).
// Only 32-bit add/rotate/xor, so the WGSL twin in shaders/rng/threefry.wgsl is bit-identical.

const ROT = [13, 15, 26, 6, 17, 29, 16, 24];
const PARITY = 0x1bd11bda;

/** Threefry-2x32-20 of counter (c0, c1) under key (k0, k1); writes two u32 words into out. */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array): void {
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (PARITY ^ ks0 ^ ks1) >>> 0;
  const ks = [ks0, ks1, ks2];
  let x0 = (c0 + ks0) >>> 0;
  let x1 = (c1 + ks1) >>> 0;
  for (let r = 0; r < 20; r++) {
    x0 = (x0 + x1) >>> 0;
    const s = ROT[r & 7];
    x1 = ((x1 << s) | (x1 >>> (32 - s))) >>> 0;
    x1 = (x1 ^ x0) >>> 0;
    if ((r & 3) === 3) {
      const j = (r + 1) >> 2;
      x0 = (x0 + ks[j % 3]) >>> 0;
      x1 = (x1 + ks[(j + 1) % 3] + j) >>> 0;
    }
  }
  out[0] = x0;
  out[1] = x1;
}

/** u32 -> float in (0, 1): odd multiples of 2^-24, exact in both f32 and f64, never 0 or 1. */
export function toUnit(bits: number): number {
  return (bits >>> 9) * 1.1920928955078125e-7 + 5.9604644775390625e-8;
}
