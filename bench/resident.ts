// `npm run bench:resident`: what the resident executor saves, per method, on the adapter at hand.
// For each method at each d: one minimize() run on WebGPU step by step and one resident (methods
// without a resident form run step by step both times, and say so), the same seed and budget, no
// target (so both spend the budget): generations, GPU submissions and readbacks (info.gpu), wall
// time, time per generation and the ratio, measured in the same process. Pipelines are compiled by
// a warm-up run first. node:util parseArgs so dist/resident.js runs with Node and Dawn alone.
import { parseArgs } from 'node:util';
import { describeAdapter } from '../src/gpu/adapter';
import { minimize } from '../src/methods/minimize';
import type { MethodName } from '../src/methods/minimize-types';
import { methodNames, methods } from '../src/methods/registry';
import { createOracle } from '../src/oracle/create';

const { values: args } = parseArgs({
  options: {
    dims: { type: 'string', default: '10,100' },
    methods: { type: 'string' },
    evals: { type: 'string', default: String(2 ** 16) },
    objective: { type: 'string', default: 'rastrigin' },
    json: { type: 'boolean', default: false },
  },
});
const dims = args.dims.split(',').map(Number);
const names = args.methods ? args.methods.split(',') : methodNames();
const budget = Number(args.evals);
if (!dims.every((d) => Number.isInteger(d) && d >= 1) || !Number.isInteger(budget) || budget < 2) {
  process.stderr.write('brox bench:resident: --dims must be positive integers and --evals an integer >= 2\n');
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
  fun: number;
  /** The method has no resident form: its 'resident' row repeats the step-by-step run. */
  noForm?: boolean;
}
const rows: Row[] = [];
for (const d of dims) {
  for (const method of names) {
    const opts = { dim: d, method: method as MethodName, seed: 1, maxEvals: budget, oracle, history: false } as const;
    await minimize(args.objective, null, { ...opts, maxEvals: Math.min(budget, 4096) }); // compile the resident kernels
    await minimize(args.objective, null, { ...opts, maxEvals: Math.min(budget, 4096), resident: false }); // and the step-by-step ones
    for (const resident of [false, true]) {
      const t0 = performance.now();
      const r = await minimize(args.objective, null, { ...opts, resident });
      const ms = performance.now() - t0;
      const g = r.info!.gpu as { submissions: number; readbacks: number; resident: boolean };
      if (resident && !g.resident) {
        rows.push({ ...rows[rows.length - 1], executor: 'resident', noForm: true });
        process.stderr.write(`${method} d=${d}: no resident form (step by step both times)\n`);
        continue;
      }
      rows.push({ method, d, executor: resident ? 'resident' : 'step by step', generations: r.nit, nfev: r.nfev, submissions: g.submissions, readbacks: g.readbacks, ms, msPerGeneration: ms / Math.max(1, r.nit), fun: r.fun });
      process.stderr.write(`${method} d=${d} ${resident ? 'resident' : 'step by step'}: ${r.nit} generations, ${g.readbacks} readbacks, ${ms.toFixed(0)} ms\n`);
    }
  }
}
const adapter = oracle.adapterInfo;
oracle.destroy();
if (args.json) {
  console.log(JSON.stringify({ schema: 1, date: new Date().toISOString(), adapter, objective: args.objective, budget, rows }, null, 2));
} else {
  console.log(`brox bench:resident: ${args.objective}, ${budget} evaluations per run, seed 1, no target; adapter ${adapter ? describeAdapter(adapter) : 'none'}`);
  console.log('| method | d | executor | generations | readbacks | submissions | ms | ms/generation | step-by-step / resident | f |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const sbs = rows.find((q) => q.method === r.method && q.d === r.d && q.executor === 'step by step')!;
    const ratio = r.executor !== 'resident' ? '' : r.noForm ? 'no resident form' : `${(sbs.msPerGeneration / r.msPerGeneration).toFixed(2)}x`;
    console.log(`| ${r.method} | ${r.d} | ${r.executor} | ${r.generations} | ${r.readbacks} | ${r.submissions} | ${r.ms.toFixed(0)} | ${r.msPerGeneration.toFixed(3)} | ${ratio} | ${r.fun.toPrecision(4)} |`);
  }
}
