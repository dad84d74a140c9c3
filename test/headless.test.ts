import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { validateResults, type SuiteResults } from '../bench/page/results';

// Drives the built page (`npm test` builds first) in headless Chromium with WebGPU on SwiftShader.
const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'brox-headless-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const headless = (args: string[]) => spawnSync(process.execPath, ['dist/headless.js', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
const chromiumProcesses = () => spawnSync('pgrep', ['-f', `user-data-dir=${tmpdir()}/brox-chrome-`], { encoding: 'utf8' }).stdout.trim();

describe('headless benchmark runner (npm run bench:headless)', () => {
  let doc: SuiteResults;
  let base = '';

  it('runs the tiny suite: page loads, WebGPU adapter found, no console errors, valid results', () => {
    const r = headless(['--suite', 'tiny', '--out', out]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/page console error/);
    const json = readdirSync(out).find((f) => f.endsWith('.json'))!;
    base = join(out, json.replace(/\.json$/, ''));
    doc = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
    expect(validateResults(doc)).toEqual([]);
    expect(doc.adapter?.architecture).toBeTruthy(); // SwiftShader, a real WebGPU implementation
    expect(doc.cases.every((c) => c.backend === 'webgpu')).toBe(true);
    expect(r.stdout).toMatch(/rastrigin +2 +1048576 webgpu/);
  });

  it('BPM on rastrigin d=2 reaches f* within 1e-3 in the browser', () => {
    const c = doc.cases.find((k) => k.objective === 'rastrigin' && k.dim === 2)!;
    expect(c.finalGap).not.toBeNull();
    expect(c.finalGap!).toBeLessThanOrEqual(1e-3);
    expect(c.samplesPerSec).toBeGreaterThan(0);
  });

  it('the screenshot is not blank: its pixels vary', () => {
    const png = PNG.sync.read(readFileSync(`${base}.png`));
    expect([png.width, png.height]).toEqual([1280, 800]);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 97) colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
    expect(colours.size).toBeGreaterThan(200); // heatmap, charts, path: thousands of colours; blank: a handful
  });

  it('compares against a baseline by ratio and fails a case slower than --max-slowdown', () => {
    const fast = { ...doc, cases: doc.cases.map((c) => ({ ...c, samplesPerSec: c.samplesPerSec * 100 })) };
    writeFileSync(join(out, 'fast-baseline.json'), JSON.stringify(fast));
    const r = headless(['--suite', 'tiny', '--out', join(out, 'again'), '--baseline', join(out, 'fast-baseline.json'), '--max-slowdown', '0.2']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/0\.0\dx +SLOWER/);
  });

  it('the WGSL kernels agree with the CPU reference inside Chromium (selftest page)', () => {
    const r = headless(['--selftest', '--out', out]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/(\d+)\/\1 WGSL kernels agree/);
  });

  it('leaves no Chromium behind, and rejects bad arguments', () => {
    expect(chromiumProcesses()).toBe('');
    const bad = headless(['--suite', 'nope', '--out', out]);
    expect(bad.status).toBe(2); // a usage error, before Chromium starts (test/headless-args.test.ts)
    expect(bad.stderr).toMatch(/--suite must be one of tiny, standard, gpu, got 'nope'/);
    const usage = headless(['--timeout=-3']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--timeout must be a number of seconds > 0/);
    expect(chromiumProcesses()).toBe('');
  });
});
