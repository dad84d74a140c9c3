// `npm run bench:headless`: builds the page (npm script), serves it on 127.0.0.1, runs a suite (or
// the kernel self-test) in headless Chromium through puppeteer-core, and writes
// bench/results/local/<time>-<adapter>-<suite>.json plus a PNG screenshot (local/ is git-ignored:
// a run committed as a reference result is copied into bench/results/ on purpose). Fails on page console errors, invalid
// results, or (with --baseline) a case slower than the baseline by more than --max-slowdown.
// The suite runs on --backend (webgpu by default) or fails: the page never falls back to the CPU for
// it (a device that fails although an adapter exists is retried once by the page, then the run
// fails naming the failure), and results with a case that ran on another backend are not written.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer, { type Browser } from 'puppeteer-core';
import { backendMismatches, validateResults, type CaseResult, type SuiteResults } from '../page/results';
import { compareToBaseline } from './baseline';
import { GPU_FLAGS, SOFTWARE_FLAGS } from './flags';
import { serveStatic } from './serve';
import { SUITES } from '../page/suites';


const OPTIONS = {
  suite: { type: 'string', default: 'standard' },
  backend: { type: 'string', default: 'webgpu' },
  'fail-device': { type: 'string' },
  selftest: { type: 'boolean', default: false },
  gpu: { type: 'boolean', default: false },
  chrome: { type: 'string' },
  timeout: { type: 'string', default: '900' },
  out: { type: 'string', default: 'bench/results/local' },
  baseline: { type: 'string' },
  'max-slowdown': { type: 'string', default: '0.2' },
  help: { type: 'boolean', default: false },
} as const;

function usage(msg: string): never {
  console.error(`bench:headless: ${msg}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
}
const args = parse();
if (args.help) {
  console.log(`usage: npm run bench:headless -- [--suite tiny|standard|gpu] [--backend webgpu|cpu] [--selftest] [--gpu]
       [--chrome PATH] [--timeout SECONDS] [--out DIR] [--baseline FILE [--max-slowdown 0.2]]
--out: where results go (default bench/results/local, git-ignored), named <date>T<time>-<adapter>-<suite>
so runs never overwrite each other; copy one into bench/results/ to commit it as a reference.
--backend: where the suite must run (default webgpu); never falls back, and results with a case that
ran elsewhere are refused (exit 1). Test hook: --fail-device once|always makes the page's
requestDevice fail (once: the page's single retry succeeds; always: the run fails).
Chromium: --chrome, else $CHROME_PATH, else /usr/bin/chromium. Default flags run WebGPU on SwiftShader
(${SOFTWARE_FLAGS.join(' ')}); --gpu uses a hardware GPU (${GPU_FLAGS.join(' ')}).`);
  process.exit(0);
}
const timeoutMs = Number(args.timeout) * 1000;
const maxSlowdown = Number(args['max-slowdown']);
if (!(timeoutMs > 0)) usage(`--timeout must be a number of seconds > 0, got '${args.timeout}'`);
if (!(maxSlowdown >= 0 && maxSlowdown < 1)) usage(`--max-slowdown must be in [0, 1), got '${args['max-slowdown']}'`);
const backend = args.backend as 'webgpu' | 'cpu';
if (backend !== 'webgpu' && backend !== 'cpu') usage(`--backend must be webgpu or cpu, got '${args.backend}'`);
// a suite name is checked before Chromium starts (not after a browser launch and a page load)
if (!args.selftest && !Object.hasOwn(SUITES, args.suite)) usage(`--suite must be one of ${Object.keys(SUITES).join(', ')}, got '${args.suite}'`);
const failDevice = args['fail-device'];
if (failDevice !== undefined && failDevice !== 'once' && failDevice !== 'always') usage(`--fail-device must be once or always, got '${failDevice}'`);

const pageRel = './page'; // dist/page next to dist/headless.js (a variable: Vite leaves runtime URLs alone)
const pageDir = fileURLToPath(new URL(pageRel, import.meta.url));
const chrome = args.chrome ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'brox-chrome-'));
let browser: Browser | null = null;
let server: Awaited<ReturnType<typeof serveStatic>> | null = null;

/** Leaves no Chromium or server behind: on success, failure, timeout and signals. */
async function cleanup(): Promise<void> {
  const b = browser;
  browser = null;
  if (b) {
    const proc = b.process();
    await Promise.race([b.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
  }
  const s = server;
  server = null;
  await s?.close();
  rmSync(profile, { recursive: true, force: true });
}
// puppeteer's own signal handlers would exit before this cleanup (see launch options below)
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(sig, () => void cleanup().then(() => process.exit(code)));
}
process.on('exit', () => rmSync(profile, { recursive: true, force: true }));

async function main(): Promise<number> {
  server = await serveStatic(pageDir);
  browser = await puppeteer.launch({
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    executablePath: chrome,
    args: [...(args.gpu ? GPU_FLAGS : SOFTWARE_FLAGS), `--user-data-dir=${profile}`],
    defaultViewport: { width: 1280, height: 800 },
    protocolTimeout: timeoutMs + 60_000,
  });
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${(e as Error).message}`));
  const params = new URLSearchParams(args.selftest ? { selftest: '' } : { suite: args.suite, backend });
  if (failDevice) params.set('failDevice', failDevice);
  const query = `?${params}`;
  await page.goto(server.url + query, { waitUntil: 'load' });
  // an uncaught page error or a crash fails at once, with its message, instead of waiting out the timeout
  let failPage: (e: Error) => void = () => undefined;
  const pageFailed = new Promise<never>((_, reject) => (failPage = reject));
  page.on('pageerror', (e) => failPage(new Error(`page error: ${(e as Error).message}`)));
  page.on('error', (e) => failPage(new Error(`page crashed: ${e.message}`)));
  try {
    await Promise.race([page.waitForFunction('window.__broxDone === true', { timeout: timeoutMs, polling: 250 }), pageFailed]);
  } catch (e) {
    for (const c of consoleErrors) console.error(`page console error: ${c}`);
    throw e;
  }
  const ua = await browser.version();

  // to the second, so that runs of one day do not overwrite each other
  const date = new Date().toISOString().slice(0, 19).replace(/:/g, '');
  const outDir = resolve(args.out);
  mkdirSync(outDir, { recursive: true });
  let failed = consoleErrors.length > 0;
  for (const e of consoleErrors) console.error(`page console error: ${e}`);

  if (args.selftest) {
    const st = (await page.evaluate('window.__broxSelfTest')) as { adapter: { architecture: string } | null; ok: boolean; cases: Array<{ name: string; dim: number; ok: boolean; detail: string }> } | undefined;
    const base = join(outDir, `${date}-${slug(st?.adapter?.architecture)}-selftest`);
    writeFileSync(`${base}.json`, JSON.stringify(st ?? null, null, 2));
    if (!st) {
      const err = (await page.evaluate('window.__broxResults')) as { error?: string } | undefined;
      console.error(`selftest failed: ${err?.error ?? 'no result'}`);
      return 1;
    }
    for (const c of st.cases) if (!c.ok) console.error(`selftest: ${c.name} d=${c.dim}: ${c.detail}`);
    console.log(`selftest in ${ua}: ${st.cases.filter((c) => c.ok).length}/${st.cases.length} WGSL kernels agree with the CPU reference -> ${base}.json`);
    return failed || !st.ok ? 1 : 0;
  }

  const doc = (await page.evaluate('window.__broxResults')) as SuiteResults | { error: string } | undefined;
  if (!doc || 'error' in doc) {
    console.error(`suite failed: ${doc && 'error' in doc ? doc.error : 'no results'}`);
    return 1;
  }
  const problems = validateResults(doc);
  for (const p of problems) console.error(`results: ${p}`);
  failed ||= problems.length > 0;
  // never file results under a backend that did not run them
  const wrong = Array.isArray(doc.cases) ? backendMismatches(doc, backend) : [];
  if (wrong.length > 0) {
    console.error(`refusing to write results: --backend ${backend} was requested, but ${wrong.length} case(s) ran elsewhere: ${wrong.join('; ')}`);
    return 1;
  }
  const attempts = doc.deviceAttempts ?? 0;
  if (attempts > 1) console.log(`WebGPU device: requestDevice failed ${attempts - 1} time(s); the page's retry succeeded`);
  const base = join(outDir, `${date}-${slug(doc.adapter?.architecture ?? 'cpu')}-${slug(doc.suite)}`);
  writeFileSync(`${base}.json`, JSON.stringify(doc, null, 2));
  await page.screenshot({ path: `${base}.png` as `${string}.png` });
  printTable(doc);
  console.log(`results: ${base}.json  screenshot: ${base}.png`);
  if (args.baseline) {
    const baseline = JSON.parse(readFileSync(args.baseline, 'utf8')) as SuiteResults;
    const cmp = compareToBaseline(doc, baseline, maxSlowdown);
    for (const line of cmp.lines) console.log(line);
    failed ||= cmp.slower.length > 0;
  }
  return failed ? 1 : 0;
}

const slug = (s: string | undefined) => (s || 'unknown').toLowerCase().replace(/[^a-z0-9]+/g, '-');

function printTable(doc: SuiteResults): void {
  const a = doc.adapter;
  console.log(`suite '${doc.suite}' in ${doc.userAgent}`);
  console.log(`adapter: ${a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' / ') + (a.software ? ' (software: a CPU, not a GPU)' : '') : `none (${doc.fallback})`}`);
  const cols = ['objective', 'd', 'samples', 'backend', 'iters', 'status', 'final gap', 'samples/s', 'coord-evals/s', 'ms/step'];
  const w = [16, 4, 9, 7, 6, 15, 10, 11, 13, 9];
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 3 || i === 5 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' ');
  console.log(fmt(cols));
  for (const c of doc.cases as CaseResult[]) {
    console.log(fmt([c.objective, String(c.dim), String(c.samples), c.backend, String(c.iterations), c.status, c.finalGap === null ? '-' : c.finalGap.toExponential(2), c.samplesPerSec.toExponential(3), c.coordEvalsPerSec.toExponential(3), c.msPerStep.toFixed(1)]));
  }
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`bench:headless: ${(e as Error).message}`);
} finally {
  await cleanup();
}
process.exit(code);
