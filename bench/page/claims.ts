// The papers' claims on the page: three uPlot charts and their numbers from a report of
// `npm run bench:claims` (schema bench/claims/schema.ts) — success rate vs radius t (stepping over
// local minima), distance to the minimiser set vs step (never increasing on aligned functions), and
// the sampled fixed point's gap vs samples per step (too few samples for d). The report is the one
// built into the page (bench/results/claims-latest.json at build time, when it exists) or a file the
// user picks. Nothing is fetched when no report was built in.
import uPlot from 'uplot';
import { checkClaimsReport, type ClaimsReport } from '../claims/schema';
import { logAxis } from './charts';

// Resolved at build time: empty when the file does not exist.
const builtIn = import.meta.glob('../results/claims-latest.json', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

const COLORS = ['#ffb84d', '#4fb3ff', '#5ec962', '#ff7ad9', '#c9a0ff', '#ff6b6b', '#9be7e0', '#e6e9ee'];
const axis = { stroke: '#8d99a8', grid: { stroke: '#243040', width: 1 }, ticks: { stroke: '#243040' } };
const pow2 = (n: number) => (Number.isInteger(Math.log2(n)) ? `2^${Math.log2(n)}` : String(n));
const num = (v: number) => (v === 0 ? '0' : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(2) : String(+v.toPrecision(3)));
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const pos = (v: number) => (v > 0 ? v : null); // log axes cannot show 0
// tick labels: uPlot may hand null splits on log axes
const ticks = (f: (v: number) => string) => (_u: uPlot, s: (number | null)[]) => s.map((v) => (v == null ? '' : f(v)));

export interface ClaimsView {
  /** Shows a parsed report (throws with the schema problems when it does not conform). */
  show(rep: unknown): void;
}

/** Per case of claim 1: the t values and the basin / solved rates at each. */
export function rateCurves(rep: ClaimsReport): { ts: number[]; series: { label: string; values: number[] }[] } {
  const ts = [...rep.overMinima.settings.ts].sort((a, b) => a - b);
  const series: { label: string; values: number[] }[] = [];
  for (const c of rep.overMinima.cases) {
    const row = (t: number) => rep.overMinima.summary.find((u) => u.caseId === c.id && u.t === t)!;
    series.push({ label: `${c.id}: global basin`, values: ts.map((t) => row(t).basinRate) });
    series.push({ label: `${c.id}: f - f* <= ${rep.overMinima.settings.gapTol}`, values: ts.map((t) => row(t).solvedRate) });
  }
  return { ts, series };
}

export function initClaims(root: HTMLElement): ClaimsView {
  root.innerHTML = `
    <div class="qhead">
      <strong>The papers' claims, measured</strong>
      <label class="file">report <input name="cfile" type="file" accept=".json,application/json" /></label>
      <span class="qinfo"></span>
    </div>
    <div class="cplot" data-claim="1"></div><div class="qtable" data-claim="1"></div>
    <div class="cplot" data-claim="2"></div><div class="qtable" data-claim="2"></div>
    <div class="cplot" data-claim="3"></div><div class="qtable" data-claim="3"></div>`;
  const info = root.querySelector('.qinfo') as HTMLElement;
  const box = (cls: string, n: number) => root.querySelector(`.${cls}[data-claim="${n}"]`) as HTMLElement;
  let plots: uPlot[] = [];

  function plot(el: HTMLElement, opts: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): void {
    el.textContent = '';
    // a static legend (names and colours; uPlot's live one reads '--' until hovered)
    plots.push(new uPlot({ width: Math.max(320, el.clientWidth - 8), height: 220, legend: { show: true, live: false }, ...opts }, data, el));
  }

  function draw(rep: ClaimsReport): void {
    for (const p of plots) p.destroy();
    plots = [];

    // 1. success rate vs t
    const om = rep.overMinima;
    const { ts, series } = rateCurves(rep);
    const nCases = om.cases.length;
    plot(
      box('cplot', 1),
      {
        title: `1. stepping over local minima (spacing 1): success rate vs radius t — BPM, constant t, N = ${pow2(om.settings.samples)}, ${om.settings.seeds} seeds`,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        series: [
          { label: 't' },
          // cases that coincide stay visible: earlier ones drawn wider with bigger markers, later ones on top
          ...series.map((s, i) => {
            const under = nCases - 1 - (i >> 1);
            return { label: s.label, stroke: COLORS[i >> 1], width: 1.5 + 2.5 * under, dash: i % 2 ? [5, 4] : undefined, points: { show: true, size: 6 + 5 * under, fill: i % 2 ? 'transparent' : COLORS[i >> 1], stroke: COLORS[i >> 1] } };
          }),
        ],
        axes: [{ ...axis, label: 'radius t', labelSize: 16 }, { ...axis, size: 54, values: ticks((v) => `${Math.round(v * 100)}%`) }],
      },
      [ts, ...series.map((s) => s.values)] as uPlot.AlignedData,
    );
    box('qtable', 1).innerHTML = `<table><tr><th>case</th>${ts.map((t) => `<th>t = ${t}</th>`).join('')}</tr>${om.cases
      .map((c) => `<tr><td>${esc(c.id)} from (${c.x0.join(', ')})</td>${ts
        .map((t) => {
          const r = om.summary.find((u) => u.caseId === c.id && u.t === t)!;
          return `<td>${r.basin}/${r.runs} basin · gap ${num(r.medianGap)}</td>`;
        })
        .join('')}</tr>`)
      .join('')}</table>`;

    // 2. dist to X* vs step, seed 0 of each case
    const di = rep.distance;
    const first = di.cases.map((c) => di.runs.find((u) => u.caseId === c.id)!);
    const steps = Math.max(...first.map((u) => u.dist.length));
    plot(
      box('cplot', 2),
      {
        title: '2. dist(x_k, X*) vs step (seed 0). The claim (exact oracle): never increasing on aligned functions; the sampled oracle can step away when no minimiser is in the ball: the table counts those increases',
        scales: { x: { time: false }, y: { distr: 3 } },
        series: [{ label: 'step' }, ...di.cases.map((c, i) => ({ label: `${c.id} (t = ${c.t})`, stroke: COLORS[i % COLORS.length], width: 1.5, dash: c.aligned ? undefined : [5, 4], points: { show: true, size: 4, fill: COLORS[i % COLORS.length] } }))],
        axes: [{ ...axis, label: 'step k', labelSize: 16 }, logAxis(axis)],
      },
      [Array.from({ length: steps }, (_, k) => k), ...first.map((u) => Array.from({ length: steps }, (_, k) => (k < u.dist.length ? pos(u.dist[k]) : null)))] as uPlot.AlignedData,
    );
    box('qtable', 2).innerHTML = `<table><tr><th>case</th><th>claim</th><th>dist increases (no minimiser in ball)</th><th>||x_{k+1}-x*||² ≤ ||x_k-x*||² − t² held</th><th>worst miss (t²)</th></tr>${di.summary
      .map((r) => {
        const c = di.cases.find((q) => q.id === r.caseId)!;
        return `<tr><td>${esc(c.id)}</td><td>${c.convex ? 'aligned, convex' : c.aligned ? 'aligned' : 'none (contrast)'}</td><td>${r.increases} (${r.increasesFar}) over ${r.runs} runs</td><td>${r.held}/${r.checks}</td><td>${num(r.worstMiss)}</td></tr>`;
      })
      .join('')}</table>`;

    // 3. gap of the sampled fixed point vs samples per step, per d
    const sa = rep.fixedPoint.samples;
    const ns = [...sa.settings.sampleSizes].sort((a, b) => a - b);
    const row = (d: number, n: number) => sa.summary.find((u) => u.d === d && u.samples === n)!;
    plot(
      box('cplot', 3),
      {
        title: `3. where the sampled fixed point is not optimal: f - f* at the stop vs samples per step — sphere, constant t = ${sa.settings.t}`,
        scales: { x: { time: false, distr: 3, log: 2 }, y: { distr: 3 } },
        series: [
          { label: 'N', value: (_u: uPlot, v: number) => (v == null ? '–' : pow2(v)) },
          ...sa.settings.dims.map((d, i) => ({ label: `d = ${d}`, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: true, size: 6, fill: COLORS[i % COLORS.length] } })),
        ],
        axes: [{ ...axis, label: 'samples per step N', labelSize: 16, values: ticks((v) => pow2(Math.round(v))) }, logAxis(axis)],
      },
      [ns, ...sa.settings.dims.map((d) => ns.map((n) => pos(row(d, n).medianGap)))] as uPlot.AlignedData,
    );
    const ra = rep.fixedPoint.radius;
    box('qtable', 3).innerHTML =
      `<table><tr><th>d</th>${ns.map((n) => `<th>N = ${pow2(n)}: gap · certificate</th>`).join('')}</tr>${sa.settings.dims
        .map((d) => `<tr><td>${d}</td>${ns.map((n) => `<td>${num(row(d, n).medianGap)} · ${num(row(d, n).medianFraction)} (${row(d, n).artefacts}/${row(d, n).runs} &gt; 0)</td>`).join('')}</tr>`)
        .join('')}</table>` +
      `<p class="qinfo">certificate: fraction of ${pow2(sa.settings.certSamples)} fresh samples of the ball that beat the stop point (&gt; 0: the fixed point was an artefact of too few samples). ` +
      `t too small: wavy-bowl from ${ra.settings.x0[0]} with t = ${ra.settings.t} stops at x = ${ra.stop.x[0].toFixed(3)}, f = ${num(ra.stop.fun)} (a local minimum).</p>` +
      `<table><tr><th>radius around the stop</th>${ra.probes.map((p) => `<th>${p.t}</th>`).join('')}</tr>` +
      `<tr><td>fraction below centre</td>${ra.probes.map((p) => `<td>${num(p.fraction)}</td>`).join('')}</tr>` +
      `<tr><td>best sample improves f by</td>${ra.probes.map((p) => `<td>${num(p.improvement)}</td>`).join('')}</tr>` +
      `<tr><td>BPM from there ends at f</td>${ra.probes.map((p) => `<td>${num(p.continued.fun)}</td>`).join('')}</tr></table>`;
  }

  function show(doc: unknown): void {
    const errs = checkClaimsReport(doc);
    if (errs.length) throw new Error(`not a brox claims report: ${errs.slice(0, 3).join('; ')}`);
    const rep = doc as ClaimsReport;
    const m = rep.machine;
    info.textContent = `${rep.date} · ${m.backend} backend · ${m.cpu} · ${m.threads} thread(s)`;
    draw(rep);
  }

  (root.querySelector('input[name=cfile]') as HTMLInputElement).addEventListener('change', async (e) => {
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
  } else info.textContent = 'no report built into this page: run `npm run bench:claims`, rebuild, or pick a report file';
  return { show };
}
