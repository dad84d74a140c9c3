// `npm run bench:resident`: what the resident executor saves, per method, on the adapter at hand.
// For each method at each d: one minimize() run on WebGPU step by step and one resident (methods
// without a resident form run step by step both times, and say so), the same seed and budget, no
// target (so both spend the budget): generations, GPU submissions and readbacks (info.gpu), wall
// time, time per generation and the ratio, measured in the same process. Pipelines are compiled by
// a warm-up run first. node:util parseArgs so dist/resident.js runs with Node and Dawn alone.
// Then runs: B — B runs in one minimize() call against the same B runs as B calls in sequence
// (both resident, the same seeds and budgets, at the first d), per method with a resident form:
// wall times, readbacks and the ratio. Where the adapter has timestamp queries, resident rows also
// print the GPU time of their batches (info.gpu.gpuMs) and its share of the wall time: what is left
// is round trips and host work.
// bpm runs with plain steps (what bpm() runs, BENCH_PARAMS): its default steps (polished mixed
// balls, adaptive radius) have no resident form and would run step by step both times.
import { parseArgs } from 'node:util';
import { createOracle, describeAdapter, methodNames, methods, minimize, type MethodName } from '../src/internal';

const { values: args } = parseArgs({
  options: {
    dims: { type: 'string', default: '10,100' },
    methods: { type: 'string' },
    evals: { type: 'string', default: String(2 ** 16) },
    objective: { type: 'string', default: 'rastrigin' },
    runs: { type: 'string', default: '64' },
    'runs-evals': { type: 'string', default: String(2 ** 13) },
    json: { type: 'boolean', default: false },
  },
});
const dims = args.dims.split(',').map(Number);
const names = args.methods ? args.methods.split(',') : methodNames();
const budget = Number(args.evals);
const B = Number(args.runs);
const runsBudget = Number(args['runs-evals']);
if (!dims.every((d) => Number.isInteger(d) && d >= 1) || !Number.isInteger(budget) || budget < 2 || !Number.isInteger(B) || B < 0 || !Number.isInteger(runsBudget) || runsBudget < 2) {
  process.stderr.write('brox bench:resident: --dims must be positive integers, --evals and --runs-evals integers >= 2, --runs an integer >= 0 (0: no runs section)\n');
  process.exit(2);
}
for (const n of names) {
  if (!Object.hasOwn(methods, n)) {
    process.stderr.write(`brox bench:resident: --methods: unknown '${n}'; allowed: ${methodNames().join(', ')}\n`);
    process.exit(2);
  }
}

const oracle = await createOracle({ backend: 'webgpu' }).catch((e: Error) => {
  process.stderr.write(`brox bench:resident: no WebGPU adapter: ${e.message}\n`);
  process.exit(1);
});
interface Row {
  method: string;
  d: number;
  executor: 'step by step' | 'resident';
  generations: number;
  nfev: number;
  submissions: number;
  readbacks: number;
  ms: number;
  msPerGeneration: number;
  /** GPU time of the resident batches (timestamps); null without them or step by step. */
  gpuMs: number | null;
  fun: number;
  /** The method has no resident form: its 'resident' row repeats the step-by-step run. */
  noForm?: boolean;
}
/** Method parameters of the bench (absent: the method's defaults). */
const BENCH_PARAMS: Partial<Record<string, Record<string, unknown>>> = {
  bpm: { polish: 0, shape: 'none', ball: 'l2', schedule: 'geometric', decay: 0.9, minRatio: 1e-3, restarts: true, samples: 4096, certificate: false },
};
const rows: Row[] = [];
for (const d of dims) {
  for (const method of names) {
    const opts = { dim: d, method: method as MethodName, seed: 1, maxEvals: budget, oracle, history: false, params: BENCH_PARAMS[method] } as const;
    await minimize(args.objective, null, { ...opts, maxEvals: Math.min(budget, 4096) }); // compile the resident kernels
    await minimize(args.objective, null, { ...opts, maxEvals: Math.min(budget, 4096), resident: false }); // and the step-by-step ones
    for (const resident of [false, true]) {
      const t0 = performance.now();
      const r = await minimize(args.objective, null, { ...opts, resident });
      const ms = performance.now() - t0;
      const g = r.info!.gpu as { submissions: number; readbacks: number; resident: boolean; gpuMs: number | null };
      if (resident && !g.resident) {
        rows.push({ ...rows[rows.length - 1], executor: 'resident', noForm: true });
        process.stderr.write(`${method} d=${d}: ${methods[method].resident ? 'not resident (the budget pays less than one population, or the form does not take this configuration)' : 'no resident form'} (step by step both times)\n`);
        continue;
      }
      rows.push({ method, d, executor: resident ? 'resident' : 'step by step', generations: r.nit, nfev: r.nfev, submissions: g.submissions, readbacks: g.readbacks, ms, msPerGeneration: ms / Math.max(1, r.nit), gpuMs: resident ? g.gpuMs : null, fun: r.fun });
      process.stderr.write(`${method} d=${d} ${resident ? 'resident' : 'step by step'}: ${r.nit} generations, ${g.readbacks} readbacks, ${ms.toFixed(0)} ms\n`);
    }
  }
}
interface RunsRow {
  method: string;
  d: number;
  runs: number;
  oneCallMs: number;
  oneCallReadbacks: number;
  oneCallGpuMs: number | null;
  oneCallDispatches: number;
  sequenceMs: number;
  sequenceReadbacks: number;
  sequenceDispatches: number;
  best: number;
}
const runsRows: RunsRow[] = [];
if (B > 0) {
  const d = dims[0];
  for (const method of names.filter((m) => methods[m].resident)) {
    const opts = { dim: d, method: method as MethodName, seed: 1, maxEvals: runsBudget, oracle, history: false, params: BENCH_PARAMS[method] } as const;
    await minimize(args.objective, null, { ...opts, runs: 2 }); // compile
    let t0 = performance.now();
    const one = await minimize(args.objective, null, { ...opts, runs: B });
    const oneCallMs = performance.now() - t0;
    t0 = performance.now();
    let sequenceReadbacks = 0;
    let sequenceDispatches = 0;
    for (let r = 0; r < B; r++) {
      const g = (await minimize(args.objective, null, { ...opts, seed: 1 + r })).info!.gpu as { readbacks: number; dispatches: number };
      sequenceReadbacks += g.readbacks;
      sequenceDispatches += g.dispatches;
    }
    const sequenceMs = performance.now() - t0;
    const og = one.info!.gpu as { readbacks: number; dispatches: number; gpuMs: number | null; resident: boolean };
    runsRows.push({ method, d, runs: B, oneCallMs, oneCallReadbacks: og.readbacks, oneCallGpuMs: og.resident ? og.gpuMs : null, oneCallDispatches: og.dispatches, sequenceMs, sequenceReadbacks, sequenceDispatches, best: one.fun });
    process.stderr.write(`${method} d=${d}: ${B} runs in one call ${oneCallMs.toFixed(0)} ms, in sequence ${sequenceMs.toFixed(0)} ms\n`);
  }
}
/** GPU ms and its share of the wall time ('–': no timestamps, or a step-by-step row). */
function gpuCell(gpuMs: number | null, wallMs: number): string {
  return gpuMs === null ? '–' : `${gpuMs.toFixed(1)} (${((100 * gpuMs) / wallMs).toFixed(0)} %)`;
}
const adapter = oracle.adapterInfo;
oracle.destroy();
if (args.json) {
  console.log(JSON.stringify({ schema: 2, date: new Date().toISOString(), adapter, objective: args.objective, budget, params: BENCH_PARAMS, rows, runsBudget, runs: runsRows }, null, 2));
} else {
  console.log(`brox bench:resident: ${args.objective}, ${budget} evaluations per run, seed 1, no target; adapter ${adapter ? describeAdapter(adapter) : 'none'}; bpm: plain steps ${JSON.stringify(BENCH_PARAMS.bpm)}`);
  console.log('| method | d | executor | generations | readbacks | submissions | ms | ms/generation | step-by-step / resident | GPU ms (share of wall) | f |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const sbs = rows.find((q) => q.method === r.method && q.d === r.d && q.executor === 'step by step')!;
    const ratio = r.executor !== 'resident' ? '' : r.noForm ? (methods[r.method].resident ? 'not resident here' : 'no resident form') : `${(sbs.msPerGeneration / r.msPerGeneration).toFixed(2)}x`;
    console.log(`| ${r.method} | ${r.d} | ${r.executor} | ${r.generations} | ${r.readbacks} | ${r.submissions} | ${r.ms.toFixed(0)} | ${r.msPerGeneration.toFixed(3)} | ${ratio} | ${gpuCell(r.gpuMs, r.ms)} | ${r.fun.toPrecision(4)} |`);
  }
}
if (!args.json && runsRows.length) {
  console.log('');
  console.log(`runs: ${B} runs of ${runsBudget} evaluations each (seeds 1..${B}), resident: one call with runs: ${B} against ${B} calls in sequence`);
  console.log('| method | d | runs | one call ms | one call readbacks | one call dispatches | one call GPU ms (share) | in sequence ms | in sequence readbacks | in sequence dispatches | sequence / one call | best f |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runsRows) console.log(`| ${r.method} | ${r.d} | ${r.runs} | ${r.oneCallMs.toFixed(0)} | ${r.oneCallReadbacks} | ${r.oneCallDispatches} | ${gpuCell(r.oneCallGpuMs, r.oneCallMs)} | ${r.sequenceMs.toFixed(0)} | ${r.sequenceReadbacks} | ${r.sequenceDispatches} | ${(r.sequenceMs / r.oneCallMs).toFixed(2)}x | ${r.best.toPrecision(4)} |`);
}
