// `npm run bench:leaks`: the leak check of issue 10 ("no leaks: GPU buffers and pipelines counted,
// back to the start value after 10,000 calls; RSS stable within a stated bound").
//
// On WebGPU (Dawn; SwiftShader without a GPU) and on the CPU backend, N mixed calls (default 10,000:
// brox with/without bounds and refinement rounds and three ball kinds, topk, moments with 'full' and
// 'diag' second moments, evaluate; tiny sample counts) after a warm-up of two rounds of the mix.
// Every --every calls (default 1,000) it records
//   - engine.stats(): live buffers and bytes made through GpuEngine.buffer (WebGPU);
//   - the device's own counts, from a wrapper around the GPUDevice: live GPUBuffers (created minus
//     destroyed, including any not made through the engine, e.g. the timestamp timer's), shader
//     modules and compute pipelines created, bind groups created (per call, not a leak by itself);
//   - process RSS and V8 heap after a full GC (run node with --expose-gc; without it the RSS
//     figure is noisier and says so).
// Pipelines: the engine keeps them in a module-level WeakMap (src/engine/engine.ts, LRU-bounded by
// MAX_MODULES) that cannot be reached from outside src/, so "pipelines" here are the modules and
// pipelines *created* on the device: after warm-up they must stay at the warm-up value (every call
// hits the cache). Prints a table and a JSON report (also to --out when given); exits 1 if any
// buffer count or byte count differs from its warm-up value, any module/pipeline is created after
// warm-up, or RSS grows by more than --rss-bound-mb (default 64) over the run.
// Built into dist/leaks.js by vite.config.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SWIFTSHADER_ICD, acquireGpu, createCpuOracle, createWebGpuOracle, getObjective, summarizeAdapter, wantedFeatures, type Oracle } from '../src/internal';

/** Counts of what a GPUDevice created, kept by wrapping its factory methods. */
export interface DeviceCounts {
  /** GPUBuffers created and not destroyed. */
  liveBuffers: number;
  liveBytes: number;
  shaderModules: number;
  pipelines: number;
  bindGroups: number;
}

/**
 * Wraps the device's createBuffer / createShaderModule / createComputePipeline(Async) /
 * createBindGroup (own properties on this device object; the prototype is untouched) and returns
 * a function reading the counts.
 */
export function instrumentDevice(device: GPUDevice): () => DeviceCounts {
  const c: DeviceCounts = { liveBuffers: 0, liveBytes: 0, shaderModules: 0, pipelines: 0, bindGroups: 0 };
  const d = device as unknown as Record<string, unknown>;
  const createBuffer = device.createBuffer.bind(device);
  d.createBuffer = (desc: GPUBufferDescriptor) => {
    const b = createBuffer(desc);
    c.liveBuffers++;
    c.liveBytes += b.size;
    const destroy = b.destroy.bind(b);
    let gone = false;
    (b as unknown as Record<string, unknown>).destroy = () => {
      if (!gone) {
        gone = true;
        c.liveBuffers--;
        c.liveBytes -= b.size;
      }
      destroy();
    };
    return b;
  };
  const createShaderModule = device.createShaderModule.bind(device);
  d.createShaderModule = (desc: GPUShaderModuleDescriptor) => {
    c.shaderModules++;
    return createShaderModule(desc);
  };
  const createPipelineAsync = device.createComputePipelineAsync.bind(device);
  d.createComputePipelineAsync = (desc: GPUComputePipelineDescriptor) => {
    c.pipelines++;
    return createPipelineAsync(desc);
  };
  const createPipeline = device.createComputePipeline.bind(device);
  d.createComputePipeline = (desc: GPUComputePipelineDescriptor) => {
    c.pipelines++;
    return createPipeline(desc);
  };
  const createBindGroup = device.createBindGroup.bind(device);
  d.createBindGroup = (desc: GPUBindGroupDescriptor) => {
    c.bindGroups++;
    return createBindGroup(desc);
  };
  return () => ({ ...c });
}

const OBJ = {
  ackley3: getObjective('ackley', 3),
  rastrigin4: getObjective('rastrigin', 4),
  sphere3: getObjective('sphere', 3),
  rosenbrock5: getObjective('rosenbrock', 5),
  levy2: getObjective('levy', 2),
};
/** Kinds of call in the mix, one per call in turn. */
export const MIX = ['brox', 'brox+bounds+rounds', 'topk', 'moments', 'evaluate', 'brox-linf+rounds', 'moments-diag+bounds', 'brox-l1'] as const;

/** Call i of the mix (tiny sample counts; seed and call counter vary with i). */
export async function mixedCall(o: Oracle, i: number): Promise<void> {
  const call = i % 1_000_003;
  switch (MIX[i % MIX.length]) {
    case 'brox':
      await o.brox(OBJ.ackley3, [1, 1, 1], 0.5, { samples: 256, call });
      break;
    case 'brox+bounds+rounds':
      await o.brox(OBJ.ackley3, [1, 1, 1], 0.5, { samples: 256, call, rounds: 3, bounds: [-2, 2] });
      break;
    case 'topk':
      await o.topk(OBJ.rastrigin4, [0.5, 0.5, 0.5, 0.5], 1, { samples: 256, k: 8, call });
      break;
    case 'moments':
      await o.moments(OBJ.sphere3, [1, 2, 3], 0.5, { samples: 128, temperature: { relative: 0.5 }, second: 'full', call });
      break;
    case 'evaluate':
      await o.evaluate(OBJ.rosenbrock5, Array.from({ length: 16 }, (_, r) => [r / 16, 1, 0, -1, 0.5]));
      break;
    case 'brox-linf+rounds':
      await o.brox(OBJ.levy2, [2, -1], 1, { samples: 512, call, ball: 'linf', rounds: 2, seed: i % 7 });
      break;
    case 'moments-diag+bounds':
      await o.moments(OBJ.rastrigin4, [0.5, 0.5, 0.5, 0.5], 0.3, { samples: 200, temperature: 1, second: 'diag', call, bounds: [-1, 1] });
      break;
    case 'brox-l1':
      await o.brox(OBJ.sphere3, [1, 2, 3], 0.5, { samples: 300, call, ball: 'l1', offset: 2 ** 32 - 100 });
      break;
  }
}

export const gc = (): boolean => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) return false;
  g();
  g();
  return true;
};

export interface Checkpoint {
  calls: number;
  ms: number;
  rssMB: number;
  heapMB: number;
  engine?: { buffers: number; bytes: number };
  device?: DeviceCounts;
}

const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

export function checkpoint(calls: number, t0: number, engine?: { stats(): { buffers: number; bytes: number } }, device?: () => DeviceCounts): Checkpoint {
  gc();
  const m = process.memoryUsage();
  return { calls, ms: Math.round(performance.now() - t0), rssMB: mb(m.rss), heapMB: mb(m.heapUsed), engine: engine?.stats(), device: device?.() };
}

export interface BackendReport {
  backend: 'webgpu' | 'cpu';
  device: string;
  calls: number;
  warmup: number;
  checkpoints: Checkpoint[];
  rssGrowthMB: number;
  /** Largest RSS over the checkpoints minus the first. */
  rssPeakGrowthMB: number;
  failures: string[];
}

/** Runs `calls` mixed calls after a warm-up, checkpointing every `every` calls. */
export async function runLeakCheck(o: Oracle, opts: { calls: number; every: number; rssBoundMB: number; warmup?: number; device?: () => DeviceCounts; label: string; onCheckpoint?: (c: Checkpoint) => void; afterCall?: (i: number) => void }): Promise<BackendReport> {
  const warmup = opts.warmup ?? 2 * MIX.length;
  for (let i = 0; i < warmup; i++) await mixedCall(o, i);
  const t0 = performance.now();
  const cps: Checkpoint[] = [checkpoint(0, t0, o.engine, opts.device)];
  opts.onCheckpoint?.(cps[0]);
  for (let i = 1; i <= opts.calls; i++) {
    await mixedCall(o, warmup + i);
    opts.afterCall?.(i);
    if (i % opts.every === 0 || i === opts.calls) {
      cps.push(checkpoint(i, t0, o.engine, opts.device));
      opts.onCheckpoint?.(cps[cps.length - 1]);
    }
  }
  const first = cps[0];
  const last = cps[cps.length - 1];
  const failures: string[] = [];
  if (first.engine && JSON.stringify(last.engine) !== JSON.stringify(first.engine)) failures.push(`engine buffers ${JSON.stringify(first.engine)} -> ${JSON.stringify(last.engine)}`);
  if (first.device && last.device) {
    const f = first.device;
    const l = last.device;
    if (l.liveBuffers !== f.liveBuffers || l.liveBytes !== f.liveBytes) failures.push(`device live buffers ${f.liveBuffers} (${f.liveBytes} B) -> ${l.liveBuffers} (${l.liveBytes} B)`);
    if (l.shaderModules !== f.shaderModules) failures.push(`shader modules created after warm-up: ${l.shaderModules - f.shaderModules}`);
    if (l.pipelines !== f.pipelines) failures.push(`compute pipelines created after warm-up: ${l.pipelines - f.pipelines}`);
  }
  const rssGrowthMB = Math.round((last.rssMB - first.rssMB) * 10) / 10;
  const rssPeakGrowthMB = Math.round((Math.max(...cps.map((c) => c.rssMB)) - first.rssMB) * 10) / 10;
  if (rssGrowthMB > opts.rssBoundMB) failures.push(`RSS grew ${rssGrowthMB} MB > bound ${opts.rssBoundMB} MB`);
  return { backend: o.backend, device: opts.label, calls: opts.calls, warmup, checkpoints: cps, rssGrowthMB, rssPeakGrowthMB, failures };
}

function row(c: Checkpoint): string {
  const e = c.engine ? `${c.engine.buffers} / ${c.engine.bytes}` : '-';
  const d = c.device ? `${c.device.liveBuffers} / ${c.device.liveBytes}` : '-';
  const p = c.device ? `${c.device.shaderModules} / ${c.device.pipelines}` : '-';
  const bg = c.device ? String(c.device.bindGroups) : '-';
  return `| ${c.calls} | ${e} | ${d} | ${p} | ${bg} | ${c.rssMB} | ${c.heapMB} | ${(c.ms / 1000).toFixed(1)} |`;
}
export const TABLE_HEAD = '| calls | engine buffers / bytes | device live buffers / bytes | modules / pipelines created | bind groups created | RSS MB | heap MB | s |\n|---:|---|---|---|---:|---:|---:|---:|';

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      calls: { type: 'string', default: '10000' },
      every: { type: 'string', default: '1000' },
      backends: { type: 'string', default: 'webgpu,cpu' },
      'rss-bound-mb': { type: 'string', default: '64' },
      out: { type: 'string' },
    },
  });
  const calls = Number(a.calls);
  const every = Number(a.every);
  const rssBoundMB = Number(a['rss-bound-mb']);
  if (!(calls >= 1 && every >= 1 && rssBoundMB > 0)) {
    console.error('usage: npm run bench:leaks -- [--calls 10000] [--every 1000] [--backends webgpu,cpu] [--rss-bound-mb 64] [--out path.json]');
    process.exit(2);
  }
  const hasGc = gc();
  if (!hasGc) console.error('bench:leaks: global.gc is unavailable (run node --expose-gc): RSS figures include uncollected garbage');
  const reports: BackendReport[] = [];
  for (const backend of a.backends!.split(',')) {
    if (backend === 'webgpu') {
      if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
      const { handle, why } = await acquireGpu();
      if (!handle) throw new Error(`no WebGPU: ${why}`);
      const adapter = await handle.gpu.requestAdapter();
      if (!adapter) throw new Error('no WebGPU adapter');
      const device = await adapter.requestDevice({ requiredFeatures: wantedFeatures(adapter) });
      const counts = instrumentDevice(device);
      const info = summarizeAdapter(adapter.info);
      const label = `${info.vendor} ${info.architecture} ${info.description}`.replace(/\s+/g, ' ').trim();
      const o = createWebGpuOracle({ device, ownsDevice: false, adapterInfo: info, reason: 'bench:leaks' });
      console.log(`\nWebGPU (${label}): ${calls} calls after a warm-up of ${2 * MIX.length}\n${TABLE_HEAD}`);
      const r = await runLeakCheck(o, { calls, every, rssBoundMB, device: counts, label, onCheckpoint: (c) => console.log(row(c)) });
      o.destroy();
      const after = counts();
      if (o.engine.stats().buffers !== 0) r.failures.push(`engine buffers after destroy(): ${JSON.stringify(o.engine.stats())}`);
      // the timestamp timer's two buffers are the device-level ones the engine does not count
      console.log(`after destroy(): engine ${JSON.stringify(o.engine.stats())}, device live buffers ${after.liveBuffers} (${after.liveBytes} B)`);
      if (after.liveBuffers !== 0) r.failures.push(`device live buffers after destroy(): ${after.liveBuffers}`);
      reports.push(r);
      device.destroy();
      handle.release();
    } else if (backend === 'cpu') {
      const o = createCpuOracle('bench:leaks');
      console.log(`\nCPU (${cpus()[0]?.model ?? '?'}, 1 thread): ${calls} calls after a warm-up of ${2 * MIX.length}\n${TABLE_HEAD}`);
      const r = await runLeakCheck(o, { calls, every, rssBoundMB, label: 'cpu', onCheckpoint: (c) => console.log(row(c)) });
      o.destroy();
      reports.push(r);
    } else {
      console.error(`bench:leaks: unknown backend '${backend}'`);
      process.exit(2);
    }
  }
  const failures = reports.flatMap((r) => r.failures.map((f) => `${r.backend}: ${f}`));
  const json = { schema: 'brox-leaks/1', date: new Date().toISOString(), node: process.version, platform: platform(), cpu: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`, gc: hasGc, calls, every, rssBoundMB, mix: MIX, reports, ok: failures.length === 0, failures };
  console.log('\n' + JSON.stringify(json));
  if (a.out) {
    const p = resolve(a.out);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, JSON.stringify(json, null, 2) + '\n');
  }
  for (const r of reports) console.log(`${r.backend}: RSS ${r.checkpoints[0].rssMB} -> ${r.checkpoints[r.checkpoints.length - 1].rssMB} MB (growth ${r.rssGrowthMB} MB, peak +${r.rssPeakGrowthMB} MB, bound ${rssBoundMB} MB)`);
  if (failures.length) {
    console.error(`bench:leaks: FAILED\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('bench:leaks: ok');
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
