import { describe, expect, it } from 'vitest';
import { decadeLabel, decadeSplits, niceTicks, shortNum } from '../bench/page/ticks';

// The page's log axes label decades: a curve from 10 down to 1e-3 shows every decade it crosses
// (uPlot's own ticks showed only 10 and 0.1 on the 166-px distance chart).
describe('log axis ticks', () => {
  it('every decade in view, thinned only when there are many', () => {
    expect(decadeSplits(1e-3, 10)).toEqual([1e-3, 1e-2, 1e-1, 1, 10]);
    expect(decadeSplits(2e-4, 30).map(decadeLabel)).toEqual(['1e-3', '0.01', '0.1', '1', '10']);
    const many = decadeSplits(1e-12, 1e3);
    expect(many.length).toBeLessThanOrEqual(7);
    expect(many[many.length - 1]).toBe(1e3); // the top decade always labelled
    expect(decadeSplits(0, 1)).toEqual([]);
    expect(decadeSplits(3, 7)).toEqual([]); // no decade inside: uPlot's range then shows none
  });

  it('labels', () => {
    expect([1e-5, 1e-2, 0.1, 1, 10, 100, 1e3, 1e12].map(decadeLabel)).toEqual(['1e-5', '0.01', '0.1', '1', '10', '100', '1e3', '1e12']);
  });
});

describe('landscape axis ticks', () => {
  it('1-2-5 steps over the domain', () => {
    expect(niceTicks(-5.12, 5.12, 6)).toEqual([-4, -2, 0, 2, 4]);
    expect(niceTicks(-500, 500, 6)).toEqual([-400, -200, 0, 200, 400]);
    expect(niceTicks(0, Math.PI, 6)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, Math.PI, 8)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(niceTicks(-32.768, 32.768, 6)).toEqual([-20, 0, 20]); // raw step 10.9: the next 1-2-5 step is 20
    expect(niceTicks(-32.768, 32.768, 7)).toEqual([-30, -20, -10, 0, 10, 20, 30]);
    expect(niceTicks(1, 1)).toEqual([]);
    expect([0, 1.5, 12345, 0.001, -2].map(shortNum)).toEqual(['0', '1.5', '1.2e+4', '1.0e-3', '-2']);
  });
});
