// The four per-iteration plots, drawn with uPlot (small, fast, canvas-based).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { decadeLabel, decadeSplits } from './ticks';

export interface ChartPoint {
  k: number;
  gap: number | null;
  fun: number;
  dist: number | null;
  rate: number;
  ms: number;
}

const axis = { stroke: '#8d99a8', grid: { stroke: '#243040', width: 1 }, ticks: { stroke: '#243040' } };

/** Compact tick labels: 7.5e5 -> "750k", 2.1e9 -> "2.1G", 3e-4 -> "3e-4". */
export function compact(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-2) return v.toExponential(0);
  for (const [div, suffix] of [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (a >= div) return `${+(v / div).toPrecision(3)}${suffix}`;
  return String(+v.toPrecision(3));
}
const TINY = 1e-12; // log axes cannot show 0

/** A log y axis labelled at every decade. */
export const logAxis = (base: object) => ({
  ...base,
  size: 52,
  splits: (u: uPlot, axisIdx: number) => {
    const sc = u.scales[u.axes[axisIdx].scale ?? 'y'];
    const px = u.bbox.height / (globalThis.devicePixelRatio || 1);
    return decadeSplits(sc.min ?? 0, sc.max ?? 0, Math.max(2, Math.floor(px / 15))); // a label per 15 px at most
  },
  filter: (_u: uPlot, splits: number[]) => splits, // every split labelled (uPlot's log filter drops some)
  values: (_u: uPlot, splits: (number | null)[]) => splits.map((v) => (v == null ? '' : decadeLabel(v))),
});

function chart(el: HTMLElement, title: string, label: string, log: boolean, color: string, width: number): uPlot {
  return new uPlot(
    {
      title,
      width,
      height: 166,
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      series: [{ label: 'iteration' }, { label, stroke: color, width: 1.5, points: { show: true, size: 4, fill: color } }],
      axes: [{ ...axis, label: 'iteration k', labelSize: 16, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] }, log ? logAxis(axis) : { ...axis, size: 52, values: (_u: uPlot, splits: number[]) => splits.map(compact) }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
    },
    [[], []],
    el,
  );
}

export interface ChartSnapshot {
  points: ChartPoint[];
  fStarKnown: boolean;
  /** The case these points belong to. */
  tag: string;
}

export class Charts {
  private readonly plots: { gap: uPlot; dist: uPlot; rate: uPlot; time: uPlot };
  private readonly points: ChartPoint[] = [];
  private fStarKnown = true;
  private tag = '';
  private readonly els: HTMLElement[];

  constructor(root: { gap: HTMLElement; dist: HTMLElement; rate: HTMLElement; time: HTMLElement }) {
    this.els = [root.gap, root.dist, root.rate, root.time];
    const w = Math.max(300, root.gap.clientWidth - 8);
    this.plots = {
      gap: chart(root.gap, 'f(x_k) − f*  (log)', 'gap', true, '#ffb84d', w),
      dist: chart(root.dist, 'distance to nearest known minimiser (log)', 'distance', true, '#5ec962', w),
      rate: chart(root.rate, 'samples/s per oracle call', 'samples/s', false, '#4fb3ff', w),
      time: chart(root.time, 'ms per iteration', 'ms', false, '#ff7ad9', w),
    };
  }

  /** Empties the plots for a new run, case `tag` (shown as data-case on each chart's element). */
  reset(fStarKnown: boolean, tag = ''): void {
    this.points.length = 0;
    this.fStarKnown = fStarKnown;
    this.tag = tag;
    this.plots.gap.series[1].label = fStarKnown ? 'gap' : 'f (f* unknown)';
    this.draw();
  }

  push(p: ChartPoint): void {
    this.points.push(p);
  }

  /** The points plotted now, to show them again later (suite mode ends on its showcase run). */
  snapshot(): ChartSnapshot {
    return { points: this.points.slice(), fStarKnown: this.fStarKnown, tag: this.tag };
  }

  restore(s: ChartSnapshot): void {
    this.points.length = 0;
    this.points.push(...s.points);
    this.fStarKnown = s.fStarKnown;
    this.tag = s.tag;
    this.plots.gap.series[1].label = s.fStarKnown ? 'gap' : 'f (f* unknown)';
    this.draw();
  }

  draw(): void {
    const k = this.points.map((p) => p.k);
    const gap = this.points.map((p) => Math.max(TINY, this.fStarKnown ? (p.gap ?? p.fun) : Math.abs(p.fun)));
    this.plots.gap.setData([k, gap]);
    this.plots.dist.setData([k, this.points.map((p) => (p.dist === null ? null : Math.max(TINY, p.dist)))] as uPlot.AlignedData);
    this.plots.rate.setData([k, this.points.map((p) => p.rate)]);
    this.plots.time.setData([k, this.points.map((p) => p.ms)]);
    for (const el of this.els) {
      el.dataset.case = this.tag;
      el.dataset.points = String(this.points.length);
    }
  }
}
