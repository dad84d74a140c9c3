// ECDF summary and markdown table of a bench:bbob report.
import { BBOB_FUNCTIONS } from '../../src/internal';
import { type BbobReport, type BbobRun, type EcdfPoint, TARGETS } from './schema';

/** The evals/d grid of the ECDF: 10^(k/4), k = 0.., up to the budget (and the budget itself). */
export function ecdfGrid(budgetPerDim: number): number[] {
  const g: number[] = [];
  for (let k = 0; 10 ** (k / 4) < budgetPerDim * (1 - 1e-9); k++) g.push(Number((10 ** (k / 4)).toPrecision(6)));
  g.push(budgetPerDim);
  return g;
}

/** Fraction of (run, target) pairs of `runs` hit within each grid budget (evals/d * d). */
export function ecdf(runs: BbobRun[], grid: number[]): EcdfPoint[] {
  const total = runs.length * TARGETS.length;
  return grid.map((g) => {
    let n = 0;
    for (const r of runs) for (const h of r.hits) if (h !== null && h <= g * r.d) n++;
    return { evalsPerDim: g, fraction: total ? n / total : 0 };
  });
}

export function summarize(runs: BbobRun[], dims: number[], methods: string[], budgetPerDim: number): BbobReport['summary'] {
  const grid = ecdfGrid(budgetPerDim);
  const byDim: BbobReport['summary']['byDim'] = {};
  for (const d of dims) {
    byDim[d] = {};
    for (const m of methods) {
      const mine = runs.filter((r) => r.d === d && r.method === m);
      if (!mine.length) continue;
      byDim[d][m] = {
        ecdf: ecdf(mine, grid),
        solved1e8: mine.filter((r) => r.hits[TARGETS.length - 1] !== null).length,
        pairs: mine.length,
        errors: mine.filter((r) => r.error).length,
      };
    }
  }
  return { byDim };
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const gapStr = (v: number | null) => (v === null ? 'err' : v <= 1e-8 ? '✓' : v.toExponential(1));

export function markdown(rep: BbobReport): string {
  const s = rep.settings;
  const out: string[] = [];
  out.push(`## bench:bbob — ${rep.date} (${rep.tag})`, '');
  const m = rep.machine as { cpu?: string; node?: string; backend?: string; adapter?: string | null; threads?: number };
  out.push(
    `Machine: ${m.cpu ?? '?'}, Node ${m.node ?? '?'}, backend ${m.backend ?? '?'}${m.adapter ? ` (${m.adapter})` : ''}, ${m.threads ?? 1} thread(s).`,
    `BBOB f${s.functions.join(',f')} (src/objectives/bbob/, our instances ${s.instances.join(', ')}, f_opt = 0), d = ${s.dims.join(', ')}; budget ${s.budgetPerDim}·d evaluations per run; bounds [-5, 5]^d; start ${s.start}; ` +
      `${TARGETS.length} targets 10^1 … 10^-8 (steps of 10^0.2); a target counts only when brox's float64 twin at the returned point reaches it.`,
    `Peers: ${rep.peers.scipy.ran ? `scipy ${rep.peers.scipy.version} (${rep.peers.scipy.methods.join(', ')}), same instances, starts and budgets` : `not run (${rep.peers.scipy.why})`}.`,
    '',
  );
  for (const d of s.dims) {
    const per = rep.summary.byDim[d] ?? {};
    const methods = Object.keys(per);
    if (!methods.length) continue;
    const grid = per[methods[0]].ecdf.map((p) => p.evalsPerDim);
    const cols = grid.filter((g) => Number.isInteger(Math.log10(g)) && g >= 10).concat(grid[grid.length - 1]).filter((g, i, a) => a.indexOf(g) === i);
    out.push(`### d = ${d}: fraction of (function, instance, target) triples solved (ECDF)`, '');
    out.push(`| method | ${cols.map((g) => `${g.toExponential(0).replace('e+', 'e')}·d`).join(' | ')} | (f, i) at 1e-8 | runs that threw |`);
    out.push(`|---|${cols.map(() => '---:').join('|')}|---:|---:|`);
    for (const meth of methods) {
      const e = per[meth];
      out.push(`| ${meth} | ${cols.map((g) => pct(e.ecdf.find((p) => p.evalsPerDim === g)!.fraction)).join(' | ')} | ${e.solved1e8} / ${e.pairs} | ${e.errors} |`);
    }
    out.push('', `### d = ${d}: f − f_opt at the returned point, per function (✓ = 1e-8 reached; one entry per instance)`, '');
    out.push(`| f | ${methods.join(' | ')} |`, `|---|${methods.map(() => '---').join('|')}|`);
    for (const fid of s.functions) {
      const cells = methods.map((meth) =>
        rep.runs
          .filter((r) => r.d === d && r.method === meth && r.fid === fid)
          .sort((a, b) => a.instance - b.instance)
          .map((r) => gapStr(r.error ? null : r.fun))
          .join(' '),
      );
      out.push(`| f${fid} ${BBOB_FUNCTIONS[fid - 1].name} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  const errs = rep.runs.filter((r) => r.error);
  if (errs.length) {
    out.push('### Runs that threw (counted as failures)', '');
    for (const r of errs) out.push(`- ${r.method} f${r.fid} i${r.instance} d=${r.d}: ${(r.error ?? '').split('\n')[0]}`);
    out.push('');
  }
  return out.join('\n');
}
