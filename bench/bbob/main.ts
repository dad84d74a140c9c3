// `npm run bench:bbob`: brox's methods (and scipy peers) on the 24 BBOB noiseless functions
// (src/objectives/bbob/; Hansen et al., INRIA RR-6829), COCO-style: for each method, the fraction of
// (function, instance, target) triples solved against evaluations, targets 1e1 ... 1e-8.
// Writes bench/results/bbob-<date>-<tag>.json (schema: bench/bbob/schema.ts) and the .md next to it.
// Built into dist/bbob.js by vite.config.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createOracle, methodNames } from '../../src/internal';
import { machineInfo } from '../machine';
import { peerName, probeScipy, runScipy, SCIPY_METHODS } from './peers';
import { markdown, summarize } from './report';
import { parseMethodSpec, runBrox } from './run';
import { BBOB_SCHEMA, type BbobReport, type BbobRun, checkBbobReport, TARGETS } from './schema';

export const DEFAULT_BUDGET_PER_DIM = 1e5;
export const QUICK = { dims: [5], instances: [1, 2], methods: ['bpm', 'cma-es'], budgetPerDim: 10_000, peerMethods: ['differential_evolution', 'dual_annealing'] };

const USAGE = `usage: npm run bench:bbob -- [--quick] [--dims 2,5,10,20,40] [--functions 1-24] [--instances 1-5]
       [--methods bpm,cma-es,cma-es:restartStrategy=ipop,...] [--budget 1e5] [--backend cpu|webgpu|auto] [--threads N]
       [--peers differential_evolution,dual_annealing | --no-peers] [--python python3] [--tag T] [--out F.json] [--quiet]
       npm run bench:bbob -- --render F.json      (rewrite F.md from a report, after a change of the table's format)
--budget: evaluations per run as a multiple of d (default ${DEFAULT_BUDGET_PER_DIM}: 1e5·d).
--quick: d ${QUICK.dims}, all 24 functions, instance ${QUICK.instances}, ${QUICK.methods.join(' + ')}, budget ${QUICK.budgetPerDim}·d, scipy ${QUICK.peerMethods.join(', ')}; CPU (~3 minutes on 2 cores).
--methods: registered names, or a variant with parameters, name:key=value:key=value (labelled so).
Lists take a,b,c or ranges a-b. Default: d 2,5,10,20,40, f1-24, instances 1-5, every method of src/methods/registry.ts.`;

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    dims: { type: 'string' },
    functions: { type: 'string' },
    instances: { type: 'string' },
    methods: { type: 'string' },
    budget: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    peers: { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
    python: { type: 'string', default: 'python3' },
    tag: { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    render: { type: 'string' },
  },
});
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}
function fail(msg: string): never {
  console.error(`bench:bbob: ${msg}\n${USAGE}`);
  process.exit(2);
}
if (a.render !== undefined) {
  const rep = JSON.parse(readFileSync(a.render, 'utf8')) as BbobReport;
  const problems = checkBbobReport(rep);
  if (problems.length) fail(`--render: ${a.render} does not conform to ${BBOB_SCHEMA}: ${problems.slice(0, 5).join('; ')}`);
  const md = markdown(rep);
  writeFileSync(a.render.replace(/\.json$/i, '') + '.md', md);
  console.log(md);
  process.exit(0);
}
const log = (s: string) => {
  if (!a.quiet) console.error(s);
};
/** "1,3,5-7" -> [1, 3, 5, 6, 7] */
function intList(s: string | undefined, dflt: number[], what: string, lo: number, hi: number): number[] {
  if (s === undefined) return dflt;
  const out: number[] = [];
  for (const part of s.split(',').map((v) => v.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) fail(`--${what}: '${part}' is not an integer or a range a-b`);
    const [x, y] = [Number(m[1]), Number(m[2] ?? m[1])];
    for (let v = x; v <= y; v++) {
      if (v < lo || v > hi) fail(`--${what}: ${v} is outside [${lo}, ${hi}]`);
      out.push(v);
    }
  }
  if (!out.length) fail(`--${what}: empty list`);
  return out;
}
function number(s: string | undefined, dflt: number, what: string): number {
  if (s === undefined) return dflt;
  const m = /^10\^(\d+)$/.exec(s.trim());
  const v = m ? 10 ** Number(m[1]) : Number(s);
  if (!Number.isSafeInteger(v) || v < 1) fail(`--${what}: '${s}' is not a positive integer (1e5, 10^5 or 100000)`);
  return v;
}

const quick = a.quick;
const known = methodNames();
const methods = a.methods === undefined ? (quick ? QUICK.methods : known) : a.methods.split(',').map((v) => v.trim()).filter(Boolean);
for (const m of methods) {
  let name = m;
  try {
    name = parseMethodSpec(m).name;
  } catch (e) {
    fail(`--methods: ${(e as Error).message}`);
  }
  if (!known.includes(name)) fail(`--methods: unknown method '${name}'; known: ${known.join(', ')} (a variant: name:key=value:...)`);
}
const dims = intList(a.dims, quick ? QUICK.dims : [2, 5, 10, 20, 40], 'dims', 2, 100);
const functions = intList(a.functions, Array.from({ length: 24 }, (_, i) => i + 1), 'functions', 1, 24);
const instances = intList(a.instances, quick ? QUICK.instances : [1, 2, 3, 4, 5], 'instances', 1, 4_000_000);
const budgetPerDim = number(a.budget, quick ? QUICK.budgetPerDim : DEFAULT_BUDGET_PER_DIM, 'budget');
const peerMethods = a['no-peers'] ? [] : a.peers === undefined ? (quick ? QUICK.peerMethods : SCIPY_METHODS) : a.peers.split(',').map((v) => v.trim()).filter(Boolean);
for (const m of peerMethods) if (!SCIPY_METHODS.includes(m)) fail(`--peers: unknown scipy method '${m}'; known: ${SCIPY_METHODS.join(', ')}`);
const backendWanted = a.backend ?? (quick ? 'cpu' : 'auto');
if (!['cpu', 'webgpu', 'auto'].includes(backendWanted)) fail(`--backend: '${backendWanted}' is not cpu, webgpu or auto`);
const threadsOpt = a.threads !== undefined ? number(a.threads, 1, 'threads') : undefined;
const tag0 = a.tag;
if (tag0 !== undefined && !/^[\w.-]+$/.test(tag0)) fail(`--tag: '${tag0}' must be letters, digits, '_', '.', '-'`);

const oracle = await createOracle({ backend: backendWanted as 'cpu' | 'webgpu' | 'auto', ...(threadsOpt ? { threads: threadsOpt } : {}) });
const threads = oracle.backend === 'cpu' && 'threads' in oracle ? await (oracle as { threads(): Promise<number> }).threads() : 1;
const total = dims.length * functions.length * instances.length * methods.length;
log(`bench:bbob: ${dims.length} dims × ${functions.length} functions × ${instances.length} instances × ${methods.length} methods = ${total} runs, budget ${budgetPerDim}·d, on ${oracle.backend} (${oracle.reason})`);

const runs: BbobRun[] = [];
const started = performance.now();
for (const d of dims)
  for (const fid of functions)
    for (const method of methods) {
      for (const instance of instances) {
        const r = await runBrox(method, fid, d, instance, budgetPerDim, oracle);
        runs.push(r);
        if (r.error) log(`  ERROR ${method} f${fid} i${instance} d=${d}: ${r.error.split('\n')[0]}`);
      }
      const mine = runs.slice(-instances.length);
      log(`  [${runs.length}/${total}] d=${d} f${fid} ${method}: ${mine.filter((r) => r.hits[TARGETS.length - 1] !== null).length}/${instances.length} at 1e-8, best ${mine.map((r) => (r.fun === null ? 'err' : r.fun.toExponential(1))).join(' ')} (${((performance.now() - started) / 1e3).toFixed(0)} s)`);
    }
const broxErrors = runs.filter((r) => r.error).length;
const broxSeconds = (performance.now() - started) / 1e3;
oracle.destroy();

const peers: BbobReport['peers'] = { scipy: { ran: false, why: null, version: null, methods: [] } };
if (!peerMethods.length) peers.scipy.why = 'skipped (--no-peers)';
else {
  const probe = probeScipy(a.python);
  if (!probe.ok) peers.scipy.why = probe.why;
  else {
    const jobs = dims.flatMap((d) => functions.flatMap((fid) => instances.map((instance) => ({ fid, d, instance, budget: budgetPerDim * d }))));
    log(`bench:bbob: scipy ${probe.version}: ${jobs.length} runs × ${peerMethods.length} methods`);
    try {
      runs.push(...(await runScipy(a.python, jobs, peerMethods, (s) => log(`  ${s}`))));
      peers.scipy = { ran: true, why: null, version: probe.version, methods: peerMethods.map(peerName) };
    } catch (e) {
      peers.scipy.why = `failed: ${(e as Error).message}`;
      log(`bench:bbob: scipy peers ${peers.scipy.why}`);
    }
  }
}

const now = new Date();
const date = now.toISOString().slice(0, 10);
const tag = tag0 ?? `${oracle.backend}${quick ? '-quick' : ''}-d${dims.join('-')}`;
const allMethods = [...methods, ...peers.scipy.methods];
const report: BbobReport = {
  schema: BBOB_SCHEMA,
  date,
  createdAt: now.toISOString(),
  tag,
  machine: { ...machineInfo(oracle, threads), broxSeconds: Math.round(broxSeconds), totalSeconds: Math.round((performance.now() - started) / 1e3) },
  settings: { dims, functions, instances, methods: allMethods, budgetPerDim, targets: TARGETS, backend: oracle.backend, quick, start: 'uniform in [-4, 4]^d, seeded per (function, instance, d), the same for every method' },
  peers,
  runs,
  summary: summarize(runs, dims, allMethods, budgetPerDim),
};
const outJson = resolve(a.out ?? `bench/results/bbob-${date}-${tag}.json`);
const outMd = outJson.replace(/\.json$/i, '') + '.md';
mkdirSync(dirname(outJson), { recursive: true });
const md = markdown(report);
writeFileSync(outJson, JSON.stringify(report, null, 1) + '\n');
writeFileSync(outMd, md);
console.log(md);
log(`bench:bbob: wrote ${outJson} and ${outMd} (${((performance.now() - started) / 1e3).toFixed(0)} s)`);
if (broxErrors) {
  console.error(`bench:bbob: ${broxErrors} brox run(s) threw (recorded in the JSON's runs[].error, counted as failures)`);
  process.exit(1);
}
process.exit(0);
