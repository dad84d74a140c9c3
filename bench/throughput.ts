// `npm run bench`: throughput of one oracle call (rastrigin, l2 ball) on every backend available.
// node:util parseArgs rather than commander so dist/bench.js runs with nothing but Node and Dawn
// (the GPU machine recipe in ../shared/gpu carries only dist/ and the `webgpu` addon).
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { SWIFTSHADER_ICD } from '../src/gpu/acquire';
import { describeAdapter, type AdapterSummary } from '../src/gpu/adapter';
import { getObjective } from '../src/objectives/registry';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';

interface Row {
  backend: string;
  adapter: AdapterSummary | null;
  objective: string;
  d: number;
  samples: number;
  repeats: number;
  msMedian: number;
  samplesPerSec: number;
  coordEvalsPerSec: number;
}

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    dims: { type: 'string', default: '2,10,100' },
    backends: { type: 'string', default: 'cpu,webgpu' },
    samples: { type: 'string' },
    repeats: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm run bench -- [--json] [--dims 2,10,100] [--backends cpu,webgpu] [--samples N] [--repeats R]
Measures one oracle call of rastrigin on each backend; WebGPU uses whatever adapter Dawn finds
(set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json for SwiftShader, a CPU).`);
  process.exit(0);
}
const dims = args.dims.split(',').map(Number);
const repeats = Number(args.repeats);

/** Samples per call: enough for ~0.1-1 s on the backend, so launch overhead does not dominate. */
function samplesFor(fast: boolean, d: number): number {
  if (args.samples) return Number(args.samples);
  const perCall = fast ? 2 ** 26 : 2 ** 20; // coordinate evaluations
  return 2 ** Math.round(Math.log2(perCall / Math.max(2, d)));
}

async function measure(oracle: Oracle, d: number, samples: number): Promise<Row> {
  const obj = getObjective('rastrigin', d);
  const x = new Array<number>(d).fill(2.5);
  await oracle.brox(obj, x, 1, { samples: Math.min(samples, 4096), seed: 1 }); // compile + warm up
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await oracle.brox(obj, x, 1, { samples, seed: 1, call: r });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const med = ms[Math.floor(ms.length / 2)];
  const sps = samples / (med / 1e3);
  return { backend: oracle.backend, adapter: oracle.adapterInfo, objective: 'rastrigin', d, samples, repeats, msMedian: med, samplesPerSec: sps, coordEvalsPerSec: sps * d };
}

const rows: Row[] = [];
const notes: string[] = [];
const wanted = args.backends.split(',');
if (wanted.includes('cpu')) {
  const cpu = createCpuOracle();
  for (const d of dims) rows.push(await measure(cpu, d, samplesFor(false, d)));
}
if (wanted.includes('webgpu')) {
  let gpu: Oracle | null = null;
  try {
    gpu = await createOracle({ backend: 'webgpu' });
  } catch (e) {
    // No hardware adapter: measure SwiftShader (labelled software) rather than nothing.
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
      gpu = await createOracle({ backend: 'webgpu' }).catch(() => null);
    }
    if (!gpu) notes.push(`webgpu: not measured: ${(e as Error).message}`);
  }
  if (gpu) {
    const fast = !gpu.adapterInfo?.software;
    for (const d of dims) rows.push(await measure(gpu, d, samplesFor(fast, d)));
    gpu.destroy();
  }
}

const env = { date: new Date().toISOString(), node: process.version, cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}` };
if (args.json) {
  console.log(JSON.stringify({ schema: 1, ...env, rows, notes }, null, 2));
} else {
  console.log(`brox bench: one oracle call, rastrigin, uniform l2 ball; median of ${repeats}  (${env.date}, node ${env.node}, ${env.cpu})`);
  const adapters = new Set(rows.filter((r) => r.adapter).map((r) => describeAdapter(r.adapter!)));
  for (const a of adapters) console.log(`webgpu adapter: ${a}`);
  console.log(['backend', 'd', 'samples', 'ms', 'samples/s', 'coord-evals/s'].map((h, i) => (i < 1 ? h.padEnd(8) : h.padStart(14))).join(''));
  for (const r of rows) {
    console.log(
      [r.backend.padEnd(8), String(r.d).padStart(14), String(r.samples).padStart(14), r.msMedian.toFixed(1).padStart(14), r.samplesPerSec.toExponential(3).padStart(14), r.coordEvalsPerSec.toExponential(3).padStart(14)].join(''),
    );
  }
  for (const n of notes) console.log(n);
}
