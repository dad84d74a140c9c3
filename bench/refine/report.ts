// Summary rows and the markdown tables of the refinement bench.
import type { RefineReport, RefineRun, RefineSummaryRow } from './schema';

export const median = (v: number[]): number => {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

const key = (r: { fn: string; d: number; setting: string; rounds: number; shrink: number | null; totalSamples: number }) => `${r.fn}|${r.d}|${r.setting}|${r.rounds}|${r.shrink}|${r.totalSamples}`;

/** One row per (function, d, setting), over the seeds, in the order of the runs. */
export function summarize(runs: RefineRun[]): RefineSummaryRow[] {
  const groups = new Map<string, RefineRun[]>();
  for (const r of runs) {
    const k = key(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return [...groups.values()].map((g) => ({
    fn: g[0].fn,
    d: g[0].d,
    setting: g[0].setting,
    rounds: g[0].rounds,
    shrink: g[0].shrink,
    totalSamples: g[0].totalSamples,
    n: g.length,
    medianDist: median(g.map((r) => r.dist)),
    medianGap: median(g.map((r) => r.gap)),
    medianGapRel: median(g.map((r) => r.gapRel)),
    maxRadius: Math.max(...g.map((r) => r.radius)),
    minGap: Math.min(...g.map((r) => r.gap)),
  }));
}

/** 3 significant digits, exponent form below 1e-3. */
export const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : v.toPrecision(3);
};
const pow2 = (n: number): string => (Number.isInteger(Math.log2(n)) ? `2^${Math.log2(n)}` : String(n));

/** For each (function, d): one round at the largest total vs the refinement setting with the smallest median distance. */
export function bestRows(rep: RefineReport) {
  const out: { fn: string; d: number; one: RefineSummaryRow; best: RefineSummaryRow }[] = [];
  const maxTotal = Math.max(...rep.settings.rounds) * rep.settings.samples;
  for (const fn of rep.settings.functions)
    for (const d of rep.settings.dims) {
      const rows = rep.summary.filter((r) => r.fn === fn && r.d === d);
      const one = rows.find((r) => r.setting === 'one-round' && r.totalSamples === maxTotal);
      const refs = rows.filter((r) => r.setting === 'refine');
      if (!one || !refs.length) continue;
      const best = refs.reduce((b, r) => (r.medianDist < b.medianDist || (r.medianDist === b.medianDist && r.totalSamples < b.totalSamples) ? r : b));
      out.push({ fn, d, one, best });
    }
  return out;
}

export function markdown(rep: RefineReport): string {
  const s = rep.settings;
  const N = s.samples;
  const Rmax = Math.max(...s.rounds);
  const L: string[] = [];
  L.push('# brox refinement bench');
  L.push('');
  L.push(`${rep.date}, ${rep.machine.cpu}, ${rep.machine.backend} backend${rep.machine.adapter ? ` (${rep.machine.adapter})` : ''}, ${rep.machine.threads} thread(s), node ${rep.machine.node}.`);
  L.push(`l2 ball of radius t = ${s.t}; N = ${pow2(N)} samples per round; ${s.seeds} instances (centre, g or c, oracle seed) per function and d; medians over them.`);
  L.push(`dist = ||y - y*|| (y returned, y* the true ball minimiser); gap = f(y) - f(y*). linear: f = g.y, ||g|| = 1; quadratic: ||y - c||^2;`);
  L.push(`diagquad: sum a_i (y_i - c_i)^2, a_i in [1, ${s.diagCondition}]; ||c - x|| = ${s.centreDistance} t.`);
  L.push('');
  L.push(`## One round of ${Rmax}N samples vs the best refinement setting (R rounds of N, R <= ${Rmax}, so never more samples)`);
  L.push('');
  L.push('| function | d | one round: dist | one round: gap | best refinement (R, shrink) | refined: dist | refined: gap | dist ratio |');
  L.push('|---|---:|---:|---:|---|---:|---:|---:|');
  for (const { fn, d, one, best } of bestRows(rep)) {
    L.push(`| ${fn} | ${d} | ${fmt(one.medianDist)} | ${fmt(one.medianGap)} | R=${best.rounds}, ${best.shrink} | ${fmt(best.medianDist)} | ${fmt(best.medianGap)} | ${fmt(best.medianDist / one.medianDist)} |`);
  }
  L.push('');
  L.push('## Every setting at equal total samples (median dist / median gap)');
  L.push('');
  L.push(`| function | d | total | one round | ${s.shrinks.map((sh) => `R rounds, shrink ${sh}`).join(' | ')} |`);
  L.push(`|---|---:|---:|---:|${s.shrinks.map(() => '---:').join('|')}|`);
  for (const fn of s.functions)
    for (const d of s.dims)
      for (const R of s.rounds) {
        const rows = rep.summary.filter((r) => r.fn === fn && r.d === d && r.totalSamples === R * N);
        const one = rows.find((r) => r.setting === 'one-round');
        const cells = s.shrinks.map((sh) => rows.find((r) => r.setting === 'refine' && r.rounds === R && r.shrink === sh));
        const c = (r: RefineSummaryRow | undefined) => (r ? `${fmt(r.medianDist)} / ${fmt(r.medianGap)}` : '-');
        L.push(`| ${fn} | ${d} | ${R}N | ${c(one)} | ${cells.map(c).join(' | ')} |`);
      }
  L.push('');
  const maxRadius = Math.max(...rep.summary.map((r) => r.maxRadius));
  const minGap = Math.min(...rep.summary.map((r) => r.minGap));
  L.push(`Every returned point: ||y - x|| / t <= ${maxRadius.toPrecision(17)}; smallest gap ${minGap.toExponential(2)}. ${rep.runs.length} runs in ${(rep.elapsedMs / 1e3).toFixed(0)} s.`);
  L.push('');
  return L.join('\n');
}
