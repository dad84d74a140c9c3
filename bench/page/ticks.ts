// Tick positions and labels of the page's log axes (pure: tested in Node, test/page-ticks.test.ts).

/**
 * Ticks of a log axis at every decade in view (every second or third when there are many), so a
 * curve reaching 1e-3 has "1e-3" beside it; uPlot's own log ticks skip decades on a short axis.
 */
export function decadeSplits(min: number, max: number, most = 7): number[] {
  if (!(min > 0 && max > 0)) return [];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const step = Math.max(1, Math.ceil((hi - lo + 1) / most));
  const out: number[] = [];
  for (let e = hi; e >= lo; e -= step) out.unshift(10 ** e);
  return out;
}
/** 1e-3, 0.01, 0.1, 1, 10, 100, 1e3: a decade's label. */
export const decadeLabel = (v: number): string => {
  const e = Math.round(Math.log10(v));
  return e >= -2 && e <= 2 ? String(+(10 ** e).toPrecision(1)) : `1e${e}`;
};

/** Ticks of a linear axis on [lo, hi] at 1, 2 or 5 x 10^k steps, about `n` of them (the landscape's axes). */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const raw = (hi - lo) / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw * 0.999)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12) + 0);
  return out;
}

/** A value for a colour-bar or tick label: short, exponent form far from 1. */
export const shortNum = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? v.toExponential(1) : String(+v.toPrecision(3)));
