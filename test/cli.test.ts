import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built CLI exactly as users do (`npm test` builds first).
const root = fileURLToPath(new URL('..', import.meta.url));
const brox = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/brox.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

describe('brox CLI', () => {
  it('is built', () => expect(existsSync(`${root}/dist/cli.js`)).toBe(true));

  it('run --json prints one JSON result (cpu)', () => {
    const r = brox(['run', '--objective', 'rastrigin', '--dim', '2', '--radius', '1.5', '--x0', '4,4', '--samples', '262144', '--seed', '1', '--max-iter', '40', '--backend', 'cpu', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['x', 'fun', 'nit', 'nfev', 'success', 'status', 'message', 'backend', 'adapter']));
    expect(j.backend).toBe('cpu');
    expect(j.adapter).toBeNull();
    expect(j.fun).toBeLessThan(0.05);
  });

  it('run --json on webgpu reports the adapter', () => {
    const r = brox(['run', '--objective', 'sphere', '--dim', '3', '--radius', '1', '--x0', '1,1,1', '--samples', '4096', '--max-iter', '5', '--backend', 'webgpu', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.backend).toBe('webgpu');
    expect(j.adapter.architecture).toBeTruthy();
  });

  it('run without --json prints progress lines and a summary; x0 defaults to the documented start', () => {
    const r = brox(['run', '--objective', 'sphere', '--dim', '2', '--samples', '1024', '--max-iter', '3', '--backend', 'cpu']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/iter +1 +f = /);
    expect(r.stdout).toMatch(/status: /);
    expect(r.stdout).toMatch(/backend cpu/);
  });

  it('bad arguments exit 2 with a message naming the option', () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', '--dim', '0'], /dim: must be an integer in \[1, 1024\], got 0/],
      [['run', '--objective', 'nope'], /unknown objective 'nope'/],
      [['run', '--radius', '-1', '--backend', 'cpu'], /radius: must be a finite number > 0/],
      [['run', '--x0', '1,x', '--backend', 'cpu'], /--x0: entry 1 must be a finite number/],
      [['run', '--x0', '1,2,3', '--backend', 'cpu'], /x0: must have length 2/],
      [['run', '--samples', '0', '--backend', 'cpu'], /samples: must be an integer in \[2/], // the default portfolio: CMA-ES's population
      [['run', '--method', 'bpm', '--samples', '0', '--backend', 'cpu'], /samples: must be an integer in \[1/],
      [['run', '--backend', 'gpu'], /Allowed choices are auto, webgpu, cpu/],
    ];
    for (const [args, msg] of cases) {
      const r = brox(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    }
  });

  it('--backend webgpu without an adapter is a clear error', () => {
    const r = brox(['run', '--backend', 'webgpu', '--json'], { VK_ICD_FILENAMES: '/nonexistent.json' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/backend: 'webgpu' was requested but no WebGPU adapter found/);
  });

  it('list names every built-in with its domain', () => {
    const r = brox(['list', '--json']);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { name: string }) => x.name)).toContain('michalewicz');
    expect(rows.length).toBe(11);
  });
});
