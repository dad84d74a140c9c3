// `npm run bench:refine`: what do the oracle's refinement rounds (BroxOptions rounds/shrink) buy?
// For functions whose ball minimiser y* is known or computable (bench/refine/problems.ts: linear,
// isotropic quadratic, diagonal quadratic of condition 100, both quadratics with their minimiser
// outside the ball), at d in {2, 5, 10, 20, 50, 100} and 5 instances each (centre, direction, oracle
// seed), one brox call per setting: R rounds of N samples (R in {2, 4, 8}, shrink in {0.25, 0.5})
// against one round of R*N samples (the same total). Round 0 of a refinement call draws the same
// N samples as the first N of the one-round call (same seed and call), so the comparison is paired.
// Measures ||y - y*|| and f(y) - f(y*) of the returned y. l2 ball, t = 1, CPU backend by default
// (N = 2^14: a few minutes on 2 cores); --backend webgpu works too (SwiftShader here: slow).
// Writes bench/results/refine-<date>-<backend>.json (schema: bench/refine/schema.ts) and .md next to
// it, and prints the tables. Built into dist/refine.js by vite.config.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from '../machine';
import { SWIFTSHADER_ICD, createOracle, type Oracle } from '../../src/internal';
import { CENTRE_DISTANCE, DIAG_CONDITION, distance, FUNCTIONS, makeProblem, type FunctionName } from './problems';
import { markdown, summarize } from './report';
import { checkRefineReport, REFINE_SCHEMA, type RefineReport, type RefineRun } from './schema';

const USAGE = `usage: npm run bench:refine -- [--backend cpu|webgpu] [--functions linear,quadratic,diagquad]
       [--dims 2,5,10,20,50,100] [--seeds 5] [--samples 2^14] [--rounds 2,4,8] [--shrinks 0.25,0.5]
       [--threads N] [--out path.json] [--quiet]
--samples is per round (2^k or an integer); one-round runs get R * samples for each R of --rounds.
--out names the JSON (the markdown goes next to it, .md); default bench/results/refine-<date>-<backend>.json.`;

function fail(msg: string): never {
  console.error(`bench:refine: ${msg}\n${USAGE}`);
  process.exit(2);
}

const { values: a } = (() => {
  try {
    return parseArgs({
      options: {
        backend: { type: 'string', default: 'cpu' },
        functions: { type: 'string' },
        dims: { type: 'string', default: '2,5,10,20,50,100' },
        seeds: { type: 'string', default: '5' },
        samples: { type: 'string', default: '2^14' },
        rounds: { type: 'string', default: '2,4,8' },
        shrinks: { type: 'string', default: '0.25,0.5' },
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
const ints = (s: string, what: string, min = 1): number[] => {
  const out = list(s).map((v) => {
    const m = /^2\^(\d+)$/.exec(v);
    const n = m ? 2 ** Number(m[1]) : /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min) fail(`--${what}: '${v}' is not an integer >= ${min}${what === 'samples' ? ' (or 2^k)' : ''}`);
    return n;
  });
  if (!out.length) fail(`--${what}: empty`);
  return out;
};

const backendWanted = a.backend!;
if (backendWanted !== 'cpu' && backendWanted !== 'webgpu') fail(`--backend: '${backendWanted}' is not cpu or webgpu`);
const functions = a.functions === undefined ? [...FUNCTIONS] : list(a.functions);
for (const f of functions) if (!(FUNCTIONS as readonly string[]).includes(f)) fail(`--functions: unknown '${f}'; known: ${FUNCTIONS.join(', ')}`);
const dims = ints(a.dims!, 'dims');
for (const d of dims) if (d > 1024) fail(`--dims: ${d} is over 1024`);
const seeds = ints(a.seeds!, 'seeds')[0];
const samples = ints(a.samples!, 'samples')[0];
const rounds = ints(a.rounds!, 'rounds', 2);
for (const R of rounds) if (R > 64) fail(`--rounds: ${R} is over 64`);
const shrinks = list(a.shrinks!).map((v) => {
  const s = Number(v);
  if (!(s > 0 && s < 1)) fail(`--shrinks: '${v}' is not a number in (0, 1)`);
  return s;
});
if (!shrinks.length) fail('--shrinks: empty');
const threadsOpt = a.threads === undefined ? undefined : ints(a.threads, 'threads')[0];
const log = (s: string) => {
  if (!a.quiet) console.error(s);
};

async function open(): Promise<Oracle> {
  const opts = { backend: backendWanted as 'cpu' | 'webgpu', ...(threadsOpt ? { threads: threadsOpt } : {}) };
  try {
    return await createOracle(opts);
  } catch (e) {
    // no hardware adapter: measure SwiftShader (Debian's chromium) rather than nothing
    if (backendWanted !== 'webgpu' || process.env.VK_ICD_FILENAMES || !existsSync(SWIFTSHADER_ICD)) throw e;
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    return createOracle(opts);
  }
}

let oracle: Oracle;
try {
  oracle = await open();
} catch (e) {
  console.error(`bench:refine: cannot open the ${backendWanted} backend: ${(e as Error).message}`);
  process.exit(1);
}
const threads = oracle.backend === 'cpu' && 'threads' in oracle ? await (oracle as unknown as { threads(): Promise<number> }).threads() : 1;
const settingsPer = rounds.length * (1 + shrinks.length);
const total = functions.length * dims.length * seeds * settingsPer;
log(`bench:refine: ${functions.length} functions × ${dims.length} dims × ${seeds} seeds × ${settingsPer} settings = ${total} brox calls on ${oracle.backend} (${oracle.reason}), N = ${samples}/round`);

const runs: RefineRun[] = [];
const started = performance.now();
for (const fn of functions as FunctionName[]) {
  for (const d of dims) {
    const t0 = performance.now();
    for (let seed = 0; seed < seeds; seed++) {
      const p = makeProblem(fn, d, seed);
      const settings: { setting: 'one-round' | 'refine'; rounds: number; shrink: number | null; perRound: number }[] = [];
      for (const R of rounds) {
        settings.push({ setting: 'one-round', rounds: 1, shrink: null, perRound: R * samples });
        for (const sh of shrinks) settings.push({ setting: 'refine', rounds: R, shrink: sh, perRound: samples });
      }
      for (const st of settings) {
        const res = await oracle.brox(p.objective, p.x, p.t, { samples: st.perRound, seed, call: 0, ball: 'l2', rounds: st.rounds, ...(st.shrink !== null ? { shrink: st.shrink } : {}) });
        const gap = res.fun - p.fStar;
        runs.push({
          fn,
          d,
          seed,
          setting: st.setting,
          rounds: st.rounds,
          shrink: st.shrink,
          samplesPerRound: st.perRound,
          totalSamples: st.rounds * st.perRound,
          dist: distance(res.x, p.yStar),
          gap,
          gapRel: gap / (p.fCenter - p.fStar),
          radius: distance(res.x, p.x) / p.t,
          winnerRound: res.round,
          improved: res.improved,
          ms: res.ms,
        });
      }
    }
    log(`  ${fn} d=${d}: ${((performance.now() - t0) / 1e3).toFixed(1)} s (${((performance.now() - started) / 1e3).toFixed(0)} s in all)`);
  }
}
oracle.destroy();

const now = new Date();
const date = now.toISOString().slice(0, 10);
const report: RefineReport = {
  schema: REFINE_SCHEMA,
  date,
  createdAt: now.toISOString(),
  machine: machineInfo(oracle, threads),
  settings: { functions, dims, seeds, samples, rounds, shrinks, t: 1, ball: 'l2', diagCondition: DIAG_CONDITION, centreDistance: CENTRE_DISTANCE },
  runs,
  summary: summarize(runs),
  elapsedMs: performance.now() - started,
};
const problems = checkRefineReport(report);
if (problems.length) {
  console.error(`bench:refine: the report does not conform to its schema: ${problems.slice(0, 5).join('; ')}`);
  process.exit(1);
}

const outJson = resolve(a.out ?? `bench/results/refine-${date}-${oracle.backend}.json`);
const outMd = outJson.replace(/\.json$/i, '') + '.md';
mkdirSync(dirname(outJson), { recursive: true });
const md = markdown(report);
writeFileSync(outJson, JSON.stringify(report, null, 1) + '\n');
writeFileSync(outMd, md);
console.log(md);
log(`bench:refine: wrote ${outJson} and ${outMd} (${(report.elapsedMs / 1e3).toFixed(0)} s)`);
process.exit(0);
