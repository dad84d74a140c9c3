// `npm run bench:quality`: does each method find the global minimum, and how soon?
// Every built-in (sphere aside) plain and shifted-rotated (src/objectives/transform.ts), at
// d in {2, 5, 10, 20, 50}, 10 seeds, random starts uniform in the usual domain (bounds = that
// domain), every method of src/methods/registry.ts at equal evaluation budgets 2^20, 2^24, 2^28;
// a run stops at f - f* <= 1e-3 max(1, |f*|) (fTarget) or at its budget. With python3 + scipy,
// dual_annealing and differential_evolution run the same cases (bench/peers/quality_scipy.py).
// Writes bench/results/quality-<date>-<tag>.json (schema: bench/quality/schema.ts) and .md next
// to it, and prints the table. Built into dist/quality.js by vite.config.ts (node:util parseArgs,
// no other runtime dependency than brox itself and, for WebGPU, Dawn).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from '../machine';
import { createOracle, methodNames } from '../../src/internal';
import { buildCases, DEFAULT_FUNCTIONS, QUICK_FUNCTIONS, SUCCESS_RULE } from './cases';
import { peerName, probeScipy, runScipy, SCIPY_METHODS } from './peers';
import { markdown, summarize } from './report';
import { runSeeds } from './run';
import { buildArms, populationMarkdown, POPULATION_FACTORS, POPULATION_FUNCTIONS, POPULATION_METHODS, type Arm } from './population';
import { QUALITY_SCHEMA, type QualityReport, type QualityRun, type Variant } from './schema';

const USAGE = `usage: npm run bench:quality -- [--quick] [--backend cpu|webgpu|auto] [--methods a,b]
       [--functions f,g] [--dims 2,5,10,20,50] [--seeds N] [--budgets 2^20,2^24,2^28]
       [--variants base,sr] [--threads N] [--tag T] [--out path.json] [--no-peers] [--python python3] [--sequential]
--quick: ${QUICK_FUNCTIONS.join(', ')}; d 2,5; 3 seeds; budget 2^20; CPU backend (a few minutes on 2 cores).
Budgets accept 2^k or plain integers. --out names the JSON (the markdown goes next to it, .md);
default bench/results/quality-<date>-<tag>.json, also copied to bench/results/quality-latest.json.
The seeds of a cell run together as one call (runs: B; run s = the run of seed s alone, wall time
shared equally); --sequential runs one minimize() per seed instead (same runs, own wall times).
--population [--lambdas 1,2,4,16,64,256]: success against the population size λ = factor × the
method's default (minimize's samples) for ${POPULATION_METHODS.join(', ')}; default functions
${POPULATION_FUNCTIONS.join(', ')}, d 10, 5 seeds, budget 2^20, CPU, no peers; writes
quality-<date>-<backend>-population.{json,md} (not quality-latest.json).`;

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    backend: { type: 'string' },
    methods: { type: 'string' },
    functions: { type: 'string' },
    dims: { type: 'string' },
    seeds: { type: 'string' },
    budgets: { type: 'string' },
    variants: { type: 'string' },
    threads: { type: 'string' },
    tag: { type: 'string' },
    out: { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
    python: { type: 'string', default: 'python3' },
    quiet: { type: 'boolean', default: false },
    sequential: { type: 'boolean', default: false },
    population: { type: 'boolean', default: false },
    lambdas: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}

function fail(msg: string): never {
  console.error(`bench:quality: ${msg}\n${USAGE}`);
  process.exit(2);
}
const list = (s: string | undefined, dflt: string[]): string[] => (s === undefined ? dflt : s.split(',').map((v) => v.trim()).filter(Boolean));
const ints = (s: string | undefined, dflt: number[], what: string): number[] =>
  list(s, dflt.map(String)).map((v) => {
    const m = /^2\^(\d+)$/.exec(v);
    const n = m ? 2 ** Number(m[1]) : Number(v);
    if (!Number.isSafeInteger(n) || n < 1) fail(`--${what}: '${v}' is not a positive integer (or 2^k)`);
    return n;
  });

const quick = a.quick;
const population = a.population;
if (population && quick) fail('--population and --quick do not go together');
const methodList = (typeof methodNames === 'function' ? (methodNames as () => string[])() : (methodNames as unknown as string[])).slice();
const methods = list(a.methods, population ? POPULATION_METHODS : methodList);
for (const m of methods) if (!methodList.includes(m)) fail(`--methods: unknown method '${m}'; known: ${methodList.join(', ')}`);
if (population) for (const m of methods) if (!POPULATION_METHODS.includes(m)) fail(`--population: '${m}' has no population size to vary; use ${POPULATION_METHODS.join(', ')}`);
const functions = list(a.functions, quick ? QUICK_FUNCTIONS : population ? POPULATION_FUNCTIONS : DEFAULT_FUNCTIONS);
const dims = ints(a.dims, quick ? [2, 5] : population ? [10] : [2, 5, 10, 20, 50], 'dims');
const nSeeds = ints(a.seeds, [quick ? 3 : population ? 5 : 10], 'seeds')[0];
const budgets = ints(a.budgets, quick || population ? [2 ** 20] : [2 ** 20, 2 ** 24, 2 ** 28], 'budgets');
const factors = list(a.lambdas, POPULATION_FACTORS.map(String)).map((v) => {
  const f = Number(v);
  if (!(f > 0) || !Number.isFinite(f)) fail(`--lambdas: '${v}' is not a positive factor`);
  return f;
});
const variants = list(a.variants, ['base', 'sr']) as Variant[];
for (const v of variants) if (v !== 'base' && v !== 'sr') fail(`--variants: '${v}' is not base or sr`);
const backendWanted = a.backend ?? (quick || population ? 'cpu' : 'auto');
if (!['cpu', 'webgpu', 'auto'].includes(backendWanted)) fail(`--backend: '${backendWanted}' is not cpu, webgpu or auto`);
const log = (s: string) => {
  if (!a.quiet) console.error(s);
};

let built;
try {
  built = buildCases(functions, dims, variants);
} catch (e) {
  fail((e as Error).message);
}
const { cases, skipped } = built;
// --population: every (method, λ factor, d) is a column of its own, labelled method@<factor>x
const arms: Arm[] = population ? buildArms(methods, factors, cases) : [];
const columns = population ? [...new Set(arms.filter((r) => !r.why).map((r) => r.label))] : methods;

const threadsOpt = a.threads !== undefined ? ints(a.threads, [], 'threads')[0] : undefined;
const oracle = await createOracle({ backend: backendWanted as 'cpu' | 'webgpu' | 'auto', ...(threadsOpt ? { threads: threadsOpt } : {}) });
const threads = oracle.backend === 'cpu' && 'threads' in oracle ? await (oracle as { threads(): Promise<number> }).threads() : 1;
log(`bench:quality: ${cases.length} cases × ${nSeeds} seeds × ${columns.length} methods × ${budgets.length} budgets on ${oracle.backend} (${oracle.reason})`);

const runs: QualityRun[] = [];
const started = performance.now();
const total = cases.length * nSeeds * columns.length * budgets.length;
for (const c of cases) {
  for (const budget of budgets) {
    const jobs = population
      ? arms.filter((r) => r.d === c.d && !r.why).map((r) => ({ method: r.method, label: r.label, samples: r.samples }))
      : methods.map((method) => ({ method, label: method, samples: undefined }));
    for (const { method, label, samples } of jobs) {
      // every seed of the cell in one call (runs: B), unless --sequential
      const seeds = Array.from({ length: nSeeds }, (_, s) => s);
      for (const r of await runSeeds({ c, method, label, samples, budget, seeds, oracle, sequential: a.sequential })) {
        runs.push(r);
        if (r.error) log(`  ERROR ${method} ${r.objective} d=${c.d} seed ${r.seed}: ${r.error.split('\n')[0]}`);
      }
      const mine = runs.slice(-nSeeds);
      const ok = mine.filter((r) => r.success).length;
      log(`  [${runs.length}/${total}] ${c.id} 2^${Math.log2(budget).toFixed(0)} ${label}${samples ? ` (λ ${samples})` : ''}: ${ok}/${nSeeds} (${((performance.now() - started) / 1e3).toFixed(0)} s)`);
    }
  }
}
const broxErrors = runs.filter((r) => r.error).length;
oracle.destroy();

// scipy peers, after brox (so they do not share the cores with brox's timed runs)
const peers: QualityReport['peers'] = { scipy: { ran: false, why: null, version: null, methods: [] } };
if (a['no-peers']) peers.scipy.why = 'skipped (--no-peers)';
else if (population) peers.scipy.why = 'not part of --population (the peers have no λ to vary here)';
else {
  const probe = probeScipy(a.python);
  if (!probe.ok) peers.scipy.why = probe.why;
  else {
    const jobs = cases.flatMap((c) => budgets.flatMap((budget) => Array.from({ length: nSeeds }, (_, seed) => ({ c, seed, budget }))));
    log(`bench:quality: scipy ${probe.version}: ${jobs.length} runs × ${SCIPY_METHODS.length} methods`);
    try {
      runs.push(...(await runScipy(a.python, jobs, (s) => log(`  ${s}`))));
      peers.scipy = { ran: true, why: null, version: probe.version, methods: SCIPY_METHODS.map(peerName) };
    } catch (e) {
      peers.scipy.why = `failed: ${(e as Error).message}`;
      log(`bench:quality: scipy peers ${peers.scipy.why}`);
    }
  }
}

const now = new Date();
const date = now.toISOString().slice(0, 10);
const tag = a.tag ?? `${oracle.backend}${quick ? '-quick' : ''}${population ? '-population' : ''}`;
if (!/^[\w.-]+$/.test(tag)) fail(`--tag: '${tag}' must be letters, digits, '_', '.', '-'`);
const cleanCases = cases.map(({ objective: _o, ...c }) => c);
const report: QualityReport = {
  schema: QUALITY_SCHEMA,
  date,
  createdAt: now.toISOString(),
  tag,
  machine: machineInfo(oracle, threads),
  settings: {
    functions,
    dims,
    seeds: nSeeds,
    budgets,
    methods: columns,
    backend: oracle.backend,
    quick,
    successRule: SUCCESS_RULE,
    variants,
    runsPerCall: a.sequential ? 1 : nSeeds,
    ...(population ? { population: { methods, factors, arms } } : {}),
  },
  peers,
  cases: cleanCases,
  skipped,
  runs,
  summary: summarize(cleanCases, runs),
};

const outJson = resolve(a.out ?? `bench/results/quality-${date}-${tag}.json`);
const outMd = outJson.replace(/\.json$/i, '') + '.md';
mkdirSync(dirname(outJson), { recursive: true });
const md = population ? `${populationMarkdown(report)}\n${markdown(report)}` : markdown(report);
writeFileSync(outJson, JSON.stringify(report, null, 1) + '\n');
writeFileSync(outMd, md);
// the page's built-in report stays a method comparison, not a λ sweep
if (!a.out && !population) writeFileSync(resolve('bench/results/quality-latest.json'), JSON.stringify(report) + '\n');
console.log(md);
log(`bench:quality: wrote ${outJson} and ${outMd} (${((performance.now() - started) / 1e3).toFixed(0)} s)`);
if (broxErrors) {
  console.error(`bench:quality: ${broxErrors} brox run(s) threw (see the JSON's runs[].error)`);
  process.exit(1);
}
process.exit(0);
