import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_FLAGS, SOFTWARE_FLAGS } from '../bench/headless/flags';
import { serveStatic } from '../bench/headless/serve';

// The interactive page, built by `npm test`, driven like a user would.
const pageDir = fileURLToPath(new URL('../dist/page', import.meta.url));
let server: Awaited<ReturnType<typeof serveStatic>>;
const profiles: string[] = [];

async function open(flags: string[]): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const profile = mkdtempSync(join(tmpdir(), 'brox-page-test-'));
  profiles.push(profile);
  const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: [...flags, `--user-data-dir=${profile}`], defaultViewport: { width: 1280, height: 800 } });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push((e as Error).message));
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForFunction(() => !document.querySelector('#adapter')!.textContent!.includes('looking'), { timeout: 60_000 });
  return { browser, page, errors };
}

beforeAll(async () => {
  server = await serveStatic(pageDir);
});
afterAll(async () => {
  await server.close();
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
});

describe('benchmark page', () => {
  it('WebGPU (SwiftShader): shows the adapter with a software warning; a click sets x0; Run BPM runs without console errors', async () => {
    const { browser, page, errors } = await open(SOFTWARE_FLAGS);
    try {
      const adapter = await page.$eval('#adapter', (e) => ({ text: e.textContent, software: e.classList.contains('software') }));
      expect(adapter.text).toMatch(/WebGPU adapter: .*swiftshader/i);
      expect(adapter.software).toBe(true);
      // click the 2-D view at its centre: x0 becomes the domain centre (0, 0 for rastrigin)
      const box = (await page.$('#landscape'))!;
      await box.click({ offset: { x: 140, y: 140 } });
      const x0 = await page.$eval('input[name=x0]', (e) => (e as HTMLInputElement).value);
      expect(x0.split(',').map(Number)[0]).toBeCloseTo(-2.56, 1);
      await page.$eval('input[name=x0]', (e) => ((e as HTMLInputElement).value = '4, 4'));
      await page.select('select[name=samples]', '65536');
      await page.click('#run');
      await page.waitForFunction(() => /after \d+ iterations/.test(document.querySelector('#summary')!.textContent!), { timeout: 120_000 });
      expect(await page.$eval('#summary', (e) => e.textContent)).toMatch(/on webgpu/);
      // bad input: a clear message naming the field, nothing run
      await page.$eval('input[name=x0]', (e) => ((e as HTMLInputElement).value = '1, 2, 3'));
      await page.click('#run');
      expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/x0: must have 2 coordinates/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('any minimize() method with its budget and params: the population on the map, the stop reason; axes and colour scale drawn', async () => {
    const { browser, page, errors } = await open(SOFTWARE_FLAGS);
    try {
      // the map is drawn after the page's first evaluation pass: wait for it (slow on a busy machine)
      await page.waitForFunction(() => !!(document.querySelector('#landscape') as HTMLElement | null)?.dataset.ticks, { timeout: 90_000 });
      const ticks = await page.$eval('#landscape', (e) => (e as HTMLElement).dataset.ticks);
      expect(ticks).toBe('-4 -2 0 2 4'); // rastrigin's domain [-5.12, 5.12]
      expect(await page.$eval('#landscape', (e) => (e as HTMLElement).dataset.colorScale)).toMatch(/^[\d.e+-]+\.\.[\d.e+-]+$/);
      const options = await page.$$eval('select[name=method] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(options).toEqual(['papers', 'bpm', 'cma-es', 'cem', 'annealed', 'random', 'portfolio']);
      await page.select('select[name=method]', 'cma-es');
      expect(await page.$eval('input[name=radius]', (e) => (e as HTMLInputElement).disabled)).toBe(true);
      await page.$eval('input[name=budget]', (e) => ((e as HTMLInputElement).value = '4000'));
      await page.$eval('input[name=params]', (e) => ((e as HTMLInputElement).value = '{"popsize": 24}'));
      await page.select('select[name=backend]', 'cpu');
      await page.click('#run');
      await page.waitForFunction(() => /after \d+ iterations/.test(document.querySelector('#summary')!.textContent!), { timeout: 120_000 });
      const text = await page.$eval('#summary', (e) => e.textContent!);
      expect(text).toMatch(/^cma-es: (max-evals|max-iter|target-reached|converged) after \d+ iterations \(.+\), [\d,]+ evaluations/);
      expect(Number(await page.$eval('#landscape', (e) => (e as HTMLElement).dataset.population))).toBeGreaterThan(0);
      // bad params: a clear message naming the field
      await page.$eval('input[name=params]', (e) => ((e as HTMLInputElement).value = '{popsize: 24}'));
      await page.click('#run');
      expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^params: must be a JSON object/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('BBOB runtime ECDF from the built-in reports: a curve per method drawn, d selectable, the numbers beside it', async () => {
    const { browser, page, errors } = await open(COMMON_FLAGS);
    try {
      // every bench/results/bbob-*.json is built in; the overlay of all of them starts at d = 10
      await page.waitForFunction(() => Number((document.querySelector('#bbob .bplot') as HTMLElement | null)?.dataset.curves) > 0, { timeout: 60_000 });
      const shown = await page.$eval('#bbob .bplot', (e) => ({ ...(e as HTMLElement).dataset }));
      expect(shown.d).toBe('10');
      expect(shown.labels).toMatch(/portfolio \[/);
      // the plot really drew: the first curve's colour (#ffb84d) is on the canvas, and the legend names every curve
      const drawn = await page.$eval('#bbob .bplot canvas', (c) => {
        const cv = c as HTMLCanvasElement;
        const px = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - 255) < 8 && Math.abs(px[i + 1] - 184) < 8 && Math.abs(px[i + 2] - 77) < 8) n++;
        return { w: cv.width, h: cv.height, n };
      });
      expect(drawn.w).toBeGreaterThan(300);
      expect(drawn.n).toBeGreaterThan(50);
      expect(await page.$$eval('#bbob .u-legend .u-series', (s) => s.length)).toBe(Number(shown.curves)); // live: false leaves the x series out
      const rows = await page.$$eval('#bbob .qtable tr', (r) => r.map((x) => x.textContent));
      expect(rows).toHaveLength(Number(shown.curves) + 1);
      expect(rows[0]).toMatch(/10\^5·d.*\(f, i\) at 1e-8/);
      // another d redraws from the same reports
      const dims = await page.$$eval('#bbob select[name=bdim] option', (o) => o.map((x) => (x as HTMLOptionElement).value));
      expect(dims).toContain('5');
      await page.select('#bbob select[name=bdim]', '5');
      await page.waitForFunction(() => (document.querySelector('#bbob .bplot') as HTMLElement).dataset.d === '5');
      expect(Number(await page.$eval('#bbob .bplot', (e) => (e as HTMLElement).dataset.curves))).toBeGreaterThan(0);
      // overlaid reports are compared on the same (function, instance) pairs: every row's pairs are the plot's
      for (const d of dims) {
        await page.select('#bbob select[name=bdim]', d);
        await page.waitForFunction((v) => (document.querySelector('#bbob .bplot') as HTMLElement).dataset.d === v, {}, d);
        const pairs = await page.$eval('#bbob .bplot', (e) => (e as HTMLElement).dataset.pairs);
        const cells = await page.$$eval('#bbob .qtable tr td:nth-last-child(2)', (c) => c.map((x) => x.textContent!.split(' / ')[1]));
        expect(cells.length, `d = ${d}`).toBeGreaterThan(0);
        expect(new Set(cells), `d = ${d}`).toEqual(new Set([pairs]));
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('without a WebGPU adapter: a visible notice with the reason, and BPM on the CPU backend (Web Workers)', async () => {
    const { browser, page, errors } = await open(COMMON_FLAGS) // no WebGPU flags: headless Chromium without a GPU finds no adapter;
    try {
      const notice = await page.$eval('#notice', (e) => ({ hidden: (e as HTMLElement).hidden, text: e.textContent }));
      expect(notice.hidden).toBe(false);
      expect(notice.text).toMatch(/WebGPU unavailable, running on the CPU backend: /);
      expect(await page.$eval('select[name=backend]', (e) => (e as HTMLSelectElement).value)).toBe('cpu');
      await page.select('select[name=samples]', '65536'); // above the Web Worker threshold
      await page.$eval('input[name=maxIter]', (e) => ((e as HTMLInputElement).value = '5'));
      await page.click('#run');
      await page.waitForFunction(() => /after \d+ iterations/.test(document.querySelector('#summary')!.textContent!), { timeout: 120_000 });
      expect(await page.$eval('#summary', (e) => e.textContent)).toMatch(/on cpu/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
