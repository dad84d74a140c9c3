import { DEFAULT_MAX_EVALS } from '../methods/minimize.js';
import { methods, methodNames } from '../methods/registry.js';
import type { Bounds } from '../samplers/types.js';

/**
 * `brox run --help` defaults, read from the methods' own defaults() (never written out by hand, so
 * they cannot go stale when a method's defaults change).
 */
const unitBox = (d: number): Bounds => ({ lo: new Float64Array(d).fill(0), hi: new Float64Array(d).fill(1) });
const defaultsOf = (name: string, d: number): Record<string, unknown> => methods[name].defaults(d, unitBox(d)) as Record<string, unknown>;
const bpm = (key: string): unknown => (methods.bpm ? defaultsOf('bpm', 2)[key] : undefined);
const fmt = (v: unknown): string => (typeof v === 'number' ? String(+v.toPrecision(6)) : String(v));
const pow2 = (n: number): string => (Number.isInteger(Math.log2(n)) ? `2^${Math.log2(n)}` : String(n));

/** What --samples sets per method, at d = 2 / 10 / 100 when it depends on d. */
export function samplesHelp(): string {
  const parts: string[] = [];
  for (const name of methodNames()) {
    // the portfolio's --samples is its CMA-ES's first population
    const at = [2, 10, 100].map((d) => defaultsOf(name, d)).map((p) => (p.cma && typeof p.cma === 'object' ? (p.cma as Record<string, unknown>) : p));
    const key = 'samples' in at[0] ? 'samples' : 'popsize' in at[0] ? 'popsize' : null;
    if (!key) continue;
    const vals = at.map((p) => Number(p[key]));
    const text = vals.every((v) => v === vals[0]) ? pow2(vals[0]) : `${vals.map(pow2).join('/')} at d = 2/10/100`;
    parts.push(`${name} ${key === 'popsize' ? 'popsize ' : ''}${text}`);
  }
  return `samples per step (default: ${parts.join('; ')})`;
}

export const runHelp = {
  maxEvals: `evaluation budget (default ${pow2(DEFAULT_MAX_EVALS)})`,
  samples: samplesHelp(),
  radius: (() => {
    const r = bpm('radius');
    return `BPM: initial radius t0 (default ${typeof r === 'number' ? fmt(r) : '?'} x the mean box width; 1 without bounds)`;
  })(),
  schedule: `BPM radius schedule: adaptive, geometric or constant (default ${fmt(bpm('schedule'))}; adaptive: x${fmt(bpm('shrinkBy'))} after a failed step, x${fmt(bpm('growBy'))} after a success)`,
  radiusDecay: `BPM: geometric schedule t_k = t0 g^k (default g = ${fmt(bpm('decay'))} with --schedule geometric)`,
  radiusMin: `BPM: radius floor, where the sweep restarts (default ${fmt(bpm('minRatio'))} x t0)`,
  rounds: `BPM: refinement rounds per oracle call (default ${fmt(bpm('rounds'))})`,
  shrink: `BPM: radius factor per refinement round (default ${fmt(bpm('shrink'))})`,
  ball: `BPM: ball of the steps: l2, linf, l1, coord (random coordinate subspaces) or mixed (l2 and coordinate balls alternating; default ${fmt(bpm('ball'))})`,
};
