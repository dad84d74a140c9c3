// Solution quality on the page: success rate vs evaluation budget per method, from a report of
// `npm run bench:quality` (schema bench/quality/schema.ts). The report is either the one built
// into the page (bench/results/quality-latest.json at build time, when it exists) or a file the
// user picks. Nothing is fetched when no report was built in (no 404 in the console).
import uPlot from 'uplot';
import { checkQualityReport, type QualityReport, type QualitySummaryRow } from '../quality/schema';
import { compact } from './charts';

// Resolved at build time: empty when the file does not exist.
const builtIn = import.meta.glob('../results/quality-latest.json', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

const COLORS = ['#ffb84d', '#4fb3ff', '#5ec962', '#ff7ad9', '#c9a0ff', '#ff6b6b', '#9be7e0', '#e6e9ee'];
const axis = { stroke: '#8d99a8', grid: { stroke: '#243040', width: 1 }, ticks: { stroke: '#243040' } };
const ALL = '* all cases';

export interface QualityView {
  /** Shows a parsed report (throws with the schema problems when it does not conform). */
  show(rep: unknown): void;
}

/** Success rate of each method at each budget over the selected summary rows (pooled over seeds and cases). */
export function successCurves(rows: QualitySummaryRow[], budgets: number[], methods: string[]): { budgets: number[]; rates: Map<string, (number | null)[]> } {
  const rates = new Map<string, (number | null)[]>();
  for (const m of methods) {
    rates.set(
      m,
      budgets.map((b) => {
        const r = rows.filter((s) => s.method === m && s.budget === b);
        const n = r.reduce((a, s) => a + s.runs, 0);
        return n ? r.reduce((a, s) => a + s.successes, 0) / n : null;
      }),
    );
  }
  return { budgets, rates };
}

export function initQuality(root: HTMLElement): QualityView {
  root.innerHTML = `
    <div class="qhead">
      <strong>Solution quality</strong>
      <label>case <select name="qcase"></select></label>
      <label class="file">report <input name="qfile" type="file" accept=".json,application/json" /></label>
      <span class="qinfo"></span>
    </div>
    <div class="qplot"></div>
    <div class="qtable"></div>`;
  const sel = root.querySelector('select[name=qcase]') as HTMLSelectElement;
  const info = root.querySelector('.qinfo') as HTMLElement;
  const plotBox = root.querySelector('.qplot') as HTMLElement;
  const table = root.querySelector('.qtable') as HTMLElement;
  let rep: QualityReport | null = null;
  let plot: uPlot | null = null;

  const methodsOf = (r: QualityReport) => [...r.settings.methods, ...(r.peers.scipy.ran ? r.peers.scipy.methods : [])];

  function draw(): void {
    if (!rep) return;
    const methods = methodsOf(rep);
    const budgets = [...rep.settings.budgets].sort((a, b) => a - b);
    const rows = sel.value === ALL ? rep.summary : rep.summary.filter((s) => s.caseId === sel.value);
    const { rates } = successCurves(rows, budgets, methods);
    plot?.destroy();
    plotBox.textContent = '';
    const width = Math.max(320, plotBox.clientWidth - 8);
    if (budgets.length === 1) {
      // one budget: a bar per method (a line over a 2^19..2^21 axis would be one column of dots)
      const b = budgets[0];
      const xs = methods.map((_, i) => i);
      plot = new uPlot(
        {
          title: `success rate per method at the report's one budget, 2^${Math.log2(b).toFixed(0)} evaluations — ${sel.value === ALL ? 'all cases' : sel.value}`,
          width,
          height: 220,
          scales: { x: { time: false, range: [-0.6, methods.length - 0.4] }, y: { range: [0, 1] } },
          series: [
            { label: 'method', value: (_u: uPlot, v: number) => (v == null ? '–' : methods[v] ?? '') },
            { label: 'success rate', stroke: COLORS[0], fill: `${COLORS[0]}99`, width: 1, paths: uPlot.paths.bars!({ size: [0.6, 80] }), points: { show: false } },
          ],
          axes: [
            { ...axis, label: 'method', labelSize: 16, splits: () => xs, values: (_u: uPlot, splits: number[]) => splits.map((v) => methods[v] ?? '') },
            { ...axis, size: 54, values: (_u: uPlot, splits: number[]) => splits.map((v) => `${Math.round(v * 100)}%`) },
          ],
          legend: { show: true, live: false },
        },
        [xs, methods.map((m) => rates.get(m)![0])] as uPlot.AlignedData,
        plotBox,
      );
    } else plot = new uPlot(
      {
        title: `success rate vs evaluation budget — ${sel.value === ALL ? 'all cases' : sel.value}`,
        width,
        height: 220,
        scales: { x: { time: false, distr: 3, log: 2 }, y: { range: [0, 1] } },
        series: [
          { label: 'budget', value: (_u: uPlot, v: number) => (v == null ? '–' : `2^${Math.log2(v).toFixed(0)}`) },
          ...methods.map((m, i) => ({ label: m, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: true, size: 6, fill: COLORS[i % COLORS.length] } })),
        ],
        axes: [
          { ...axis, label: 'evaluation budget', labelSize: 16, values: (_u: uPlot, splits: number[]) => splits.map((v) => `2^${Math.round(Math.log2(v))}`) },
          { ...axis, size: 54, values: (_u: uPlot, splits: number[]) => splits.map((v) => `${Math.round(v * 100)}%`) },
        ],
        legend: { show: true, live: false }, // names and colours, not '--' until hovered
      },
      [budgets, ...methods.map((m) => rates.get(m)!)] as uPlot.AlignedData,
      plotBox,
    );
    // the numbers behind the plot: successes/runs, median evaluations to success
    const head = `<tr><th>method</th>${budgets.map((b) => `<th>2^${Math.log2(b).toFixed(0)}</th>`).join('')}</tr>`;
    const body = methods
      .map((m) => {
        const cells = budgets.map((b) => {
          const r = rows.filter((s) => s.method === m && s.budget === b);
          const n = r.reduce((a, s) => a + s.runs, 0);
          const k = r.reduce((a, s) => a + s.successes, 0);
          const ev = r.length === 1 && r[0].medianEvalsToSuccess !== null ? ` · ${compact(r[0].medianEvalsToSuccess)} evals` : '';
          return `<td>${n ? `${k}/${n}${ev}` : '–'}</td>`;
        });
        return `<tr><td>${m}</td>${cells.join('')}</tr>`;
      })
      .join('');
    table.innerHTML = `<table>${head}${body}</table>`;
  }

  function show(doc: unknown): void {
    const errs = checkQualityReport(doc);
    if (errs.length) throw new Error(`not a brox quality report: ${errs.slice(0, 3).join('; ')}`);
    rep = doc as QualityReport;
    const keep = sel.value;
    sel.textContent = '';
    sel.add(new Option(ALL, ALL));
    for (const c of rep.cases) sel.add(new Option(c.id, c.id));
    sel.value = rep.cases.some((c) => c.id === keep) ? keep : ALL;
    const m = rep.machine;
    info.textContent = `${rep.date} · ${rep.tag} · ${m.backend}${m.adapter ? ` (${m.adapter})` : ''} · ${m.cpu} · ${rep.settings.seeds} seeds${rep.peers.scipy.ran ? '' : ' · scipy not run'}`;
    draw();
  }

  sel.addEventListener('change', draw);
  (root.querySelector('input[name=qfile]') as HTMLInputElement).addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      show(JSON.parse(await f.text()));
    } catch (err) {
      info.textContent = (err as Error).message;
    }
  });

  const load = Object.values(builtIn)[0];
  if (load) {
    void load()
      .then((url) => fetch(url))
      .then((r) => r.json())
      .then(show)
      .catch((err: Error) => (info.textContent = `built-in report: ${err.message}`));
  } else info.textContent = 'no report built into this page: run `npm run bench:quality`, rebuild, or pick a report file';
  return { show };
}
