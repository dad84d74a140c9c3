import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_FLAGS, SOFTWARE_FLAGS } from '../bench/headless/flags';
import { serveStatic } from '../bench/headless/serve';
import { backendMismatches, validateResults, type SuiteResults } from '../bench/page/results';

// Issue 10, finding 9: under load Chromium's requestDevice failed although an adapter existed, and
// bench:headless silently ran the suite on the CPU and filed it as the run's results; the page then
// showed one case's charts over another's landscape and a third case's path. Real Chromium with
// WebGPU on SwiftShader; device failures come from the page's test hook ?failDevice=once|always
// (bench/page/testhooks.ts), which the runner sets with --fail-device. Needs the built dist/ and
// dist/page (`npm test` builds first).
const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'brox-headless-robust-'));
const profiles: string[] = [];
let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  server = await serveStatic(fileURLToPath(new URL('../dist/page', import.meta.url)));
});
afterAll(async () => {
  await server.close();
  rmSync(out, { recursive: true, force: true });
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
});

const headless = (args: string[]) => spawnSync(process.execPath, ['dist/headless.js', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
const readDoc = (dir: string): SuiteResults => JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8'));

describe('bench:headless when the WebGPU device fails although an adapter exists', () => {
  it('--fail-device always: the page retries once, then the run fails loudly, naming the failure, and writes nothing', () => {
    const dir = join(out, 'always');
    const r = headless(['--suite', 'tiny', '--out', dir, '--fail-device', 'always']);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/suite failed: WebGPU device failed: an adapter exists but requestDevice failed 2 times \(retried once after \d+ ms\): A valid external Instance reference no longer exists/);
    expect(r.stdout).not.toMatch(/results:/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]); // no CPU numbers filed as the run's results
  });

  it('--fail-device once: the retry gets a device and the whole suite runs on WebGPU', () => {
    const dir = join(out, 'once');
    const r = headless(['--suite', 'tiny', '--out', dir, '--fail-device', 'once']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/requestDevice failed 1 time\(s\); the page's retry succeeded/);
    const doc = readDoc(dir);
    expect(validateResults(doc)).toEqual([]);
    expect(doc.requestedBackend).toBe('webgpu');
    expect(doc.deviceAttempts).toBe(2);
    expect(doc.adapter?.architecture).toBeTruthy();
    expect(doc.fallback).toBeNull();
    expect(doc.cases.map((c) => c.backend)).toEqual(['webgpu', 'webgpu']);
    expect(doc.shownCase).toBe('0:rastrigin/d2/n1048576');
  });

  it('--backend cpu runs and files the suite as CPU results (adapter null, named cpu); bad values are usage errors', () => {
    const dir = join(out, 'cpu');
    const r = headless(['--suite', 'tiny', '--out', dir, '--backend', 'cpu']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const doc = readDoc(dir);
    expect(doc.requestedBackend).toBe('cpu');
    expect(doc.adapter).toBeNull();
    expect(doc.cases.every((c) => c.backend === 'cpu')).toBe(true);
    expect(readdirSync(dir).some((f) => /^\d{4}-\d\d-\d\dT\d{6}-cpu-tiny\.json$/.test(f))).toBe(true); // to the second, adapter, suite
    for (const [args, msg] of [
      [['--backend', 'auto'], /--backend must be webgpu or cpu, got 'auto'/],
      [['--fail-device', 'sometimes'], /--fail-device must be once or always, got 'sometimes'/],
    ] as const) {
      const bad = headless([...args, '--out', dir]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(msg);
    }
  });

  it('the runner refuses results whose cases ran on another backend, naming them', () => {
    const doc = { cases: [{ objective: 'rastrigin', dim: 2, samples: 1024, backend: 'webgpu' }, { objective: 'sphere', dim: 10, samples: 4096, backend: 'cpu' }] } as SuiteResults;
    expect(backendMismatches(doc, 'webgpu')).toEqual(['sphere d=10 n=4096 ran on cpu']);
    expect(backendMismatches(doc, 'cpu')).toEqual(['rastrigin d=2 n=1024 ran on webgpu']);
    expect(backendMismatches({ ...doc, cases: [doc.cases[0]] }, 'webgpu')).toEqual([]);
  });
});

async function launch(flags: string[]): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'brox-page-test-'));
  profiles.push(profile);
  return puppeteer.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: [...flags, `--user-data-dir=${profile}`], defaultViewport: { width: 1280, height: 800 } });
}

async function visit(browser: Browser, query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push((e as Error).message));
  await page.goto(server.url + query, { waitUntil: 'load' });
  return { page, errors };
}

const runSuite = async (browser: Browser, query: string) => {
  const v = await visit(browser, query);
  await v.page.waitForFunction('window.__broxDone === true', { timeout: 240_000, polling: 250 });
  return v;
};

/** What the page shows: the case of the landscape, of the path on it, and of each of the four charts. */
const shown = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#landscape')!.dataset;
    const charts = ['gap', 'dist', 'rate', 'time'].map((k) => document.querySelector<HTMLElement>(`#chart-${k}`)!.dataset);
    return {
      landscape: canvas.case,
      objective: canvas.objective,
      path: canvas.pathCase,
      pathPoints: Number(canvas.pathPoints),
      charts: charts.map((d) => d.case),
      chartPoints: charts.map((d) => Number(d.points)),
      results: (window as { __broxResults?: SuiteResults | { error: string } }).__broxResults,
    };
  });

/** Landscape, path and charts all belong to `tag`; the path has one point per chart point plus x0. */
function expectOneCase(s: Awaited<ReturnType<typeof shown>>, tag: string): void {
  expect(s.landscape).toBe(tag);
  expect(s.path).toBe(tag);
  expect(s.charts).toEqual([tag, tag, tag, tag]);
  const [, objective, dim] = /^\d+:(.+)\/d(\d+)\//.exec(tag)!;
  expect(s.objective).toBe(`${objective}/${dim}`); // the heatmap is of the case's objective
  const doc = s.results as SuiteResults;
  const c = doc.cases[Number(tag.split(':')[0])];
  expect(s.chartPoints).toEqual(Array(4).fill(c.iterations)); // one point per iteration of that case
  expect(s.pathPoints).toBe(c.iterations + 1);
}

describe('benchmark page: device retry and one case on screen after a suite', () => {
  it('WebGPU, first requestDevice failing: the retry succeeds, the suite runs on WebGPU, and the page shows one case (the first 2-D one, or ?show=)', async () => {
    const browser = await launch(SOFTWARE_FLAGS);
    try {
      const { page, errors } = await runSuite(browser, '?suite=tiny&backend=webgpu&failDevice=once');
      expect(await page.evaluate('window.__broxDeviceAttempts')).toBe(2);
      expect(await page.$eval('#adapter', (e) => e.textContent)).toMatch(/WebGPU adapter: .*swiftshader.*\(device created on retry 1\)/i);
      expect(await page.$eval('#notice', (e) => (e as HTMLElement).hidden)).toBe(true);
      const s = await shown(page);
      const doc = s.results as SuiteResults;
      expect(doc.cases.map((c) => c.backend)).toEqual(['webgpu', 'webgpu']);
      expect(doc.shownCase).toBe('0:rastrigin/d2/n1048576');
      expectOneCase(s, doc.shownCase!);
      expect(await page.$eval('#viewinfo', (e) => e.textContent)).toBe(`showing case ${doc.shownCase}`);
      expect(errors).toEqual([]);

      // a chosen case: the d=10 one (its slice through the last iterate)
      const again = await runSuite(browser, '?suite=tiny&backend=webgpu&show=1');
      const s1 = await shown(again.page);
      expect((s1.results as SuiteResults).shownCase).toBe('1:sphere/d10/n4096');
      expectOneCase(s1, '1:sphere/d10/n4096');
      expect(again.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('WebGPU, every requestDevice failing: a suite fails loudly; the interactive page offers the CPU under a loud notice', async () => {
    const browser = await launch(SOFTWARE_FLAGS);
    try {
      const suite = await runSuite(browser, '?suite=tiny&backend=webgpu&failDevice=always');
      const failure = /WebGPU device failed: an adapter exists but requestDevice failed 2 times/;
      expect((await shown(suite.page)).results).toEqual({ error: expect.stringMatching(failure) });
      const err = await suite.page.$eval('#error', (e) => ({ text: e.textContent, loud: e.classList.contains('loud') }));
      expect(err.text).toMatch(failure);
      expect(err.loud).toBe(true);
      expect(suite.errors.some((e) => failure.test(e))).toBe(true);
      // the auto backend does not hide it either
      const auto = await runSuite(browser, '?suite=tiny&failDevice=always');
      expect((await shown(auto.page)).results).toEqual({ error: expect.stringMatching(failure) });

      const { page, errors } = await visit(browser, '?failDevice=always');
      await page.waitForFunction(() => !document.querySelector('#adapter')!.textContent!.includes('looking'), { timeout: 60_000 });
      const notice = await page.$eval('#notice', (e) => ({ hidden: (e as HTMLElement).hidden, loud: e.classList.contains('loud'), text: e.textContent }));
      expect(notice.hidden).toBe(false);
      expect(notice.loud).toBe(true);
      expect(notice.text).toMatch(failure);
      expect(notice.text).toMatch(/Only the CPU backend is offered/);
      expect(await page.$eval('#adapter', (e) => e.textContent)).toBe('CPU backend (WebGPU device failed)');
      expect(await page.$eval('select[name=backend]', (e) => (e as HTMLSelectElement).value)).toBe('cpu');
      expect(await page.$eval('option[value=webgpu]', (e) => (e as HTMLOptionElement).disabled)).toBe(true);
      expect(errors.filter((e) => failure.test(e))).toHaveLength(1);
      await page.select('select[name=samples]', '4096');
      await page.$eval('input[name=maxIter]', (e) => ((e as HTMLInputElement).value = '3'));
      await page.click('#run');
      await page.waitForFunction(() => /after \d+ iterations/.test(document.querySelector('#summary')!.textContent!), { timeout: 120_000 });
      expect(await page.$eval('#summary', (e) => e.textContent)).toMatch(/on cpu/);
      expect(await page.$eval('#landscape', (e) => [(e as HTMLElement).dataset.case, (e as HTMLElement).dataset.pathCase])).toEqual(['run:rastrigin/d2', 'run:rastrigin/d2']);
    } finally {
      await browser.close();
    }
  });

  it('no adapter: a suite asked for WebGPU fails with the reason; with the auto backend it runs on the CPU (the fallback recorded) and still shows one case', async () => {
    const browser = await launch(COMMON_FLAGS); // headless Chromium without WebGPU flags finds no adapter
    try {
      const strict = await runSuite(browser, '?suite=tiny&backend=webgpu');
      expect((await shown(strict.page)).results).toEqual({ error: expect.stringMatching(/backend: the suite asked for WebGPU, but /) });

      // finding 9's screen: the CPU suite ended with three different cases on screen
      const { page, errors } = await runSuite(browser, '?suite=tiny');
      const s = await shown(page);
      const doc = s.results as SuiteResults;
      expect(validateResults(doc)).toEqual([]);
      expect(doc.cases.map((c) => c.backend)).toEqual(['cpu', 'cpu']);
      expect(doc.adapter).toBeNull();
      expect(doc.fallback).toMatch(/WebGPU unavailable, running on the CPU backend/);
      expect(doc.deviceAttempts).toBe(0);
      expectOneCase(s, doc.shownCase!);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
