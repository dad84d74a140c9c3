import { describe, expect, it } from 'vitest';
import { threefry2x32, toUnit } from '../src/rng/threefry';

// Known-answer vectors from Random123's kat_vectors (threefry2x32, 20 rounds).
const KAT: Array<[number[], number[], number[]]> = [
  [[0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6b200159, 0x99ba4efe]],
  [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
  [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], [0xc4923a9c, 0x483df7a0]],
];

describe('threefry2x32 (TypeScript)', () => {
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
