// BBOB on the page, in COCO's spirit (issue 17): for each method, the fraction of (function,
// instance, target) triples solved against log10(evaluations / d), targets 1e1 … 1e-8, from reports
// of `npm run bench:bbob` (schema bench/bbob/schema.ts). Every bench/results/bbob-*.json is built
// into the page (fetched only when shown); "every report" overlays the methods of all of them at
// one d (one process per method is how the README's tables were run), or the user picks a file.
import uPlot from 'uplot';
import { BBOB_SCHEMA, checkBbobReport, TARGETS, type BbobReport, type BbobRun } from '../bbob/schema';

// Resolved at build time: the committed reports (their URLs; each is fetched when first shown).
const builtIn = import.meta.glob('../results/bbob-*.json', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

const COLORS = ['#ffb84d', '#4fb3ff', '#5ec962', '#ff7ad9', '#c9a0ff', '#ff6b6b', '#9be7e0', '#e6e9ee', '#d4b35e', '#6f8cff'];
const axis = { stroke: '#8d99a8', grid: { stroke: '#243040', width: 1 }, ticks: { stroke: '#243040' } };
const EVERY = '* every report';
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

export interface EcdfCurve {
  /** Method, with the report's tag when several reports are overlaid. */
  label: string;
  /** Fraction of (function, instance, target) triples solved within 10^x[i] · d evaluations. */
  fraction: number[];
  solved1e8: number;
  pairs: number;
  errors: number;
  budgetPerDim: number;
}

/**
 * The runtime ECDF of `runs` (one method, one d) on the grid of log10(evals / d): every hit is an
 * exact evaluation count, so the curve is exact at each grid point (not the summary's 10^(k/4) grid).
 */
export function ecdfCurve(runs: BbobRun[], logGrid: number[]): number[] {
  const total = runs.length * TARGETS.length;
  const hits = runs.flatMap((r) => r.hits.filter((h): h is number => h !== null).map((h) => Math.log10(h / r.d))).sort((a, b) => a - b);
  let j = 0;
  return logGrid.map((x) => {
    while (j < hits.length && hits[j] <= x + 1e-12) j++;
    return total ? j / total : 0;
  });
}

/** The (function, instance) pairs that every report with runs at d ran (what overlaid curves can share). */
export function commonPairs(reports: { rep: BbobReport }[], d: number): Set<string> {
  let common: string[] | null = null;
  for (const { rep } of reports) {
    const mine = new Set(rep.runs.filter((r) => r.d === d).map((r) => `${r.fid}/${r.instance}`));
    if (!mine.size) continue;
    common = common ? common.filter((k) => mine.has(k)) : [...mine];
  }
  return new Set(common ?? []);
}

/**
 * One curve per (report, method) at d; labels carry the report's file name when `tagged`. With
 * `only`, every curve counts those (function, instance) pairs alone: reports that ran different
 * subsets (d = 40: f1–f24 for one method, f1–f18 for another) are then compared on the same triples.
 */
export function curvesAt(reports: { name: string; rep: BbobReport }[], d: number, logGrid: number[], tagged: boolean, only?: Set<string>): EcdfCurve[] {
  const out: EcdfCurve[] = [];
  for (const { name, rep } of reports) {
    if (!rep.settings.dims.includes(d)) continue;
    for (const m of new Set(rep.runs.map((r) => r.method))) {
      const runs = rep.runs.filter((r) => r.d === d && r.method === m && (!only || only.has(`${r.fid}/${r.instance}`)));
      if (!runs.length) continue;
      out.push({
        label: tagged ? `${m} [${name.replace(/^bbob-|\.json$/g, '')}]` : m,
        fraction: ecdfCurve(runs, logGrid),
        solved1e8: runs.filter((r) => r.hits[TARGETS.length - 1] !== null).length,
        pairs: runs.length,
        errors: runs.filter((r) => r.error !== undefined).length,
        budgetPerDim: rep.settings.budgetPerDim,
      });
    }
  }
  return out;
}

export interface BbobView {
  /** Shows a parsed report (throws with the schema problems when it does not conform). */
  show(rep: unknown, name?: string): void;
}

export function initBbob(root: HTMLElement): BbobView {
  root.innerHTML = `
    <div class="qhead">
      <strong>BBOB runtime ECDF</strong>
      <label>report <select name="breport"></select></label>
      <label>d <select name="bdim"></select></label>
      <label class="file">file <input name="bfile" type="file" accept=".json,application/json" /></label>
      <span class="qinfo"></span>
    </div>
    <div class="qplot bplot"></div>
    <div class="qtable"></div>`;
  const repSel = root.querySelector('select[name=breport]') as HTMLSelectElement;
  const dimSel = root.querySelector('select[name=bdim]') as HTMLSelectElement;
  const info = root.querySelector('.qinfo') as HTMLElement;
  const plotBox = root.querySelector('.bplot') as HTMLElement;
  const table = root.querySelector('.qtable') as HTMLElement;
  const loaded = new Map<string, BbobReport>();
  let plot: uPlot | null = null;

  const names = Object.keys(builtIn)
    .map((p) => p.replace(/^.*\//, ''))
    .sort()
    .reverse(); // newest date first
  const pathOf = new Map(Object.keys(builtIn).map((p) => [p.replace(/^.*\//, ''), p]));

  async function get(name: string): Promise<BbobReport> {
    const have = loaded.get(name);
    if (have) return have;
    const url = await builtIn[pathOf.get(name)!]();
    const rep = (await (await fetch(url)).json()) as BbobReport;
    const errs = rep.schema === BBOB_SCHEMA ? checkBbobReport(rep) : [`schema ${String(rep.schema)}`];
    if (errs.length) throw new Error(`${name}: not a brox bbob report: ${errs.slice(0, 3).join('; ')}`);
    loaded.set(name, rep);
    return rep;
  }

  async function chosen(): Promise<{ name: string; rep: BbobReport }[]> {
    if (repSel.value !== EVERY) return [{ name: repSel.value, rep: loaded.get(repSel.value) ?? (await get(repSel.value)) }];
    return Promise.all(names.map(async (name) => ({ name, rep: await get(name) })));
  }

  function fillDims(reports: { rep: BbobReport }[]): void {
    const dims = [...new Set(reports.flatMap((r) => r.rep.settings.dims))].sort((a, b) => a - b);
    const keep = Number(dimSel.value);
    dimSel.textContent = '';
    for (const d of dims) dimSel.add(new Option(String(d), String(d)));
    // d = 10 first (the README's main table), else the kept or the largest one
    dimSel.value = String(dims.includes(keep) ? keep : dims.includes(10) ? 10 : dims[dims.length - 1]);
  }

  function draw(reports: { name: string; rep: BbobReport }[]): void {
    const d = Number(dimSel.value);
    const maxBudget = Math.max(...reports.filter((r) => r.rep.settings.dims.includes(d)).map((r) => r.rep.settings.budgetPerDim));
    const top = Math.log10(maxBudget);
    const logGrid = Array.from({ length: Math.round(top * 20) + 1 }, (_, k) => k / 20); // 20 points a decade
    const atD = reports.filter((r) => r.rep.runs.some((x) => x.d === d));
    // overlaid reports that ran different (function, instance) sets: compare on the shared ones
    const common = commonPairs(atD, d);
    const sizes = atD.map((r) => new Set(r.rep.runs.filter((x) => x.d === d).map((x) => `${x.fid}/${x.instance}`)).size);
    const restrict = atD.length > 1 && sizes.some((n) => n !== common.size);
    const curves = curvesAt(reports, d, logGrid, reports.length > 1, restrict ? common : undefined);
    plot?.destroy();
    plotBox.textContent = '';
    const width = Math.max(320, plotBox.clientWidth - 8);
    plot = new uPlot(
      {
        title: `fraction of (function, instance, target) triples solved vs evaluations, d = ${d}, targets 1e1 … 1e-8 (${TARGETS.length})`,
        width,
        height: 300,
        scales: { x: { time: false, range: [0, Math.ceil(top)] }, y: { range: [0, 1] } },
        series: [
          { label: 'log10(evals / d)', value: (_u: uPlot, v: number) => (v == null ? '–' : v.toFixed(2)) },
          ...curves.map((c, i) => ({ label: c.label, stroke: COLORS[i % COLORS.length], width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } })),
        ],
        axes: [
          { ...axis, label: 'log10(evaluations / d)', labelSize: 16, incrs: [1] },
          { ...axis, size: 54, values: (_u: uPlot, splits: number[]) => splits.map((v) => `${Math.round(v * 100)}%`) },
        ],
        legend: { show: true, live: false },
      },
      [logGrid, ...curves.map((c) => c.fraction)] as uPlot.AlignedData,
      plotBox,
    );
    plotBox.dataset.d = String(d);
    plotBox.dataset.curves = String(curves.length);
    plotBox.dataset.labels = curves.map((c) => c.label).join('|');
    // the numbers behind the plot: the README's columns
    const at = (c: EcdfCurve, e: number) => (e <= top + 1e-9 ? pct(c.fraction[Math.round(e * 20)]) : '–');
    const decades = [2, 3, 4, 5].filter((e) => e <= top + 1e-9);
    const head = `<tr><th>method</th>${decades.map((e) => `<th>10^${e}·d</th>`).join('')}<th>(f, i) at 1e-8</th><th>threw</th></tr>`;
    const body = curves.map((c) => `<tr><td>${esc(c.label)}</td>${decades.map((e) => `<td>${at(c, e)}</td>`).join('')}<td>${c.solved1e8} / ${c.pairs}</td><td>${c.errors}</td></tr>`).join('');
    table.innerHTML = `<table>${head}${body}</table>`;
    const one = reports.length === 1 ? reports[0].rep : null;
    const m = one?.machine as { cpu?: string; backend?: string } | undefined;
    info.textContent = one
      ? `${one.date} · ${one.tag} · ${m?.backend ?? '?'} · ${m?.cpu ?? '?'} · f${one.settings.functions[0]}–f${one.settings.functions.at(-1)} × instances ${one.settings.instances.join(',')} · budget ${one.settings.budgetPerDim}·d`
      : `${atD.length} reports at d = ${d} (each curve names its report, bench/results/bbob-<name>.json)` +
        (restrict ? `; they ran different (function, instance) sets: every curve counts the ${common.size} pairs all of them ran (pick one report for all of its runs)` : '');
    plotBox.dataset.pairs = String(restrict ? common.size : Math.max(0, ...sizes));
  }

  async function refresh(refill: boolean): Promise<void> {
    try {
      const reports = await chosen();
      if (refill) fillDims(reports);
      draw(reports);
    } catch (err) {
      info.textContent = (err as Error).message;
    }
  }

  function show(doc: unknown, name = 'picked file'): void {
    const rep = doc as BbobReport;
    const errs = rep && rep.schema === BBOB_SCHEMA ? checkBbobReport(rep) : ['not a brox-bbob/1 report'];
    if (errs.length) throw new Error(`not a brox bbob report: ${errs.slice(0, 3).join('; ')}`);
    loaded.set(name, rep);
    if (!Array.from(repSel.options).some((o) => o.value === name)) repSel.add(new Option(name, name));
    repSel.value = name;
    fillDims([{ rep }]);
    draw([{ name, rep }]);
  }

  repSel.addEventListener('change', () => void refresh(true));
  dimSel.addEventListener('change', () => void refresh(false));
  (root.querySelector('input[name=bfile]') as HTMLInputElement).addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      show(JSON.parse(await f.text()), f.name);
    } catch (err) {
      info.textContent = (err as Error).message;
    }
  });

  if (names.length) {
    repSel.add(new Option(EVERY, EVERY));
    for (const n of names) repSel.add(new Option(n, n));
    repSel.value = EVERY;
    void refresh(true);
  } else info.textContent = 'no report built into this page: run `npm run bench:bbob`, rebuild, or pick a report file';
  return { show };
}
