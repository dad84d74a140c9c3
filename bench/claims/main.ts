// `npm run bench:claims`: the papers' claims about BPM (design/algorithms.md section 1), each as a
// measured experiment on the CPU backend (deterministic for a seed, whatever the thread count):
//   1. BPM with a constant radius steps over local minima once t exceeds their spacing
//      (rastrigin d = 2 from (4, 4), wavy-bowl d = 1 from 4.3; success rate vs t);
//   2. distances to the minimiser set do not increase on aligned functions (sphere, an
//      ill-conditioned quadratic, twin-wells), and the convex-case decrease by t^2 per step;
//   3. where the sampled fixed point is not optimal, and why: (a) too few samples for d (sphere,
//      N in {2^6, 2^10, 2^14}, d in {2, 10, 50}, with the certificate fraction at the stop point),
//      (b) t too small (wavy-bowl with t = 0.3 stops at a local minimum).
// Writes bench/results/claims-<date>.json (schema: bench/claims/schema.ts), the markdown next to it,
// and a copy as bench/results/claims-latest.json (the page builds that one in) unless --out is
// given. Built into dist/claims.js by vite.config.ts. Default settings: about 2 minutes on 2 cores (measured 124 s).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createOracle, type Oracle } from '../../src/internal';
import { distance, fewSamples, OVER_MINIMA_CASES, overMinima, smallRadius } from './experiments';
import { markdown } from './report';
import { checkClaimsReport, CLAIMS_SCHEMA, type ClaimsReport } from './schema';

const USAGE = `usage: npm run bench:claims -- [--seeds 10] [--ts 0.3,0.5,0.8,1,1.2,1.5,2] [--samples 2^14]
       [--max-iter 200] [--gap-tol 1e-2] [--cases rastrigin-2,wavy-bowl-1]
       [--fp-samples 2^6,2^10,2^14] [--fp-dims 2,10,50] [--fp-seeds 5] [--cert-samples 2^20]
       [--threads N] [--out path.json] [--quiet]
--samples: per BPM step in claims 1, 2 and 3b; --fp-*: claim 3a (sphere, t = 1); --cert-samples:
samples of each certificate call (oracle.moments, temperature 0).
--out names the JSON (the markdown goes next to it, .md; no claims-latest.json copy);
default bench/results/claims-<date>.json plus bench/results/claims-latest.json.`;

function fail(msg: string): never {
  console.error(`bench:claims: ${msg}\n${USAGE}`);
  process.exit(2);
}

const { values: a } = (() => {
  try {
    return parseArgs({
      options: {
        seeds: { type: 'string', default: '10' },
        ts: { type: 'string', default: '0.3,0.5,0.8,1,1.2,1.5,2' },
        samples: { type: 'string', default: '2^14' },
        'max-iter': { type: 'string', default: '200' },
        'gap-tol': { type: 'string', default: '1e-2' },
        cases: { type: 'string' },
        'fp-samples': { type: 'string', default: '2^6,2^10,2^14' },
        'fp-dims': { type: 'string', default: '2,10,50' },
        'fp-seeds': { type: 'string', default: '5' },
        'cert-samples': { type: 'string', default: '2^20' },
        threads: { type: 'string' },
        out: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
})();
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}

const list = (s: string): string[] => s.split(',').map((v) => v.trim()).filter(Boolean);
const ints = (s: string, what: string, min = 1, max = 2 ** 30): number[] => {
  const out = list(s).map((v) => {
    const m = /^2\^(\d+)$/.exec(v);
    const n = m ? 2 ** Number(m[1]) : /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) fail(`--${what}: '${v}' is not an integer in [${min}, ${max}] (or 2^k)`);
    return n;
  });
  if (!out.length) fail(`--${what}: empty`);
  return out;
};
const nums = (s: string, what: string): number[] => {
  const out = list(s).map((v) => {
    const n = Number(v);
    if (!(Number.isFinite(n) && n > 0)) fail(`--${what}: '${v}' is not a positive number`);
    return n;
  });
  if (!out.length) fail(`--${what}: empty`);
  return out;
};

const seeds = ints(a.seeds!, 'seeds', 1, 1000)[0];
const ts = nums(a.ts!, 'ts');
const samples = ints(a.samples!, 'samples')[0];
const maxIter = ints(a['max-iter']!, 'max-iter', 1, 100000)[0];
const gapTol = nums(a['gap-tol']!, 'gap-tol')[0];
const caseIds = a.cases === undefined ? OVER_MINIMA_CASES.map((c) => c.id) : list(a.cases);
for (const id of caseIds) if (!OVER_MINIMA_CASES.some((c) => c.id === id)) fail(`--cases: unknown '${id}'; known: ${OVER_MINIMA_CASES.map((c) => c.id).join(', ')}`);
const fpSamples = ints(a['fp-samples']!, 'fp-samples');
const fpDims = ints(a['fp-dims']!, 'fp-dims', 1, 1024);
const fpSeeds = ints(a['fp-seeds']!, 'fp-seeds', 1, 1000)[0];
const certSamples = ints(a['cert-samples']!, 'cert-samples')[0];
const threadsOpt = a.threads === undefined ? undefined : ints(a.threads, 'threads', 1, 1024)[0];
const log = (s: string) => {
  if (!a.quiet) console.error(s);
};

let oracle: Oracle;
try {
  oracle = await createOracle({ backend: 'cpu', ...(threadsOpt ? { threads: threadsOpt } : {}) });
} catch (e) {
  console.error(`bench:claims: cannot open the CPU backend: ${(e as Error).message}`);
  process.exit(1);
}
const threads = 'threads' in oracle ? await (oracle as unknown as { threads(): Promise<number> }).threads() : 1;
const started = performance.now();
log(`bench:claims: CPU backend, ${threads} thread(s); claim 1: ${caseIds.length} cases × ${ts.length} radii × ${seeds} seeds, N = ${samples}`);

const omSettings = { ts, seeds, samples, maxIter, gapTol };
const cases = OVER_MINIMA_CASES.filter((c) => caseIds.includes(c.id));
const om = await overMinima(oracle, omSettings, cases, log);
const diSettings = { seeds, samples, maxIter };
const di = await distance(oracle, diSettings, log);
const saSettings = { objective: 'sphere' as const, t: 1, startDist: 3, sampleSizes: fpSamples, dims: fpDims, seeds: fpSeeds, maxIter, certSamples };
const sa = await fewSamples(oracle, saSettings, log);
const raSettings = { objective: 'wavy-bowl' as const, dim: 1 as const, x0: [4.3], t: 0.3, samples, maxIter, certSamples, probeTs: [0.3, 0.5, 0.8, 1, 1.5] };
const ra = await smallRadius(oracle, raSettings, log);
oracle.destroy();

const now = new Date();
const date = now.toISOString().slice(0, 10);
const report: ClaimsReport = {
  schema: CLAIMS_SCHEMA,
  date,
  createdAt: now.toISOString(),
  machine: { cpu: `${cpus()[0]?.model?.trim() ?? 'unknown'} x${cpus().length}`, cores: cpus().length, platform: `${platform()} ${process.arch}`, node: process.version, backend: 'cpu', threads },
  elapsedMs: performance.now() - started,
  overMinima: { settings: omSettings, cases, runs: om.runs, summary: om.summary },
  distance: { settings: diSettings, cases: di.cases, runs: di.runs, summary: di.summary },
  fixedPoint: { samples: { settings: saSettings, runs: sa.runs, summary: sa.summary }, radius: { settings: raSettings, stop: ra.stop, probes: ra.probes } },
};
const problems = checkClaimsReport(report);
if (problems.length) {
  console.error(`bench:claims: the report does not conform to its schema: ${problems.slice(0, 5).join('; ')}`);
  process.exit(1);
}

const outJson = resolve(a.out ?? `bench/results/claims-${date}.json`);
const outMd = outJson.replace(/\.json$/i, '') + '.md';
mkdirSync(dirname(outJson), { recursive: true });
const md = markdown(report);
writeFileSync(outJson, JSON.stringify(report) + '\n');
writeFileSync(outMd, md);
if (!a.out) copyFileSync(outJson, resolve('bench/results/claims-latest.json'));
console.log(md);
log(`bench:claims: wrote ${outJson} and ${outMd} (${(report.elapsedMs / 1e3).toFixed(0)} s)`);
process.exit(0);
