import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The GPU run's whole path (discover -> smoke -> bench -> loop -> user -> peers -> report) on
// SwiftShader at tiny sizes, as bench/gpu/run.sh runs it on a GPU machine: a broken step is
// caught here, not in the fifteen minutes a GPU is lent. `npm test` builds dist/ first.
const root = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(args: string[], env: Record<string, string>) {
  const results = mkdtempSync(join(tmpdir(), 'brox-gpu-run-'));
  dirs.push(results);
  const r = spawnSync('bash', ['bench/gpu/run.sh', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 400_000,
    env: { ...process.env, BROX_GPU_RESULTS: results, BROX_GPU_TINY: '1', BROX_GPU_DIMS: '2', BROX_GPU_USER_DIMS: '3', BROX_GPU_USER_BUDGET: '150', BROX_GPU_PEERS: 'numpy', ...env },
  });
  const files = readdirSync(results);
  const md = files.find((f) => f.endsWith('.md'));
  const js = files.find((f) => f.endsWith('.json'));
  return { r, files, md: md ? readFileSync(join(results, md), 'utf8') : '', json: js ? JSON.parse(readFileSync(join(results, js), 'utf8')) : null };
}

describe('bench/gpu/run.sh on SwiftShader (BROX_GPU_ALLOW_SOFTWARE=1, tiny sizes)', () => {
  it('runs the smoke and the full path end to end and writes the report', () => {
    const { r, md, json } = run([], { BROX_GPU_ALLOW_SOFTWARE: '1' });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toMatch(/using VK_DRIVER_FILES=\S*swiftshader/);
    expect(json.adapter.software).toBe(true);
    expect(json.discovery.length).toBeGreaterThan(0);
    // every kernel checked against the CPU backend, all passing
    expect(json.smoke.checks.length).toBeGreaterThanOrEqual(15);
    expect(json.smoke.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    // user-level timings: every method on both backends, round trips counted on WebGPU
    const rows = json.user.rows as Array<{ what: string; backend: string; submits?: number }>;
    for (const m of ['bpm', 'cma-es', 'cem', 'annealed', 'random']) {
      expect(rows.some((x) => x.what.startsWith(`minimize ${m}`) && x.backend === "webgpu" && (x.submits ?? 0) > 0)).toBe(true);
      expect(rows.some((x) => x.what.startsWith(`minimize ${m}`) && x.backend === "cpu")).toBe(true);
    }
    expect(rows.some((x) => x.what.includes('GPU-resident'))).toBe(true);
    expect(md).toMatch(/## Driver discovery/);
    expect(md).toMatch(/software adapter/);
    expect(json.steps.filter((s: { error: string | null; kind: string }) => s.error && s.kind !== 'probe')).toEqual([]);
  }, 420_000); // the whole GPU path on SwiftShader: ~40 s alone, minutes on two busy cores

  it('--smoke stops after the smoke', () => {
    const { r, json } = run(['--smoke'], { BROX_GPU_ALLOW_SOFTWARE: '1' });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(json.steps.map((s: { kind: string }) => s.kind)).not.toContain('bench');
    expect(json.smoke.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
  }, 300_000);

  it('without a hardware adapter it fails loudly, prints the loader messages and keeps a report', () => {
    const { r, json } = run(['--smoke'], { BROX_GPU_ALLOW_SOFTWARE: '0' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/FAILED: no hardware WebGPU adapter/);
    expect(r.stderr).toMatch(/loader and Dawn messages/);
    expect(r.stderr).toMatch(/raw outputs kept/);
    expect(json.discovery.some((p: { adapter: { software: boolean } | null }) => p.adapter?.software)).toBe(true);
  });

  it('refuses an unknown argument', () => {
    const r = spawnSync('bash', ['bench/gpu/run.sh', '--fast'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown argument '--fast'/);
  });
});
