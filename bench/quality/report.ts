// Summary rows and the markdown table of a quality report.
import type { QualityCase, QualityReport, QualityRun, QualitySummaryRow } from './schema';

export const median = (v: number[]): number | null => {
  if (!v.length) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One row per (case, method, budget) over the seeds. */
export function summarize(cases: QualityCase[], runs: QualityRun[]): QualitySummaryRow[] {
  const byCase = new Map(cases.map((c) => [c.id, c]));
  const groups = new Map<string, QualityRun[]>();
  for (const r of runs) {
    const k = `${r.caseId}\u0000${r.method}\u0000${r.budget}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const rows: QualitySummaryRow[] = [];
  for (const g of groups.values()) {
    const c = byCase.get(g[0].caseId)!;
    const ok = g.filter((r) => r.success);
    rows.push({
      caseId: c.id,
      function: c.function,
      variant: c.variant,
      d: c.d,
      method: g[0].method,
      budget: g[0].budget,
      runs: g.length,
      successes: ok.length,
      successRate: ok.length / g.length,
      medianEvalsToSuccess: median(ok.map((r) => r.evalsToSuccess ?? r.nfev)),
      medianGap: median(g.filter((r) => r.gap !== null).map((r) => Math.max(0, r.gap!))),
      medianMs: median(g.map((r) => r.ms)) ?? 0,
    });
  }
  return rows;
}

const sci = (v: number | null): string => {
  if (v === null) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-2 && a < 1e4) return Number(v.toPrecision(3)).toString();
  return v.toExponential(1).replace('e+', 'e');
};

const pow2 = (n: number): string => {
  const l = Math.log2(n);
  return Number.isInteger(l) ? `2^${l}` : String(n);
};

/** The markdown: settings, a legend, the per-case table and a per-method overview. */
export function markdown(rep: QualityReport): string {
  const methods = [...rep.settings.methods, ...(rep.peers.scipy.ran ? rep.peers.scipy.methods : [])];
  const out: string[] = [];
  const m = rep.machine;
  out.push(`# brox quality bench — ${rep.date} (${rep.tag})`);
  out.push('');
  out.push(
    `Machine: ${m.cpu}, ${m.platform}, Node ${m.node}; backend ${m.backend}${m.adapter ? ` (${m.adapter})` : ''}, ${m.threads} CPU thread(s). ` +
      `${rep.settings.seeds} seeds per cell; random starts uniform in the bounds (the function's usual domain); ` +
      `success: ${rep.settings.successRule}; each run stops at that target or at its budget.`,
  );
  out.push('');
  if (rep.peers.scipy.ran) {
    out.push(`Peers: scipy ${rep.peers.scipy.version} (${rep.peers.scipy.methods.join(', ')}) on the same starts, bounds, budgets (maxfun) and variants; default settings otherwise (they may stop before the budget).`);
  } else {
    out.push(`Peers: scipy dual_annealing / differential_evolution were **not run**: ${rep.peers.scipy.why ?? 'not requested'}.`);
  }
  out.push('');
  out.push('Cell: successes/runs · median evaluations to success · median final gap f − f* (over all runs). "sr" = seeded shifted-rotated variant (a different rotation and shift per seed).');
  out.push('');
  const head = ['function', 'variant', 'd', 'budget', ...methods];
  out.push(`| ${head.join(' | ')} |`);
  out.push(`|${head.map((_, i) => (i < 4 ? '---' : ':---:')).join('|')}|`);
  const cell = new Map(rep.summary.map((s) => [`${s.caseId}\u0000${s.method}\u0000${s.budget}`, s]));
  for (const c of rep.cases) {
    for (const b of rep.settings.budgets) {
      const cells = methods.map((me) => {
        const s = cell.get(`${c.id}\u0000${me}\u0000${b}`);
        if (!s) return 'not run';
        return `${s.successes}/${s.runs} · ${sci(s.medianEvalsToSuccess)} · ${sci(s.medianGap)}`;
      });
      out.push(`| ${c.function} | ${c.variant} | ${c.d} | ${pow2(b)} | ${cells.join(' | ')} |`);
    }
  }
  out.push('');
  // overview: success rate per method and budget over every case
  out.push('Overall success rate per method and budget (all cases above), and median wall time per run:');
  out.push('');
  out.push(`| method | ${rep.settings.budgets.map((b) => `${pow2(b)} solved`).join(' | ')} | median ms/run |`);
  out.push(`|---|${rep.settings.budgets.map(() => ':---:').join('|')}|:---:|`);
  for (const me of methods) {
    const rows = rep.summary.filter((s) => s.method === me);
    if (!rows.length) continue;
    const per = rep.settings.budgets.map((b) => {
      const r = rows.filter((s) => s.budget === b);
      const n = r.reduce((a, s) => a + s.runs, 0);
      const k = r.reduce((a, s) => a + s.successes, 0);
      return n ? `${k}/${n} (${Math.round((100 * k) / n)} %)` : '–';
    });
    const ms = median(rep.runs.filter((r) => r.method === me).map((r) => r.ms));
    out.push(`| ${me} | ${per.join(' | ')} | ${sci(ms)} |`);
  }
  const errs = rep.runs.filter((r) => r.error);
  if (errs.length) {
    out.push('');
    out.push(`**${errs.length} run(s) threw** (counted as failures); first: ${errs[0].method} on ${errs[0].objective} d=${rep.cases.find((c) => c.id === errs[0].caseId)?.d}: ${errs[0].error!.split('\n')[0]}`);
  }
  if (rep.skipped.length) {
    out.push('');
    out.push(`Not run: ${rep.skipped.map((s) => `${s.function}/${s.variant} d=${s.d} (${s.why})`).join('; ')}.`);
  }
  out.push('');
  return out.join('\n');
}
