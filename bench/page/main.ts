// The in-browser benchmark page: interactive BPM runs, ?suite=<name> runs, ?selftest kernel checks.
//
// Suite URL parameters: ?suite=<name>[&backend=webgpu|cpu|auto]. backend=webgpu (what
// `bench:headless` asks for by default) never falls back to the CPU: no adapter, or an adapter whose
// device cannot be created, fails the suite with the reason. Absent or auto: WebGPU if there is an
// adapter, else the CPU with the reason recorded in the results' `fallback`. A device that fails
// although an adapter exists is retried once after DEVICE_RETRY_MS, then reported loudly: a suite
// fails; the interactive page offers only the CPU backend under a visible notice.
// Test hook: ?failDevice=once|always (see testhooks.ts).
import './style.css';
import { BroxError, builtinNames, builtins, createOracle, describeAdapter, getObjective, methodNames, methods, type BpmHistoryEntry, type MethodName, type Oracle } from '../../src/internal';
import { Charts, type ChartSnapshot } from './charts';
import { initBbob } from './bbob';
import { initClaims } from './claims';
import { Landscape, type PathPoint } from './landscape';
import { initQuality } from './quality';
import { RESULTS_SCHEMA, type CaseResult, type SuiteResults } from './results';
import { distToMinimiser, runBpm, runMethod, type RunSpec } from './run';
import { selfTest } from './selftest';
import { SUITES } from './suites';
import { installDeviceFailureHook } from './testhooks';

declare global {
  interface Window {
    __broxResults?: SuiteResults | { error: string };
    __broxSelfTest?: unknown;
    __broxDone?: boolean;
    /** requestDevice attempts it took to open WebGPU (0: no adapter, or not tried). */
    __broxDeviceAttempts?: number;
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
/** The path on screen, with the case it belongs to (a suite case, an interactive run, a preview). */
let path: { tag: string; points: PathPoint[] } = { tag: '', points: [] };
/** Bumped whenever a new run or view takes the screen: draws scheduled for an older one are dropped. */
let viewGen = 0;
/** Why WebGPU is not in use when there is no adapter (or no navigator.gpu). */
let noGpuWhy: string | null = null;
/** Set when an adapter exists but no device could be created, even after the retry. */
let deviceFailure: string | null = null;

const DEVICE_RETRY_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** WebGPU if the browser has it (software adapters included, with a warning), else the CPU with the reason shown. */
async function openBackends(): Promise<void> {
  const adapterBox = $('#adapter');
  let attempts = 0;
  let lastError: unknown = null;
  while (!gpu && !noGpuWhy && attempts < 2) {
    attempts++;
    try {
      gpu = await createOracle({ backend: 'webgpu' });
    } catch (e) {
      if (e instanceof BroxError && e.code === 'NO_ADAPTER') {
        noGpuWhy = !window.isSecureContext ? 'this page is not a secure context (use https or localhost)' : !('gpu' in navigator) ? 'this browser has no navigator.gpu' : e.message;
      } else {
        // an adapter exists but its device (or the oracle on it) failed: once more, after a pause
        lastError = e;
        if (attempts < 2) {
          console.warn(`brox: WebGPU device request failed (attempt ${attempts}), retrying in ${DEVICE_RETRY_MS} ms: ${message(e)}`);
          await sleep(DEVICE_RETRY_MS);
        }
      }
    }
  }
  window.__broxDeviceAttempts = noGpuWhy ? 0 : attempts;
  if (gpu) {
    const a = gpu.adapterInfo;
    adapterBox.textContent = `WebGPU adapter: ${a ? describeAdapter(a) : 'unknown'}${attempts > 1 ? ` (device created on retry ${attempts - 1})` : ''}`;
    if (a?.software) adapterBox.classList.add('software');
  } else {
    if (!noGpuWhy) {
      deviceFailure = `WebGPU device failed: an adapter exists but requestDevice failed ${attempts} times (retried once after ${DEVICE_RETRY_MS} ms): ${message(lastError)}`;
      console.error(`brox: ${deviceFailure}`);
      notice.classList.add('loud');
      notice.textContent = `${deviceFailure}. Only the CPU backend is offered on this page; no result here is a WebGPU result.`;
      adapterBox.textContent = 'CPU backend (WebGPU device failed)';
    } else {
      notice.textContent = `WebGPU unavailable, running on the CPU backend: ${noGpuWhy}`;
      adapterBox.textContent = 'CPU backend (no WebGPU)';
    }
    notice.hidden = false;
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

/** The method picked: 'papers' (constant-radius BPM, bpm()) or a minimize() method with its budget and params. */
function readMethod(): { method: 'papers' } | { method: MethodName; maxEvals: number; params: Record<string, unknown> } {
  const m = field('method').value;
  if (m === 'papers') return { method: 'papers' };
  if (!Object.hasOwn(methods, m)) throw new BroxError('method', `must be one of papers, ${methodNames().join(', ')}, got '${m}'`);
  const maxEvals = Number(field('budget').value);
  if (!(Number.isInteger(maxEvals) && maxEvals >= 2)) throw new BroxError('budget', `must be an integer >= 2, got '${field('budget').value}'`);
  const text = field('params').value.trim();
  let params: Record<string, unknown> = {};
  if (text) {
    try {
      params = JSON.parse(text);
    } catch (e) {
      throw new BroxError('params', `must be a JSON object, e.g. {"popsize": 32}: ${message(e)}`);
    }
    if (!params || typeof params !== 'object' || Array.isArray(params)) throw new BroxError('params', 'must be a JSON object of method parameters');
  }
  return { method: m as MethodName, maxEvals, params };
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
    const gen = ++viewGen;
    const tag = `preview:${s.obj.name}/d${s.obj.dim}`;
    path = { tag, points: [] };
    if (!(await landscape.heatmap(oracleFor(field('backend').value), s.obj, s.x0, viewAxes(s.obj.dim, s.axes), tag)) || gen !== viewGen) return;
    landscape.draw(path.points, s.x0, path.tag);
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

/** What a finished run left on screen, to show it again later (a suite ends on one chosen case). */
interface View {
  tag: string;
  spec: RunSpec;
  axes: [number, number];
  path: PathPoint[];
  charts: ChartSnapshot;
}

/**
 * Runs one BPM problem with live plots and 2-D view, all three tagged `tag`. Draws still pending
 * when it returns are cancelled or dropped, so nothing of this run lands over a later one.
 */
async function runInteractive(spec: RunSpec, axes: [number, number], oracle: Oracle, tag: string, how: ReturnType<typeof readMethod> = { method: 'papers' }): Promise<{ result: CaseResult; view: View; message?: string; nfev?: number }> {
  const gen = ++viewGen;
  path = { tag, points: [{ x: spec.x0, radius: how.method === 'papers' ? spec.radius : 0 }] };
  const points = path.points;
  charts.reset(spec.obj.minimum != null, tag);
  let last = 0;
  let redraw = 0;
  const fStar = spec.obj.minimum?.fun;
  const draw = async (final: boolean) => {
    if (gen !== viewGen) return;
    const cur = points[points.length - 1].x;
    if (spec.obj.dim > 2 && (final || performance.now() - last > 400)) {
      last = performance.now();
      if (!(await landscape.heatmap(oracle, spec.obj, cur, viewAxes(spec.obj.dim, axes), tag)) || gen !== viewGen) return;
    }
    landscape.draw(points, spec.x0, tag);
    charts.draw();
  };
  const step = (h: BpmHistoryEntry, population?: number[][]) => {
    points.push({ x: h.x, radius: h.radius, population });
    charts.push({ k: h.k, fun: h.fun, gap: fStar !== undefined ? h.fun - fStar : null, dist: distToMinimiser(spec.obj, h.x), rate: h.ms > 0 ? h.nfev / (h.ms / 1e3) : 0, ms: h.ms });
    redraw ||= requestAnimationFrame(() => {
      redraw = 0;
      void draw(false);
    });
  };
  let extra: { message?: string; nfev?: number } = {};
  let result: CaseResult;
  try {
    if (how.method === 'papers') result = await runBpm(oracle, spec, (h) => step(h), () => stopRequested);
    else {
      const r = await runMethod(oracle, { ...spec, ...how }, (s) => step(s.h, s.population), () => stopRequested);
      result = r.result;
      extra = { message: r.message, nfev: r.nfev };
    }
  } finally {
    cancelAnimationFrame(redraw);
  }
  await draw(true);
  return { result, view: { tag, spec, axes, path: points.slice(), charts: charts.snapshot() }, ...extra };
}

/** Puts a finished run's landscape, path and charts back on screen, all three of the same case. */
async function showView(v: View, oracle: Oracle): Promise<void> {
  const gen = ++viewGen;
  const center = v.spec.obj.dim > 2 ? v.path[v.path.length - 1].x : v.spec.x0;
  if (!(await landscape.heatmap(oracle, v.spec.obj, center, viewAxes(v.spec.obj.dim, v.axes), v.tag)) || gen !== viewGen) return;
  path = { tag: v.tag, points: v.path };
  landscape.draw(v.path, v.spec.x0, v.tag);
  charts.restore(v.charts);
}

async function onRun(e: Event): Promise<void> {
  e.preventDefault();
  if (running) return;
  errorBox.textContent = '';
  let spec: ReturnType<typeof readSpec>;
  let how: ReturnType<typeof readMethod>;
  try {
    spec = readSpec();
    how = readMethod();
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
    const tag = how.method === 'papers' ? `run:${spec.obj.name}/d${spec.obj.dim}` : `run:${how.method}:${spec.obj.name}/d${spec.obj.dim}`;
    await landscape.heatmap(oracle, spec.obj, spec.x0, viewAxes(spec.obj.dim, spec.axes), tag);
    const { result: r, message: why, nfev } = await runInteractive(spec, spec.axes, oracle, tag, how);
    const name = how.method === 'papers' ? 'BPM (constant t)' : how.method;
    summary.textContent = `${name}: ${r.status} after ${r.iterations} iterations${why ? ` (${why})` : ''}${nfev !== undefined ? `, ${nfev.toLocaleString('en')} evaluations` : ''}\nf = ${r.fun.toPrecision(6)}${r.finalGap !== null ? `  (gap ${r.finalGap.toExponential(2)})` : ''}\n${(r.samplesPerSec / 1e6).toFixed(2)} M samples/s on ${r.backend}, ${r.msPerStep.toFixed(1)} ms/step`;
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

/** The oracle a suite runs on for the requested backend; throws instead of falling back silently. */
function suiteOracle(requested: string): { oracle: Oracle; fallback: string | null } {
  if (requested === 'cpu') return { oracle: cpu!, fallback: 'CPU backend requested' };
  if (requested !== 'webgpu' && requested !== 'auto') throw new BroxError('backend', `must be webgpu, cpu or auto, got '${requested}'`);
  if (deviceFailure) throw new Error(deviceFailure);
  if (gpu) {
    // 'auto' as the library's createOracle: a software adapter is slower than the CPU backend
    const a = gpu.adapterInfo;
    if (requested === 'auto' && a?.software) return { oracle: cpu!, fallback: `CPU backend: the only WebGPU adapter is a software one (${describeAdapter(a)}), slower than the CPU backend; backend=webgpu runs the suite on it` };
    return { oracle: gpu, fallback: null };
  }
  if (requested === 'webgpu') throw new BroxError('backend', `the suite asked for WebGPU, but ${noGpuWhy}`, 'NO_ADAPTER');
  return { oracle: cpu!, fallback: notice.textContent };
}

/** The (disabled) form shows the case on screen, not the interactive defaults. */
function showSpec(spec: RunSpec, axes: [number, number], oracle: Oracle): void {
  const set = (name: string, v: string | number) => {
    const el = field(name);
    if (el instanceof HTMLSelectElement && !Array.from(el.options).some((o) => o.value === String(v))) el.add(new Option(Number(v).toLocaleString('en').replace(/,/g, ' '), String(v)));
    el.value = String(v);
  };
  set('method', 'papers'); // suites run the papers' BPM
  set('objective', spec.obj.name);
  set('dim', spec.obj.dim);
  set('radius', spec.radius);
  set('samples', spec.samples);
  set('seed', spec.seed);
  set('maxIter', spec.maxIter);
  set('backend', oracle.backend);
  set('x0', spec.x0.join(', '));
  set('axisI', axes[0]);
  set('axisJ', axes[1]);
}

/** Every case of the suite in a table (the row on screen marked). */
function caseTable(cases: CaseResult[], shown: number): void {
  const t = $<HTMLTableElement>('#cases');
  const num = (v: number | null, digits = 3) => (v === null ? '—' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-2) ? v.toExponential(2) : v.toPrecision(digits));
  const head = ['#', 'objective', 'd', 'samples', 'radius', 'backend', 'iterations', 'status', 'f', 'f − f*', 'M samples/s', 'ms / step'];
  t.innerHTML = '';
  t.createCaption().textContent = `cases of the suite (row ${shown}: on screen)`;
  const hr = t.createTHead().insertRow();
  for (const h of head) hr.insertCell().outerHTML = `<th>${h}</th>`;
  const body = t.createTBody();
  for (const [i, c] of cases.entries()) {
    const r = body.insertRow();
    if (i === shown) r.className = 'shown';
    for (const v of [i, c.objective, c.dim, c.samples.toLocaleString('en').replace(/,/g, ' '), c.radius, c.backend, c.iterations, c.status, num(c.fun, 6), num(c.finalGap), (c.samplesPerSec / 1e6).toFixed(2), c.msPerStep.toFixed(1)]) r.insertCell().textContent = String(v);
  }
  t.hidden = false;
}

const caseTag = (i: number, c: { objective: string; dim: number; samples: number }) => `${i}:${c.objective}/d${c.dim}/n${c.samples}`;

/**
 * Runs a suite; the screen then shows one case whole (landscape, path and charts): ?show=<index>,
 * else the first 2-D case (BPM stepping over local minima), else the last case run.
 */
async function runSuite(name: string, requested: string, show: string | null): Promise<void> {
  const suite = SUITES[name];
  if (!suite) throw new BroxError('suite', `unknown suite '${name}'; allowed: ${Object.keys(SUITES).join(', ')}`);
  const showIndex = show === null ? null : Number(show);
  if (showIndex !== null && !(Number.isInteger(showIndex) && showIndex >= 0 && showIndex < suite.cases.length)) throw new BroxError('show', `must be a case index in [0, ${suite.cases.length - 1}], got '${show}'`);
  const { oracle, fallback } = suiteOracle(requested);
  const cases: CaseResult[] = [];
  const views: View[] = [];
  setProgress(0, suite.cases.length, `cases of suite '${name}'`);
  for (const [i, c] of suite.cases.entries()) {
    const obj = getObjective(c.objective, c.dim);
    const spec: RunSpec = { obj, x0: c.x0 ?? builtins[c.objective].defaultStart(c.dim), radius: c.radius, samples: c.samples, seed: 1, maxIter: c.maxIter, gapTarget: c.gapTarget };
    const axes: [number, number] = [0, Math.min(1, c.dim - 1)];
    const tag = caseTag(i, c);
    await landscape.heatmap(oracle, obj, spec.x0, axes, tag);
    const { result, view } = await runInteractive(spec, axes, oracle, tag);
    if (result.backend !== oracle.backend) throw new Error(`case ${tag} ran on ${result.backend}, not on the suite's backend ${oracle.backend}`);
    cases.push(result);
    views.push(view);
    setProgress(cases.length, suite.cases.length, `cases of suite '${name}'`);
  }
  const shown = views[showIndex ?? views.findIndex((v) => v.spec.obj.dim === 2)] ?? views[views.length - 1];
  await showView(shown, oracle);
  showSpec(shown.spec, shown.axes, oracle);
  $('#viewinfo').textContent = `showing case ${shown.tag}`;
  caseTable(cases, views.indexOf(shown));
  window.__broxResults = {
    schema: RESULTS_SCHEMA,
    suite: name,
    date: new Date().toISOString(),
    userAgent: navigator.userAgent,
    adapter: oracle === gpu ? gpu.adapterInfo : null,
    fallback,
    requestedBackend: requested as SuiteResults['requestedBackend'],
    deviceAttempts: window.__broxDeviceAttempts ?? 0,
    shownCase: shown.tag,
    cases,
  };
}

async function main(): Promise<void> {
  const objSel = field('objective') as HTMLSelectElement;
  for (const n of builtinNames()) objSel.add(new Option(n, n, n === 'rastrigin', n === 'rastrigin'));
  field('x0').value = '4, 4';
  const methodSel = field('method') as HTMLSelectElement;
  for (const n of methodNames()) {
    const o = new Option(`${n}: ${methods[n].description}`.slice(0, 60), n);
    o.title = methods[n].description;
    methodSel.add(o);
  }
  // the papers' BPM takes radius and samples per step; minimize() methods a budget and params
  const syncMethod = () => {
    const papers = methodSel.value === 'papers';
    for (const n of ['radius', 'samples']) field(n).disabled = !papers;
    for (const n of ['budget', 'params']) field(n).disabled = papers;
  };
  methodSel.addEventListener('change', syncMethod);
  form.addEventListener('submit', (e) => void onRun(e));
  $('#stop').addEventListener('click', () => (stopRequested = true));
  for (const n of ['objective', 'dim', 'axisI', 'axisJ', 'backend']) {
    field(n).addEventListener('change', () => {
      if (n === 'objective' || n === 'dim') field('x0').value = '';
      void preview();
    });
  }
  initQuality($('#quality'));
  initBbob($('#bbob'));
  initClaims($('#claims'));
  const params = new URLSearchParams(location.search);
  try {
    installDeviceFailureHook(params.get('failDevice'));
  } catch (e) {
    errorBox.textContent = message(e);
    console.error(`brox: ${message(e)}`);
  }
  await openBackends();
  await preview();
  charts.reset(true);

  const suite = params.get('suite');
  if (suite !== null || params.has('selftest')) {
    form.querySelectorAll('input, select, button').forEach((el) => ((el as HTMLInputElement).disabled = true));
    methodSel.removeEventListener('change', syncMethod);
    try {
      if (params.has('selftest')) {
        if (!gpu) throw new Error(`selftest needs WebGPU: ${notice.textContent}`);
        const cases = await selfTest(gpu, cpu!, (d, t) => setProgress(d, t, 'kernel checks'));
        window.__broxSelfTest = { adapter: gpu.adapterInfo, userAgent: navigator.userAgent, ok: cases.every((c) => c.ok), cases };
        summary.textContent = `selftest: ${cases.filter((c) => c.ok).length} / ${cases.length} kernels agree with the CPU`;
      } else {
        await runSuite(suite!, params.get('backend') ?? 'auto', params.get('show'));
        summary.textContent = `suite '${suite}' done`;
      }
    } catch (e) {
      window.__broxResults = { error: (e as Error).message };
      errorBox.textContent = (e as Error).message;
      errorBox.classList.add('loud');
      console.error(`brox: ${(e as Error).message}`);
    }
    window.__broxDone = true;
  }
}

void main();
