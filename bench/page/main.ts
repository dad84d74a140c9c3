// The in-browser benchmark page: interactive BPM runs, ?suite=<name> runs, ?selftest kernel checks.
import './style.css';
import { BroxError } from '../../src/errors';
import { describeAdapter } from '../../src/gpu/adapter';
import { builtinNames, builtins, getObjective } from '../../src/objectives/registry';
import { createOracle } from '../../src/oracle/create';
import type { Oracle } from '../../src/oracle/types';
import { Charts } from './charts';
import { initClaims } from './claims';
import { Landscape, type PathPoint } from './landscape';
import { initQuality } from './quality';
import { RESULTS_SCHEMA, type CaseResult, type SuiteResults } from './results';
import { distToMinimiser, runBpm, type RunSpec } from './run';
import { selfTest } from './selftest';
import { SUITES } from './suites';

declare global {
  interface Window {
    __broxResults?: SuiteResults | { error: string };
    __broxSelfTest?: unknown;
    __broxDone?: boolean;
  }
}

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const form = $<HTMLFormElement>('#controls');
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const errorBox = $('#error');
const summary = $('#summary');
const notice = $('#notice');
const progress = $('#progress');

const charts = new Charts({ gap: $('#chart-gap'), dist: $('#chart-dist'), rate: $('#chart-rate'), time: $('#chart-time') });
const landscape = new Landscape($<HTMLCanvasElement>('#landscape'), (u, v) => pickStart(u, v));

let gpu: Oracle | null = null;
let cpu: Oracle | null = null;
let running = false;
let stopRequested = false;
let path: PathPoint[] = [];

/** WebGPU if the browser has it (software adapters included, with a warning), else the CPU with the reason shown. */
async function openBackends(): Promise<void> {
  const adapterBox = $('#adapter');
  try {
    gpu = await createOracle({ backend: 'webgpu' });
    const a = gpu.adapterInfo;
    adapterBox.textContent = `WebGPU adapter: ${a ? describeAdapter(a) : 'unknown'}`;
    if (a?.software) adapterBox.classList.add('software');
  } catch (e) {
    const why = !window.isSecureContext ? 'this page is not a secure context (use https or localhost)' : !('gpu' in navigator) ? 'this browser has no navigator.gpu' : (e as Error).message;
    notice.hidden = false;
    notice.textContent = `WebGPU unavailable, running on the CPU backend: ${why}`;
    adapterBox.textContent = 'CPU backend (no WebGPU)';
    (field('backend').querySelector('option[value=webgpu]') as HTMLOptionElement).disabled = true;
    field('backend').value = 'cpu';
  }
  cpu = await createOracle({ backend: 'cpu' });
}

function parseStart(dim: number): number[] {
  const text = field('x0').value.trim();
  if (!text) return builtins[field('objective').value].defaultStart(dim);
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.some((n) => !Number.isFinite(n))) throw new BroxError('x0', `must be ${dim} comma-separated numbers, got '${text}'`);
  if (v.length !== dim) throw new BroxError('x0', `must have ${dim} coordinates (the dimension), got ${v.length}`);
  return v;
}

function readSpec(): RunSpec & { axes: [number, number] } {
  const dim = Number(field('dim').value);
  const obj = getObjective(field('objective').value, dim);
  const axes: [number, number] = [Number(field('axisI').value), Number(field('axisJ').value)];
  for (const [k, a] of axes.entries()) {
    if (!Number.isInteger(a) || a < 0 || a >= Math.max(dim, 1)) throw new BroxError(k ? 'axis j' : 'axis i', `must be an integer in [0, ${dim - 1}]`);
  }
  if (dim >= 2 && axes[0] === axes[1]) throw new BroxError('axis j', 'must differ from axis i');
  return { obj, x0: parseStart(dim), radius: Number(field('radius').value), samples: Number(field('samples').value), seed: Number(field('seed').value), maxIter: Number(field('maxIter').value), axes };
}

const oracleFor = (backend: string): Oracle => (backend === 'webgpu' && gpu ? gpu : cpu!);
const viewAxes = (dim: number, axes: [number, number]): [number, number] => (dim === 1 ? [0, 0] : axes);

async function preview(): Promise<void> {
  try {
    const s = readSpec();
    errorBox.textContent = '';
    path = [];
    await landscape.heatmap(oracleFor(field('backend').value), s.obj, s.x0, viewAxes(s.obj.dim, s.axes));
    landscape.draw(path, s.x0);
    $('#viewinfo').textContent = s.obj.dim > 2 ? `slice through x along coordinates ${s.axes[0]}, ${s.axes[1]}` : '';
  } catch (e) {
    errorBox.textContent = (e as Error).message;
  }
}

function pickStart(u: number, v: number): void {
  if (running) return;
  try {
    const s = readSpec();
    const x0 = s.x0.slice();
    x0[s.axes[0]] = +u.toFixed(3);
    if (s.obj.dim > 1) x0[s.axes[1]] = +v.toFixed(3);
    field('x0').value = x0.join(', ');
    void preview();
  } catch (e) {
    errorBox.textContent = (e as Error).message;
  }
}

/** Runs one BPM problem with live plots and 2-D view. */
async function runInteractive(spec: RunSpec, axes: [number, number], oracle: Oracle): Promise<CaseResult> {
  path = [{ x: spec.x0, radius: spec.radius }];
  charts.reset(spec.obj.minimum != null);
  let last = 0;
  let redraw = 0;
  const fStar = spec.obj.minimum?.fun;
  const draw = async (final: boolean) => {
    const cur = path[path.length - 1].x;
    if (spec.obj.dim > 2 && (final || performance.now() - last > 400)) {
      last = performance.now();
      await landscape.heatmap(oracle, spec.obj, cur, viewAxes(spec.obj.dim, axes));
    }
    landscape.draw(path, spec.x0);
    charts.draw();
  };
  const result = await runBpm(
    oracle,
    spec,
    (h) => {
      path.push({ x: h.x, radius: h.radius });
      charts.push({ k: h.k, fun: h.fun, gap: fStar !== undefined ? h.fun - fStar : null, dist: distToMinimiser(spec.obj, h.x), rate: h.ms > 0 ? h.nfev / (h.ms / 1e3) : 0, ms: h.ms });
      redraw ||= requestAnimationFrame(() => {
        redraw = 0;
        void draw(false);
      });
    },
    () => stopRequested,
  );
  await draw(true);
  return result;
}

async function onRun(e: Event): Promise<void> {
  e.preventDefault();
  if (running) return;
  errorBox.textContent = '';
  let spec: ReturnType<typeof readSpec>;
  try {
    spec = readSpec();
  } catch (err) {
    errorBox.textContent = (err as Error).message;
    return;
  }
  running = true;
  stopRequested = false;
  $<HTMLButtonElement>('#run').disabled = true;
  $<HTMLButtonElement>('#stop').disabled = false;
  try {
    const oracle = oracleFor(field('backend').value);
    await landscape.heatmap(oracle, spec.obj, spec.x0, viewAxes(spec.obj.dim, spec.axes));
    const r = await runInteractive(spec, spec.axes, oracle);
    summary.textContent = `${r.status} after ${r.iterations} iterations\nf = ${r.fun.toPrecision(6)}${r.finalGap !== null ? `  (gap ${r.finalGap.toExponential(2)})` : ''}\n${(r.samplesPerSec / 1e6).toFixed(2)} M samples/s on ${r.backend}, ${r.msPerStep.toFixed(1)} ms/step`;
  } catch (err) {
    errorBox.textContent = (err as Error).message;
  } finally {
    running = false;
    $<HTMLButtonElement>('#run').disabled = false;
    $<HTMLButtonElement>('#stop').disabled = true;
  }
}

function setProgress(done: number, total: number, label: string): void {
  progress.hidden = false;
  ($('#progress .bar') as HTMLElement).style.width = `${(100 * done) / total}%`;
  ($('#progress span') as HTMLElement).textContent = `${done} / ${total} ${label}`;
}

async function runSuite(name: string): Promise<void> {
  const suite = SUITES[name];
  if (!suite) throw new BroxError('suite', `unknown suite '${name}'; allowed: ${Object.keys(SUITES).join(', ')}`);
  const oracle = gpu ?? cpu!;
  const cases: CaseResult[] = [];
  let showcase: { spec: RunSpec; path: PathPoint[]; charts: ReturnType<Charts['snapshot']> } | null = null;
  setProgress(0, suite.cases.length, `cases of suite '${name}'`);
  for (const c of suite.cases) {
    const obj = getObjective(c.objective, c.dim);
    const spec: RunSpec = { obj, x0: c.x0 ?? builtins[c.objective].defaultStart(c.dim), radius: c.radius, samples: c.samples, seed: 1, maxIter: c.maxIter, gapTarget: c.gapTarget };
    await landscape.heatmap(oracle, obj, spec.x0, [0, Math.min(1, c.dim - 1)]);
    cases.push(await runInteractive(spec, [0, Math.min(1, c.dim - 1)], oracle));
    if (c.dim === 2 && !showcase) showcase = { spec, path: path.slice(), charts: charts.snapshot() };
    setProgress(cases.length, suite.cases.length, `cases of suite '${name}'`);
  }
  if (showcase) {
    // leave the picture that shows BPM stepping over local minima on screen
    await landscape.heatmap(oracle, showcase.spec.obj, showcase.spec.x0, [0, 1]);
    landscape.draw(showcase.path, showcase.spec.x0);
    charts.restore(showcase.charts);
  }
  window.__broxResults = {
    schema: RESULTS_SCHEMA,
    suite: name,
    date: new Date().toISOString(),
    userAgent: navigator.userAgent,
    adapter: gpu?.adapterInfo ?? null,
    fallback: gpu ? null : notice.textContent,
    cases,
  };
}

async function main(): Promise<void> {
  const objSel = field('objective') as HTMLSelectElement;
  for (const n of builtinNames()) objSel.add(new Option(n, n, n === 'rastrigin', n === 'rastrigin'));
  field('x0').value = '4, 4';
  form.addEventListener('submit', (e) => void onRun(e));
  $('#stop').addEventListener('click', () => (stopRequested = true));
  for (const n of ['objective', 'dim', 'axisI', 'axisJ', 'backend']) {
    field(n).addEventListener('change', () => {
      if (n === 'objective' || n === 'dim') field('x0').value = '';
      void preview();
    });
  }
  initQuality($('#quality'));
  initClaims($('#claims'));
  await openBackends();
  await preview();
  charts.reset(true);

  const params = new URLSearchParams(location.search);
  const suite = params.get('suite');
  if (suite !== null || params.has('selftest')) {
    form.querySelectorAll('input, select, button').forEach((el) => ((el as HTMLInputElement).disabled = true));
    try {
      if (params.has('selftest')) {
        if (!gpu) throw new Error(`selftest needs WebGPU: ${notice.textContent}`);
        const cases = await selfTest(gpu, cpu!, (d, t) => setProgress(d, t, 'kernel checks'));
        window.__broxSelfTest = { adapter: gpu.adapterInfo, userAgent: navigator.userAgent, ok: cases.every((c) => c.ok), cases };
        summary.textContent = `selftest: ${cases.filter((c) => c.ok).length} / ${cases.length} kernels agree with the CPU`;
      } else {
        await runSuite(suite!);
        summary.textContent = `suite '${suite}' done`;
      }
    } catch (e) {
      window.__broxResults = { error: (e as Error).message };
      errorBox.textContent = (e as Error).message;
      console.error(`brox: ${(e as Error).message}`);
    }
    window.__broxDone = true;
  }
}

void main();
