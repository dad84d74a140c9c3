// `node dist/gpu.js --smoke | --user`: the GPU run's own checks (bench/gpu/run.sh calls it).
//
// --smoke  (seconds): the adapter with its features and limits, then one small call of every kernel
//          (brox with each generator and ball family, topk, moments, evaluate) checked against the
//          CPU backend on the same seed, one short GPU-resident BPM loop, and a tiny minimize() per
//          method. Exit 0 only when every check passed on a hardware adapter (or on a software one
//          with BROX_GPU_ALLOW_SOFTWARE=1); on failure the reason is printed, never hidden.
// --user   what a user waits for: minimize() with each method to a target at d = 10 and 100 on
//          rastrigin and on a shifted-rotated rosenbrock, on WebGPU and on brox's CPU backend (all
//          cores), each run under a time cap; and bpm() GPU-resident against step by step. GPU round
//          trips (queue submissions, buffer maps) are counted per run: they are what a CPU hides.
// Output: one JSON document on stdout (--json) or a table; progress on stderr.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { acquireGpu, bpm, createCpuOracle, createWebGpuOracle, defaultThreads, describeAdapter, deviceLimits, getObjective, methodNames, minimize, noAdapterHint, summarizeAdapter, wantedFeatures, type AdapterSummary, type MethodName, type Objective, type Oracle } from '../../src/internal';
import { buildCases } from '../quality/cases';
import { probeScipy, runScipy } from '../quality/peers';
import { cachedTuning } from './tune-cache';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    user: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    dims: { type: 'string', default: '10,100' },
    methods: { type: 'string' },
    'budget-s': { type: 'string', default: '150' },
    'cap-s': { type: 'string', default: '4' },
    tiny: { type: 'boolean', default: false },
  },
});
const log = (m: string) => process.stderr.write(`[gpu.js] ${m}\n`);
const deadline = performance.now() + Number(args['budget-s']) * 1e3;
const allowSoftware = process.env.BROX_GPU_ALLOW_SOFTWARE === '1';

// Round trips: every queue submission and every buffer map, counted on the device's own objects.
const trips = { submits: 0, maps: 0 };
function countTrips(device: GPUDevice): void {
  const q = device.queue;
  const submit = q.submit.bind(q);
  q.submit = (b: Iterable<GPUCommandBuffer>) => {
    trips.submits++;
    return submit(b);
  };
  const proto = (globalThis as unknown as { GPUBuffer: { prototype: GPUBuffer } }).GPUBuffer.prototype;
  const map = proto.mapAsync;
  proto.mapAsync = function (this: GPUBuffer, ...a: Parameters<GPUBuffer['mapAsync']>) {
    trips.maps++;
    return map.apply(this, a);
  };
}

interface Opened {
  device: GPUDevice;
  adapter: AdapterSummary;
  features: string[];
  limits: Record<string, number>;
  release(): void;
}

/** The adapter, or a reason in words (printed and in the JSON) why there is none usable. */
async function open(): Promise<Opened | string> {
  const { handle, why } = await acquireGpu();
  if (!handle) return `no WebGPU in this process: ${why}`;
  const a = await handle.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) {
    handle.release();
    return `Dawn found no adapter (${noAdapterHint() || 'no Vulkan driver reachable'}); VK_DRIVER_FILES=${process.env.VK_DRIVER_FILES ?? ''} VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? ''}`;
  }
  const device = await a.requestDevice({ requiredFeatures: wantedFeatures(a), requiredLimits: deviceLimits(a) });
  device.lost.then((l) => l.reason !== 'destroyed' && log(`device lost: ${l.reason}: ${l.message}`));
  device.onuncapturederror = (e) => log(`uncaptured WebGPU error: ${e.error.message}`);
  const limits: Record<string, number> = {};
  for (const k of ['maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage']) {
    limits[k] = Number((a.limits as unknown as Record<string, number>)[k]);
  }
  return { device, adapter: summarizeAdapter(a.info), features: [...a.features].sort(), limits, release: () => handle.release() };
}

interface Check {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

async function check(checks: Check[], name: string, body: () => Promise<string>): Promise<void> {
  const t0 = performance.now();
  try {
    const detail = await body();
    checks.push({ name, ok: true, ms: performance.now() - t0, detail });
    log(`ok   ${name} (${(performance.now() - t0).toFixed(0)} ms) ${detail}`);
  } catch (e) {
    const detail = (e as Error).stack ?? String(e);
    checks.push({ name, ok: false, ms: performance.now() - t0, detail });
    log(`FAIL ${name}: ${detail}`);
  }
}

const close = (a: number, b: number, rel = 1e-3) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

async function smoke(gpu: Oracle, cpu: Oracle): Promise<Check[]> {
  const checks: Check[] = [];
  const f = getObjective('rastrigin', 10);
  const x = new Array(10).fill(2.5);
  const balls = ['l2', 'linf', 'l1', 'gaussian'] as const;
  for (const generator of ['reference', 'lean'] as const) {
    for (const ball of balls) {
      await check(checks, `brox ${ball} ${generator} = cpu`, async () => {
        const o = { samples: 1 << 14, seed: 7, ball, generator } as const;
        const [g, c] = [await gpu.brox(f, x, 1, o), await cpu.brox(f, x, 1, o)];
        if (g.index !== c.index && !close(g.fun, c.fun)) throw new Error(`winner differs: gpu #${g.index} f=${g.fun}, cpu #${c.index} f=${c.fun}`);
        return `#${g.index} f=${g.fun.toPrecision(7)} (cpu #${c.index})`;
      });
    }
  }
  await check(checks, 'brox streaming d=100 = cpu', async () => {
    const f100 = getObjective('rastrigin', 100);
    const o = { samples: 1 << 12, seed: 3 };
    const [g, c] = [await gpu.brox(f100, new Array(100).fill(2.5), 1, o), await cpu.brox(f100, new Array(100).fill(2.5), 1, o)];
    if (g.index !== c.index && !close(g.fun, c.fun)) throw new Error(`winner differs: gpu #${g.index} f=${g.fun}, cpu #${c.index} f=${c.fun}`);
    return `#${g.index}`;
  });
  await check(checks, 'topk = cpu', async () => {
    const o = { ball: 'gaussian' as const, samples: 4096, k: 16, seed: 5 };
    const [g, c] = [await gpu.topk(f, x, 0.8, o), await cpu.topk(f, x, 0.8, o)];
    const same = g.indices.filter((i) => c.indices.includes(i)).length;
    if (same < 14) throw new Error(`only ${same}/16 of the top-k agree: gpu ${g.indices.slice(0, 4)}…, cpu ${c.indices.slice(0, 4)}…`);
    return `${same}/16 agree`;
  });
  await check(checks, 'moments = cpu', async () => {
    const o = { ball: 'gaussian' as const, samples: 4096, seed: 5, temperature: { relative: 0.5 }, second: 'diag' as const };
    const [g, c] = [await gpu.moments(f, x, 0.8, o), await cpu.moments(f, x, 0.8, o)];
    const err = Math.max(...g.mean.map((v, i) => Math.abs(v - c.mean[i])));
    if (err > 1e-3) throw new Error(`means differ by ${err}`);
    return `max |mean diff| ${err.toExponential(2)}, ess ${g.ess.toFixed(0)}`;
  });
  await check(checks, 'evaluate = cpu', async () => {
    const pts = [x, new Array(10).fill(0), new Array(10).fill(-1.25)];
    const [g, c] = [await gpu.evaluate(f, pts), await cpu.evaluate(f, pts)];
    if (!g.every((v, i) => close(v, c[i], 1e-5))) throw new Error(`values differ: gpu ${g}, cpu ${c}`);
    return g.map((v) => v.toPrecision(6)).join(' ');
  });
  await check(checks, 'bpm GPU-resident loop = step by step', async () => {
    const o = { radius: 1, samples: 1 << 12, seed: 1, maxIter: 20, oracle: gpu };
    const t0 = trips.submits;
    const r = await bpm('rastrigin', new Array(10).fill(50), { ...o, batch: 20 });
    const subs = trips.submits - t0;
    const s = await bpm('rastrigin', new Array(10).fill(50), { ...o, resident: false });
    if (r.nit !== s.nit || !close(r.fun, s.fun, 1e-4)) throw new Error(`resident ${r.nit} steps f=${r.fun}, step by step ${s.nit} steps f=${s.fun}`);
    return `${r.nit} steps, f=${r.fun.toPrecision(6)}, ${subs} submissions resident`;
  });
  await check(checks, 'minimize cma-es GPU-resident = target, one readback per batch', async () => {
    const r = await minimize('sphere', null, { dim: 6, method: 'cma-es', fTarget: 1e-6, seed: 2, oracle: gpu, history: false });
    const g = r.info?.gpu as { readbacks: number; resident: boolean } | undefined;
    if (r.status !== 'target-reached' || !g?.resident || g.readbacks > Math.ceil(r.nit / 64) + 4) throw new Error(`${r.status} f=${r.fun} nit=${r.nit} gpu=${JSON.stringify(g)}`);
    return `f=${r.fun.toPrecision(3)} nit=${r.nit} readbacks=${g.readbacks}`;
  });
  for (const method of methodNames()) {
    await check(checks, `minimize ${method}`, async () => {
      const r = await minimize('rastrigin', null, { dim: 4, method: method as MethodName, maxEvals: 1 << 15, seed: 2, oracle: gpu, history: false });
      if (!Number.isFinite(r.fun)) throw new Error(`f = ${r.fun}`);
      return `f=${r.fun.toPrecision(4)} nfev=${r.nfev} ${r.status}`;
    });
  }
  return checks;
}

interface UserRow {
  what: string;
  objective: string;
  d: number;
  backend: string;
  target: number;
  reached: boolean;
  status: string;
  fun: number;
  nfev: number;
  nit: number;
  ms: number;
  submits?: number;
  maps?: number;
  capped: boolean;
}

async function user(gpu: Oracle, cpu: Oracle): Promise<{ rows: UserRow[]; skipped: string[] }> {
  const rows: UserRow[] = [];
  const skipped: string[] = [];
  const dims = args.dims.split(',').map(Number);
  const methods = args.methods ? args.methods.split(',') : methodNames();
  const cap = Number(args['cap-s']) * 1e3;
  // the quality bench's cases (bench/quality/cases.ts): the scipy peer gets the same R, c and z*
  const { cases } = buildCases(['rastrigin', 'rosenbrock'], dims, ['base', 'sr']);
  const chosen = cases.filter((c) => (c.function === 'rastrigin' && c.variant === 'base') || (c.function === 'rosenbrock' && c.variant === 'sr'));
  const objectives = (d: number): Array<[string, Objective, number]> =>
    chosen.filter((c) => c.d === d).map((c) => [`${c.variant === 'sr' ? 'sr-' : ''}${c.function}`, c.objective(1), c.fStar + c.tol]);
  const budgetAt = (d: number) => (args.tiny ? 1 << 14 : d >= 100 ? 1 << 24 : 1 << 22);
  // bpm(): the GPU-resident loop against step by step, the same steps
  for (const d of dims) {
    const samples = args.tiny ? 1 << 10 : 1 << 20;
    // compile both loops' kernels first: the timed runs measure steps, not pipeline creation
    await bpm('rastrigin', new Array(d).fill(50), { radius: 1, samples, seed: 1, maxIter: 2, oracle: gpu, history: false } as Parameters<typeof bpm>[2]);
    await bpm('rastrigin', new Array(d).fill(50), { radius: 1, samples, seed: 1, maxIter: 2, oracle: gpu, resident: false, history: false } as Parameters<typeof bpm>[2]);
    for (const resident of [true, false]) {
      if (performance.now() > deadline) {
        skipped.push(`bpm() d=${d} resident=${resident}: run budget spent`);
        continue;
      }
      const s0 = { ...trips };
      const t0 = performance.now();
      const r = await bpm('rastrigin', new Array(d).fill(50), { radius: 1, samples, seed: 1, maxIter: 100, oracle: gpu, resident, batch: 100, history: false } as Parameters<typeof bpm>[2]);
      rows.push({ what: `bpm() 100 steps of 2^${Math.log2(samples)} ${resident ? 'GPU-resident' : 'step by step'}`, objective: 'rastrigin', d, backend: 'webgpu', target: NaN, reached: false, status: r.status, fun: r.fun, nfev: r.nfev, nit: r.nit, ms: performance.now() - t0, submits: trips.submits - s0.submits, maps: trips.maps - s0.maps, capped: false });
      log(`bpm() d=${d} ${resident ? 'resident' : 'step by step'}: ${(performance.now() - t0).toFixed(0)} ms`);
    }
  }
  for (const d of dims) {
    for (const [name, obj, target] of objectives(d)) {
      for (const method of methods) {
        const forms: Array<[string, Oracle, boolean]> = [['webgpu', gpu, true], ['cpu', cpu, true]];
        if (method === 'cma-es') forms.splice(1, 0, ['webgpu step by step', gpu, false]);
        for (const [backend, oracle, resident] of forms) {
          if (performance.now() > deadline - 25e3) { // the last 25 s are scipy's
            skipped.push(`${method} ${name} d=${d} ${backend}: run budget spent`);
            continue;
          }
          const s0 = { ...trips };
          const t0 = performance.now();
          const stopAt = t0 + (d >= 100 ? 2 * cap : cap);
          let capped = false;
          try {
            const r = await minimize(obj, null, {
              method: method as MethodName, seed: 1, oracle, resident, fTarget: target, history: false, maxEvals: budgetAt(d),
              callback: () => (performance.now() > stopAt ? (capped = true) : false),
            });
            const ms = performance.now() - t0;
            const g = r.info?.gpu as { resident?: boolean; readbacks?: number } | undefined;
            rows.push({ what: `minimize ${method}${g?.resident ? ' (GPU-resident)' : ''}`, objective: name, d, backend, target, reached: r.fun <= target, status: r.status, fun: r.fun, nfev: r.nfev, nit: r.nit, ms, capped,
              ...(backend.startsWith('webgpu') ? { submits: trips.submits - s0.submits, maps: trips.maps - s0.maps } : {}) });
            log(`${method} ${name} d=${d} ${backend}: f=${r.fun.toPrecision(4)} ${r.status}${capped ? ' (time cap)' : ''} nfev=${r.nfev} nit=${r.nit} ${ms.toFixed(0)} ms`);
          } catch (e) {
            skipped.push(`${method} ${name} d=${d} ${backend}: threw ${(e as Error).message}`);
            log(`FAIL ${method} ${name} d=${d} ${backend}: ${(e as Error).stack}`);
          }
        }
      }
    }
  }
  // the CPU peer: scipy (differential_evolution, dual_annealing) on this machine's CPU, d = 10 only
  // (at d = 100 one scipy run takes minutes); same starts, bounds, budget and variant data
  const python = process.env.BROX_PYTHON ?? 'python3';
  const probe = probeScipy(python);
  const small = chosen.filter((c) => c.d === Math.min(...dims));
  if (!probe.ok) skipped.push(`scipy: ${probe.why}`);
  else if (performance.now() > deadline) skipped.push('scipy: run budget spent');
  else {
    try {
      for (const r of await runScipy(python, small.map((c) => ({ c, seed: 1, budget: budgetAt(c.d) })), log)) {
        const c = small.find((q) => q.id === r.caseId)!;
        rows.push({ what: r.method, objective: `${c.variant === 'sr' ? 'sr-' : ''}${c.function}`, d: c.d, backend: `cpu (scipy ${probe.version})`, target: c.fStar + c.tol, reached: r.success, status: r.status, fun: r.fun ?? NaN, nfev: r.nfev, nit: 0, ms: r.ms, capped: false });
      }
    } catch (e) {
      skipped.push(`scipy: ${(e as Error).message}`);
    }
  }
  return { rows, skipped };
}

const opened = await open();
const env = { date: new Date().toISOString(), node: process.version, cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}` };
if (typeof opened === 'string') {
  log(`FAIL: ${opened}`);
  console.log(JSON.stringify({ schema: 1, ...env, ok: false, reason: opened, adapter: null }));
  process.exit(3);
}
const { device, adapter, features, limits } = opened;
log(`adapter: ${describeAdapter(adapter)}; features: ${features.join(' ')}`);
if (adapter.software && !allowSoftware) {
  const reason = `software adapter (${describeAdapter(adapter)}): its timings are not GPU timings (BROX_GPU_ALLOW_SOFTWARE=1 measures anyway)`;
  log(`FAIL: ${reason}`);
  console.log(JSON.stringify({ schema: 1, ...env, ok: false, reason, adapter, features, limits }));
  process.exit(3);
}
countTrips(device);
const tuning = await cachedTuning(device, adapter);
log(`tuning: wg ${tuning.best.wg}, ${tuning.best.samplesPerThread} samples/thread${tuning.cached ? ' (cached)' : ''}`);
const gpu = createWebGpuOracle({ device, ownsDevice: false, adapterInfo: adapter, reason: 'gpu bench', tuning: tuning.best });
const cpu = createCpuOracle('gpu bench', { threads: await defaultThreads() });
let ok = true;
const out: Record<string, unknown> = { schema: 1, ...env, adapter, features, limits, tuning: tuning.best };
if (args.smoke) {
  const checks = await smoke(gpu, cpu);
  ok = checks.every((c) => c.ok);
  out.smoke = { ok, checks };
}
if (args.user) {
  const u = await user(gpu, cpu);
  out.user = u;
  if (u.skipped.some((s) => s.includes('threw'))) ok = false;
}
out.ok = ok;
gpu.destroy();
cpu.destroy();
device.destroy();
opened.release();
if (args.json) console.log(JSON.stringify(out, null, 2));
else console.log(`${ok ? 'ok' : 'FAILED'}: ${describeAdapter(adapter)}`);
process.exit(ok ? 0 : 1);
