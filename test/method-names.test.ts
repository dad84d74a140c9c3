import { describe, expect, it } from 'vitest';
import type { MethodName } from '../src/methods/minimize-types';
import { methodNames } from '../src/methods/registry';

// `method` is typed as the union MethodName (src/methods/minimize-types.ts), written out by hand
// beside the registry. A Record over the union must name every member (tsc), and its keys must be
// the registry's names (here): a method added to or removed from the registry fails this test
// until the union follows.
const union: Record<MethodName, true> = { bpm: true, 'cma-es': true, cem: true, annealed: true, random: true, portfolio: true };

describe('MethodName', () => {
  it('is exactly the registry of minimize() methods', () => {
    expect(Object.keys(union).sort()).toEqual(methodNames().sort());
  });
});
