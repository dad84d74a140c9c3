import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The Python package (python/) and brox.dask are tested by pytest against this checkout's server
// (bin/brox.js serve on dist/, which `npm test` builds first). Debian's interpreter on purpose:
// python3-distributed, -numpy, -scipy and -pytest (installed by .ci/run) serve /usr/bin/python3,
// while the python3 first on PATH may be another interpreter that does not see them.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = process.env.BROX_TEST_PYTHON ?? '/usr/bin/python3';

describe('python/ (pytest: the client, the asyncio client, brox.dask on a 2-process LocalCluster)', () => {
  it('passes every Python test', () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing: .ci/run installs python3-pytest, python3-numpy, python3-scipy, python3-distributed`).toBe(true);
    const r = spawnSync(PYTHON, ['-m', 'pytest', 'python/tests', '-q', '-p', 'no:cacheprovider', '-W', 'ignore::DeprecationWarning'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.error, out).toBeUndefined();
    expect(r.status, out).toBe(0);
    // a collection that quietly found nothing, or skipped the cluster tests, is not a pass
    const passed = Number(/(\d+) passed/.exec(r.stdout)?.[1] ?? 0);
    expect(passed, out).toBeGreaterThanOrEqual(40);
    expect(out).not.toMatch(/\d+ skipped/);
  }, 330_000);
});
