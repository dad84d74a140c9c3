import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// bench:headless refuses bad arguments before it starts Chromium or a server (a bad --suite used to
// fail only after a browser launch and a page load), and keeps its results out of the committed folder.
const root = fileURLToPath(new URL('..', import.meta.url));
const headless = (args: string[]) => spawnSync(process.execPath, ['dist/headless.js', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('bench:headless arguments', () => {
  it('--suite nope: exit 2 naming the suites, without launching a browser', () => {
    const t0 = performance.now();
    const r = headless(['--suite', 'nope', '--chrome', '/nonexistent/chromium']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^bench:headless: --suite must be one of tiny, standard, gpu(, \w+)*, got 'nope'/);
    expect(r.stderr).not.toMatch(/nonexistent|Browser|launch/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('--help: results go to the git-ignored bench/results/local by default, one file per run', () => {
    const r = headless(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/default bench\/results\/local, git-ignored/);
    const ignored = spawnSync('git', ['check-ignore', '-q', 'bench/results/local/2026-01-01T000000-x-tiny.json'], { cwd: root });
    expect(ignored.status).toBe(0);
  });
});
