// The 2-D view: a heatmap of f (evaluated through the oracle, so on the GPU when there is one),
// the ball at each iterate, the path and the known minimisers. For d > 2 it is the slice through
// the current iterate along coordinates (i, j).
//
// One view at a time: a heatmap is committed whole (objective, window, axes, image and the case it
// belongs to) only if no later heatmap() call started meanwhile, so a slow evaluate from an earlier
// case can never land over a later one. The canvas carries data-case (the heatmap's case),
// data-objective, data-path-case and data-path-points (the path drawn on it), for tests and readers.
import { type Objective, type Oracle } from '../../src/internal';
import { niceTicks, shortNum } from './ticks';

const RES = 140; // heatmap cells per side
const PALETTE = [
  [13, 8, 135], [84, 2, 163], [139, 10, 165], [185, 50, 137], [219, 92, 104], [244, 136, 73], [254, 188, 43], [240, 249, 33],
]; // plasma

export interface PathPoint {
  x: number[];
  radius: number;
  /** The step's population (points its topk calls returned), drawn for the latest step. */
  population?: number[][];
}

export class Landscape {
  private heat: ImageData | null = null;
  /** f over the heatmap's cells (finite ones): the colour scale's ends. */
  private fRange: [number, number] = [0, 0];
  private heatRange: [number, number] = [0, 0];
  private heatKey = '';
  private lo = -1;
  private hi = 1;
  private axes: [number, number] = [0, 1];
  private obj: Objective | null = null;
  private tag = '';
  private gen = 0;
  /** The window of the latest heatmap() call: clicks pick a start in the objective asked for last. */
  private pick: [number, number] = [-1, 1];

  constructor(private readonly canvas: HTMLCanvasElement, onPick: (u: number, v: number) => void) {
    canvas.addEventListener('click', (e) => {
      const r = canvas.getBoundingClientRect();
      const [lo, hi] = this.pick;
      const u = lo + ((e.clientX - r.left) / r.width) * (hi - lo);
      const v = hi - ((e.clientY - r.top) / r.height) * (hi - lo);
      onPick(u, v);
    });
  }

  get window(): [number, number] {
    return [this.lo, this.hi];
  }

  /** The case the committed heatmap belongs to. */
  get caseTag(): string {
    return this.tag;
  }

  /**
   * Recomputes the heatmap for the slice through `center` (skipped when nothing changed) and makes it
   * the view of case `tag`. Returns false, committing nothing, when a later call superseded this one.
   */
  async heatmap(oracle: Oracle, obj: Objective, center: number[], axes: [number, number], tag = ''): Promise<boolean> {
    const gen = ++this.gen;
    const [lo, hi] = obj.domain ?? [-5, 5];
    this.pick = [lo, hi];
    const key = `${obj.name}/${obj.dim}/${axes}/${obj.dim > 2 ? center.join(',') : ''}`;
    let heat = this.heat;
    let fRange = this.heatRange;
    if (key !== this.heatKey || !heat) {
      ({ img: heat, fRange } = await this.compute(oracle, obj, center, axes, lo, hi));
      if (gen !== this.gen) return false;
    }
    this.heatRange = fRange;
    this.fRange = fRange;
    this.obj = obj;
    this.axes = axes;
    this.lo = lo;
    this.hi = hi;
    this.heat = heat;
    this.heatKey = key;
    this.tag = tag;
    return true;
  }

  private async compute(oracle: Oracle, obj: Objective, center: number[], axes: [number, number], lo: number, hi: number): Promise<{ img: ImageData; fRange: [number, number] }> {
    const pts: number[][] = [];
    for (let r = 0; r < RES; r++) {
      for (let c = 0; c < RES; c++) {
        const p = center.slice();
        p[axes[0]] = lo + ((c + 0.5) / RES) * (hi - lo);
        p[axes[1]] = hi - ((r + 0.5) / RES) * (hi - lo);
        pts.push(p);
      }
    }
    const vals = await oracle.evaluate(obj, pts);
    const finite = vals.filter(Number.isFinite);
    const fmin = Math.min(...finite);
    const fmax = Math.max(...finite);
    const scale = (v: number) => Math.log1p(Math.max(0, v - fmin)) / Math.log1p(Math.max(1e-12, fmax - fmin));
    const img = new ImageData(RES, RES);
    vals.forEach((v, i) => {
      const s = Number.isFinite(v) ? Math.min(1, Math.max(0, scale(v))) : 1;
      const t = s * (PALETTE.length - 1);
      const a = PALETTE[Math.floor(t)];
      const b = PALETTE[Math.min(PALETTE.length - 1, Math.floor(t) + 1)];
      const f = t - Math.floor(t);
      for (let ch = 0; ch < 3; ch++) img.data[4 * i + ch] = a[ch] + (b[ch] - a[ch]) * f;
      img.data[4 * i + 3] = 255;
    });
    return { img, fRange: [fmin, fmax] };
  }

  /** Axes (ticks and labels along the left and bottom edges) and the colour scale, over the map. */
  private drawFrame(ctx: CanvasRenderingContext2D, W: number, H: number): void {
    const [i, j] = this.axes;
    const ticks = niceTicks(this.lo, this.hi, 8);
    const px = (u: number) => ((u - this.lo) / (this.hi - this.lo)) * W;
    const py = (v: number) => H - ((v - this.lo) / (this.hi - this.lo)) * H;
    ctx.save();
    ctx.font = '11px system-ui';
    ctx.lineWidth = 1;
    const label = (text: string, x: number, y: number, align: CanvasTextAlign, base: CanvasTextBaseline) => {
      ctx.textAlign = align;
      ctx.textBaseline = base;
      const w = ctx.measureText(text).width;
      const x0 = align === 'center' ? x - w / 2 : align === 'right' ? x - w : x;
      const y0 = base === 'bottom' ? y - 13 : base === 'middle' ? y - 7 : y;
      ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
      ctx.fillRect(x0 - 2, y0, w + 4, 14);
      ctx.fillStyle = '#e6e9ee';
      ctx.fillText(text, x, y);
    };
    ctx.strokeStyle = 'rgba(230, 233, 238, 0.9)';
    for (const t of ticks) {
      const x = px(t);
      const y = py(t);
      ctx.beginPath();
      ctx.moveTo(x, H);
      ctx.lineTo(x, H - 6);
      ctx.moveTo(0, y);
      ctx.lineTo(6, y);
      ctx.stroke();
      if (x > 14 && x < W - 40) label(shortNum(t), x, H - 8, 'center', 'bottom');
      if (y > 14 && y < H - 24) label(shortNum(t), 9, y, 'left', 'middle');
    }
    const d = this.obj?.dim ?? 2;
    label(`x${i} →`, W - 4, H - 8, 'right', 'bottom');
    if (d > 1) label(`↑ x${j}`, 9, 4, 'left', 'top');
    // colour scale: the heatmap's colours from f min to f max (log scale of f − f min)
    const [fmin, fmax] = this.fRange;
    const bw = 150;
    const bx = W - bw - 10;
    const by = 10;
    const grad = ctx.createLinearGradient(bx, 0, bx + bw, 0);
    PALETTE.forEach((c, k) => grad.addColorStop(k / (PALETTE.length - 1), `rgb(${c.join(',')})`));
    ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
    ctx.fillRect(bx - 6, by - 4, bw + 12, 40);
    ctx.fillStyle = grad;
    ctx.fillRect(bx, by, bw, 10);
    ctx.strokeStyle = '#e6e9ee';
    ctx.strokeRect(bx, by, bw, 10);
    ctx.fillStyle = '#e6e9ee';
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText(shortNum(fmin), bx, by + 13);
    ctx.textAlign = 'right';
    ctx.fillText(shortNum(fmax), bx + bw, by + 13);
    ctx.textAlign = 'center';
    ctx.fillText('f (log scale)', bx + bw / 2, by + 13);
    ctx.restore();
    this.canvas.dataset.ticks = ticks.map(shortNum).join(' ');
    this.canvas.dataset.colorScale = `${shortNum(fmin)}..${shortNum(fmax)}`;
  }

  /** Draws the committed heatmap with `path` (of case `pathTag`) and the start point over it. */
  draw(path: PathPoint[], start: number[] | null, pathTag = ''): void {
    this.canvas.dataset.case = this.tag;
    this.canvas.dataset.objective = this.obj ? `${this.obj.name}/${this.obj.dim}` : '';
    this.canvas.dataset.pathCase = pathTag;
    this.canvas.dataset.pathPoints = String(path.length);
    const ctx = this.canvas.getContext('2d')!;
    const W = this.canvas.width;
    const H = this.canvas.height;
    ctx.clearRect(0, 0, W, H);
    if (this.heat) {
      const tmp = new OffscreenCanvas(RES, RES);
      tmp.getContext('2d')!.putImageData(this.heat, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(tmp, 0, 0, W, H);
    }
    const [i, j] = this.axes;
    const px = (u: number) => ((u - this.lo) / (this.hi - this.lo)) * W;
    const py = (v: number) => H - ((v - this.lo) / (this.hi - this.lo)) * H;
    const scale = W / (this.hi - this.lo);
    // balls (the slice through an iterate cuts its ball in a disc of the same radius)
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 4]);
    path.forEach((p, k) => {
      if (k === path.length - 1) return;
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillStyle = 'rgba(255, 255, 255, 0.10)';
      ctx.beginPath();
      ctx.arc(px(p.x[i]), py(p.x[j]), p.radius * scale, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    });
    ctx.setLineDash([]);
    // path
    if (path.length > 0) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      path.forEach((p, k) => (k === 0 ? ctx.moveTo(px(p.x[i]), py(p.x[j])) : ctx.lineTo(px(p.x[i]), py(p.x[j]))));
      ctx.stroke();
      ctx.fillStyle = '#ffffff';
      for (const p of path) {
        ctx.beginPath();
        ctx.arc(px(p.x[i]), py(p.x[j]), 3, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    // the latest step's population (the elites of cma-es / cem)
    const pop = path.length ? path[path.length - 1].population : undefined;
    if (pop?.length) {
      ctx.fillStyle = 'rgba(77, 225, 255, 0.85)';
      for (const q of pop) {
        ctx.beginPath();
        ctx.arc(px(q[i]), py(q[j]), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    this.canvas.dataset.population = String(pop?.length ?? 0);
    // known minimisers
    ctx.fillStyle = '#ff5fd2';
    ctx.font = '18px system-ui';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const m of this.obj?.minimum?.x ?? []) ctx.fillText('★', px(m[i]), py(m[j]));
    // start
    if (start) {
      ctx.strokeStyle = '#3ddc84';
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(px(start[i]), py(start[j]), 6, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (this.heat) this.drawFrame(ctx, W, H); // axes and colour scale on top
  }
}
