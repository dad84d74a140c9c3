// How (sample index, slot) maps onto Threefry's two counter words; the key is (seed, call).
// ctr = (index mod 2^32, floor(index / 2^32) * 1024 + slot). A slot is one pair of random words
// belonging to the sample; 1024 slots per sample, indices below 2^54 (beyond Number's 2^53).

export const SLOTS_PER_SAMPLE = 1024;
/** Slot holding the radius uniform in every ball sampler. */
export const RADIUS_SLOT = 1023;

export function splitIndex(index: number): [lo: number, hi: number] {
  const lo = index % 4294967296;
  return [lo >>> 0, (index - lo) / 4294967296];
}

export const counterHi = (hi: number, slot: number): number => (hi * SLOTS_PER_SAMPLE + slot) >>> 0;
