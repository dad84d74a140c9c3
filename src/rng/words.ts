// Shared by the generators' TS twins: the counter of (index, slot) and the unit floats of words.
import { SLOTS_PER_SAMPLE } from './counter.js';

/** One buffer for the two words of the last draw: the hot loops allocate nothing. */
export const words = new Uint32Array(2);
export const U_SCALE = 1.1920928955078125e-7; // toUnit, inlined: (bits >>> 9) * 2^-23 + 2^-24
export const U_OFFSET = 5.9604644775390625e-8;
export const unitOf = (bits: number): number => (bits >>> 9) * U_SCALE + U_OFFSET;

/** Counter word 1 of (index, slot): floor(index / 2^32) * 1024 + slot, as src/rng/counter.ts. */
export const counterOf = (index: number, slot: number): [lo: number, c1: number] => {
  const lo = index % 4294967296;
  return [lo, (((index - lo) / 4294967296) * SLOTS_PER_SAMPLE + slot) >>> 0];
};
