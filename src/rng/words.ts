// Shared by the generators' TS twins: one word buffer and the unit floats of words.

/** One buffer for the two words of the last draw: the hot loops allocate nothing. */
export const words = new Uint32Array(2);
export const U_SCALE = 1.1920928955078125e-7; // toUnit, inlined: (bits >>> 9) * 2^-23 + 2^-24
export const U_OFFSET = 5.9604644775390625e-8;
export const unitOf = (bits: number): number => (bits >>> 9) * U_SCALE + U_OFFSET;
