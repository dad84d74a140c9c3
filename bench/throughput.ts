// `npm run bench`: one oracle call (rastrigin, l2 ball) on every backend available, like with like:
// each generator (reference, lean) on the CPU (1 thread, all cores) beside NumPy float32 on the same
// samples per call (bench/peers, when python3 has numpy), each generator's brox kernel beside the
// plain reference kernel on WebGPU, and BPM's GPU-resident loop against the step-by-step one.
// node:util parseArgs rather than commander so dist/bench.js runs with nothing but Node and Dawn
// (the GPU machine recipe in ../shared/gpu carries only dist/ and the `webgpu` addon).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { SWIFTSHADER_ICD, acquireGpu, bpm, createCpuOracle, createWebGpuOracle, defaultThreads, describeAdapter, deviceLimits, getObjective, summarizeAdapter, wantedFeatures, type AdapterSummary, type GeneratorName, type Oracle, type TuneResult } from '../src/internal';
import { cachedTuning } from './gpu/tune-cache';
import { createNaiveKernel } from './naive/naive';

const USAGE = 'usage: npm run bench -- [--json] [--dims 2,10,100] [--backends cpu,webgpu] [--samples N] [--repeats R] [--steps K] [--loop-samples N] [--no-numpy] [--tune]';
const parsed = (() => {
  try {
    return parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        dims: { type: 'string', default: '2,10,100' },
        backends: { type: 'string', default: 'cpu,webgpu' },
        samples: { type: 'string' },
        repeats: { type: 'string', default: '3' },
        steps: { type: 'string', default: '100' },
        'loop-samples': { type: 'string' },
        'no-numpy': { type: 'boolean', default: false },
        tune: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    // a usage error (unknown option, missing value): status 2 and a message, as every brox command
    const message = (e as Error).message;
    process.stderr.write(`brox bench: ${message}\n${USAGE}\n`);
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message } }) + '\n');
    process.exit(2);
  }
})();
const { values: args } = parsed;
for (const [flag, list] of [['--dims', args.dims], ['--samples', args.samples], ['--repeats', args.repeats], ['--steps', args.steps], ['--loop-samples', args['loop-samples']]] as const) {
  if (list !== undefined && !list.split(',').every((v) => /^\d+$/.test(v.trim()) && Number(v) >= (flag === '--steps' ? 0 : 1))) {
    process.stderr.write(`brox bench: ${flag} must be ${flag === '--dims' ? 'comma-separated positive integers' : flag === '--steps' ? 'a non-negative integer' : 'a positive integer'}, got '${list}'\n${USAGE}\n`);
    process.exit(2);
  }
}
if (args.help) {
  console.log(`${USAGE}
One oracle call of rastrigin per backend, dimension and generator (reference: Threefry-2x32-20;
lean: Threefry-2x32-13, docs/generators.md). CPU on 1 thread and on all cores, beside NumPy
float32 (bench/peers/peers.py) on the same samples per call when python3 has numpy (--no-numpy:
skip); WebGPU with each generator's brox kernel and the plain reference kernel of bench/naive/;
then K BPM steps at d=10 (--steps 0: none; --loop-samples: samples per step, default 2^20 on a
GPU): GPU-resident loop against the step-by-step loop. WebGPU uses the adapter Dawn finds; with
none it falls back to SwiftShader when Debian's chromium is installed (labelled software: a CPU).`);
  process.exit(0);
}
const dims = args.dims.split(',').map(Number);
const repeats = Number(args.repeats);
const wanted = args.backends.split(',');

interface Row {
  backend: string;
  kernel: string;
  /** The sampler's generator (brox rows), absent for the plain kernel and NumPy. */
  generator?: GeneratorName;
  threads?: number;
  d: number;
  samples: number;
  msMedian: number;
  gpuMsMedian?: number;
  samplesPerSec: number;
  coordEvalsPerSec: number;
}

/**
 * Samples per call: about 2^23 (CPU: large enough that NumPy's per-call allocations are amortised,
 * as ours), 2^20 (software GPU) or 2^26 (GPU) coordinate evaluations.
 */
const samplesFor = (kind: 'cpu' | 'software' | 'gpu', d: number): number =>
  args.samples ? Number(args.samples) : 2 ** Math.round(Math.log2((kind === 'gpu' ? 2 ** 26 : kind === 'cpu' ? 2 ** 23 : 2 ** 20) / Math.max(2, d)));
const GENERATORS: GeneratorName[] = ['reference', 'lean'];

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const x0 = (d: number) => new Array<number>(d).fill(2.5);

async function timeRuns(run: (r: number) => Promise<{ ms: number; gpuMs?: number }>): Promise<{ ms: number; gpuMs?: number }> {
  await run(-1); // compile and warm up
  const ms: number[] = [];
  const gms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const out = await run(r);
    ms.push(performance.now() - t0);
    if (out.gpuMs !== undefined) gms.push(out.gpuMs);
  }
  return { ms: median(ms), gpuMs: gms.length ? median(gms) : undefined };
}

function row(backend: string, kernel: string, d: number, samples: number, t: { ms: number; gpuMs?: number }, threads?: number, generator?: GeneratorName): Row {
  const sps = samples / (t.ms / 1e3);
  return { backend, kernel, generator, threads, d, samples, msMedian: t.ms, gpuMsMedian: t.gpuMs, samplesPerSec: sps, coordEvalsPerSec: sps * d };
}

async function oracleRow(o: Oracle, kernel: string, d: number, samples: number, generator: GeneratorName, threads?: number): Promise<Row> {
  const obj = getObjective('rastrigin', d);
  const t = await timeRuns((r) => o.brox(obj, x0(d), 1, { samples: r < 0 ? Math.min(samples, 4096) : samples, seed: 1, call: Math.max(0, r), generator }));
  return row(o.backend, kernel, d, samples, t, threads, generator);
}

/** NumPy float32 on one core, same task and samples per call (bench/peers/peers.py); null without python3/numpy. */
function numpyRow(d: number, samples: number): Row | string {
  const script = ['bench/peers/peers.py', '../bench/peers/peers.py'].find((p) => existsSync(p));
  if (!script) return 'numpy: not measured: bench/peers/peers.py not found (run from the repository root)';
  try {
    // one BLAS/OpenMP thread: the comparison is per core
    const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const out = execFileSync('python3', [script, '--json', '--backends', 'numpy', '--dims', String(d), '--samples', String(samples), '--repeats', args.repeats], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    const r = (JSON.parse(out) as { rows: Array<{ skipped?: string; ms: number }> }).rows[0];
    if (!r || r.skipped) return `numpy: not measured: ${r?.skipped ?? 'no row'}`;
    return row('numpy', 'numpy float32 (bench/peers)', d, samples, { ms: r.ms }, 1);
  } catch (e) {
    return `numpy: not measured: ${(e as Error).message.split('\n')[0]}`;
  }
}

const rows: Row[] = [];
const notes: string[] = [];
let adapter: AdapterSummary | null = null;
let tuning: TuneResult | null = null;
let loop: { d: number; steps: number; samples: number; residentMs: number; residentGpuMs?: number; stepByStepMs: number; speedup: number } | null = null;

if (wanted.includes('cpu')) {
  const all = await defaultThreads();
  const one = createCpuOracle('bench', { threads: 1 });
  const many = createCpuOracle('bench', { threads: all });
  let numpyWhy = args['no-numpy'] ? 'numpy: not measured (--no-numpy)' : '';
  for (const d of dims) {
    const n = samplesFor('cpu', d);
    for (const gen of GENERATORS) {
      rows.push(await oracleRow(one, `cpu ${gen} sampler`, d, n, gen, 1));
      if (all > 1) rows.push(await oracleRow(many, `cpu ${gen} sampler, workers`, d, n * all, gen, await many.threads()));
    }
    if (!numpyWhy) {
      const r = numpyRow(d, n);
      if (typeof r === 'string') numpyWhy = r;
      else rows.push(r);
    }
  }
  if (numpyWhy) notes.push(numpyWhy);
  if (all > 1 && (await many.threads()) === 1) notes.push(`cpu workers: not in use: ${many.poolStatus()}`);
  many.destroy();
}

if (wanted.includes('webgpu')) {
  let got = await openDevice();
  if (!got && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD; // no hardware adapter: measure SwiftShader rather than nothing
    got = await openDevice();
  }
  if (!got) notes.push('webgpu: not measured: no WebGPU adapter');
  else {
    const { device, info, release } = got;
    adapter = info;
    const fast = !info.software;
    const kind = fast ? 'gpu' : 'software';
    if (args.tune) tuning = await cachedTuning(device, info);
    const o = createWebGpuOracle({ device, ownsDevice: false, adapterInfo: info, reason: 'bench', tuning: tuning?.best });
    for (const d of dims) {
      const n = samplesFor(kind, d);
      for (const gen of GENERATORS) rows.push(await oracleRow(o, `brox ${gen} sampler (wg ${o.kernel.wg}, ${o.kernel.subgroups ? 'subgroups' : 'tree'}${d >= o.kernel.streamingMinDim ? ', streaming' : ''})`, d, n, gen));
      const naive = await createNaiveKernel(device, d);
      const t = await timeRuns(() => naive.run(x0(d), 1, 1, n));
      rows.push(row('webgpu', 'plain reference (bench/naive)', d, n, t));
      naive.destroy();
    }
    // BPM: K steps at d = 10 from far away, so every step moves (no early fixed point).
    const steps = Number(args.steps);
    const samples = args['loop-samples'] ? Number(args['loop-samples']) : fast ? 1 << 20 : 1 << 14;
    if (steps > 0) {
      const opts = { radius: 1, samples, seed: 1, maxIter: steps, oracle: o };
      const start = new Array(10).fill(50);
      await bpm('rastrigin', start, { ...opts, maxIter: 2 }); // compile the BPM kernels
      const t0 = performance.now();
      const resident = await bpm('rastrigin', start, { ...opts, batch: steps });
      const residentMs = performance.now() - t0;
      const t1 = performance.now();
      const stepwise = await bpm('rastrigin', start, { ...opts, resident: false });
      const stepByStepMs = performance.now() - t1;
      if (resident.nit !== steps || stepwise.nit !== steps) notes.push(`bpm loop: ran ${resident.nit} / ${stepwise.nit} steps, not ${steps}`);
      loop = { d: 10, steps: resident.nit, samples, residentMs, stepByStepMs, speedup: stepByStepMs / residentMs };
    }
    o.destroy();
    device.destroy();
    release();
  }
}

async function openDevice(): Promise<{ device: GPUDevice; info: AdapterSummary; release: () => void } | null> {
  const { handle } = await acquireGpu();
  if (!handle) return null;
  const a = await handle.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) {
    handle.release();
    return null;
  }
  const device = await a.requestDevice({ requiredFeatures: wantedFeatures(a), requiredLimits: deviceLimits(a) });
  return { device, info: summarizeAdapter(a.info), release: () => handle.release() };
}

const env = { date: new Date().toISOString(), node: process.version, cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}` };
if (args.json) {
  console.log(JSON.stringify({ schema: 2, ...env, adapter, rows, bpmLoop: loop, tuning, notes }, null, 2));
} else {
  console.log(`brox bench: one oracle call, rastrigin, uniform l2 ball, median of ${repeats}  (${env.date}, node ${env.node}, ${env.cpu})`);
  if (adapter) console.log(`webgpu adapter: ${describeAdapter(adapter)}`);
  const head = ['backend', 'kernel', 'd', 'samples', 'ms', 'gpu ms', 'samples/s', 'coord-evals/s', 'vs cpu ref 1T', 'vs numpy', 'vs plain'];
  const widths = [8, 58, 5, 11, 10, 10, 12, 14, 13, 9, 9];
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  console.log(fmt(head));
  for (const r of rows) {
    const cpu1 = rows.find((q) => q.d === r.d && q.kernel === 'cpu reference sampler');
    const numpy = rows.find((q) => q.d === r.d && q.backend === 'numpy');
    const plain = rows.find((q) => q.d === r.d && q.kernel.startsWith('plain'));
    console.log(
      fmt([
        r.backend,
        r.kernel + (r.threads ? ` (${r.threads} thread${r.threads > 1 ? 's' : ''})` : ''),
        String(r.d),
        String(r.samples),
        r.msMedian.toFixed(1),
        r.gpuMsMedian !== undefined ? r.gpuMsMedian.toFixed(2) : '-',
        r.samplesPerSec.toExponential(3),
        r.coordEvalsPerSec.toExponential(3),
        cpu1 && r.backend === 'cpu' ? (r.samplesPerSec / cpu1.samplesPerSec).toFixed(2) + 'x' : '-',
        numpy && r.backend === 'cpu' ? (r.samplesPerSec / numpy.samplesPerSec).toFixed(2) + 'x' : '-',
        plain && r.backend === 'webgpu' ? (r.samplesPerSec / plain.samplesPerSec).toFixed(2) + 'x' : '-',
      ]),
    );
  }
  if (tuning) {
    console.log(`tuner (rastrigin d=10): best wg ${tuning.best.wg}, ${tuning.best.samplesPerThread} samples/thread`);
    for (const t of tuning.trials) console.log(`  wg ${String(t.wg).padStart(3)}  spt ${String(t.samplesPerThread).padStart(2)}  ${t.ms.toFixed(2)} ms`);
  }
  if (loop) {
    console.log(
      `BPM d=${loop.d}, ${loop.steps} steps of ${loop.samples} samples: GPU-resident ${loop.residentMs.toFixed(1)} ms, step-by-step ${loop.stepByStepMs.toFixed(1)} ms (${loop.speedup.toFixed(2)}x)`,
    );
  }
  for (const n of notes) console.log(n);
}
