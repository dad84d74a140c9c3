import { describe, expect, it } from 'vitest';
import { threefry2x32, threefry2x32r13, toUnit } from '../src/rng/threefry';

// Known-answer vectors from Random123's kat_vectors (threefry2x32, 20 rounds).
const KAT: Array<[number[], number[], number[]]> = [
  [[0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6b200159, 0x99ba4efe]],
  [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
  [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], [0xc4923a9c, 0x483df7a0]],
];

// The same file's vectors for 13 rounds (the lean generator's Threefry).
const KAT13: Array<[number[], number[], number[]]> = [
  [[0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x9d1c5ec6, 0x8bd50731]],
  [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0xfd36d048, 0x2d17272c]],
  [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], [0xba3e4725, 0xf27d669e]],
];

describe('threefry2x32 (TypeScript)', () => {
  it('13 rounds match the Random123 known-answer vectors', () => {
    const out = new Uint32Array(2);
    for (const [ctr, key, expected] of KAT13) {
      threefry2x32r13(key[0], key[1], ctr[0], ctr[1], out);
      expect([...out]).toEqual(expected);
    }
  });

  it('matches the Random123 known-answer vectors', () => {
    const out = new Uint32Array(2);
    for (const [ctr, key, expected] of KAT) {
      threefry2x32(key[0], key[1], ctr[0], ctr[1], out);
      expect([...out]).toEqual(expected);
    }
  });

  it('maps words into the open unit interval', () => {
    expect(toUnit(0)).toBeGreaterThan(0);
    expect(toUnit(0xffffffff)).toBeLessThan(1);
    expect(Math.fround(toUnit(0xffffffff))).toBe(toUnit(0xffffffff));
  });
});
